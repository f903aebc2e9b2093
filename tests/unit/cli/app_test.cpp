// The whole CLI against a real control server on a temp socket: exit statuses, stdout/stderr.

#include "cli/app.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <cstring>
#include <filesystem>
#include <future>
#include <sstream>

#include "control/error_codes.h"
#include "control/server.h"
#include "control/unique_fd.h"

namespace adbcfault::cli {
namespace {

namespace fs = std::filesystem;
using control::Json;
using control::Reply;
using control::Result;
using namespace std::chrono_literals;

struct Run {
  int status;
  std::string out;
  std::string err;
};

Run run(std::vector<std::string> args, const char* env_socket = nullptr) {
  std::ostringstream out, err;
  int status = run_cli(args, CliEnvironment{env_socket}, out, err);
  return Run{status, out.str(), err.str()};
}

class CliAppTest : public ::testing::Test {
 protected:
  CliAppTest() {
    char pattern[] = "/tmp/adbcf-cli-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    socket_ = (dir_ / "control.sock").string();
  }

  ~CliAppTest() override {
    if (loop_done_.valid()) {
      boost::asio::post(io_, [this] {
        server_->stop();
        held_.clear();
        work_.reset();
      });
      if (loop_done_.wait_for(5s) != std::future_status::ready) {
        ADD_FAILURE() << "event loop did not stop";
        io_.stop();
      }
      loop_done_.get();
    }
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  void start() {
    control::ServerOptions options;
    options.socket_path = socket_;
    server_ = std::make_unique<control::Server>(io_, dispatcher_, options);
    server_->start();
    work_.emplace(io_.get_executor());
    loop_done_ = std::async(std::launch::async, [this] { io_.run(); });
  }

  fs::path dir_;
  std::string socket_;
  boost::asio::io_context io_;
  control::Dispatcher dispatcher_;
  std::vector<Reply> held_;
  std::unique_ptr<control::Server> server_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::future<void> loop_done_;
};

TEST_F(CliAppTest, NotRunningWhenTheSocketDoesNotExist) {
  auto result = run({"--socket", socket_, "status"});
  EXPECT_EQ(result.status, 2);
  EXPECT_EQ(result.err, "adbcfault: adbcfaultd is not running (no socket at " + socket_ +
                            "): start it with 'systemctl start adbcfaultd', or pass --socket\n");
  EXPECT_EQ(result.out, "");
}

TEST_F(CliAppTest, NotRunningWhenNothingListens) {
  control::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM, 0));
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strcpy(address.sun_path, socket_.c_str());
  ASSERT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  auto result = run({"status"}, socket_.c_str());  // via $ADBCFAULT_SOCKET
  EXPECT_EQ(result.status, 2);
  EXPECT_NE(result.err.find("adbcfaultd is not running (nothing listens on " + socket_),
            std::string::npos)
      << result.err;
}

TEST_F(CliAppTest, EnableRoundTripPrintsForHumans) {
  Json received;
  dispatcher_.add("enable", [&](const Json& args) -> Result {
    received = args;
    return Json{{"name", args["name"]},
                {"enabled", true},
                {"journal_cursor", 42},
                {"parameters", args["set"]}};
  });
  start();
  auto result = run({"--socket", socket_, "enable", "tcp_hang", "--set", "after_bytes=100"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "enabled tcp_hang (journal cursor 42)\nparameters: after_bytes=100\n");
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(received, Json::parse(R"({"name":"tcp_hang","set":{"after_bytes":"100"}})"));
}

TEST_F(CliAppTest, JsonPrintsTheResultObjectPretty) {
  dispatcher_.add("reload", [](const Json&) -> Result {
    return Json{{"scenarios", 2}, {"files", 1}};
  });
  start();
  auto result = run({"--socket", socket_, "--json", "reload"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "{\n  \"files\": 1,\n  \"scenarios\": 2\n}\n");
}

TEST_F(CliAppTest, FailedIsExitOne) {
  dispatcher_.add("reload", [](const Json&) -> Result {
    return control::Error{control::codes::kFailed, "expected 2 calls, saw 1"};
  });
  start();
  auto result = run({"--socket", socket_, "reload"});
  EXPECT_EQ(result.status, 1);
  EXPECT_EQ(result.err, "adbcfault: expected 2 calls, saw 1\n");
  EXPECT_EQ(result.out, "");
}

TEST_F(CliAppTest, OtherDaemonErrorsAreExitTwo) {
  dispatcher_.add("disable", [](const Json&) -> Result {
    return control::Error{control::codes::kNotFound, "no scenario 'x': see adbcfault scenarios"};
  });
  start();
  auto result = run({"--socket", socket_, "disable", "x"});
  EXPECT_EQ(result.status, 2);
  EXPECT_EQ(result.err, "adbcfault: no scenario 'x': see adbcfault scenarios\n");
}

TEST_F(CliAppTest, OpTheDaemonDoesNotKnowIsExitTwo) {
  start();  // no handlers at all
  auto result = run({"--socket", socket_, "scenarios"});
  EXPECT_EQ(result.status, 2);
  EXPECT_NE(result.err.find("unknown op 'scenarios'"), std::string::npos) << result.err;
}

TEST_F(CliAppTest, ResponseTimeoutIsExitTwo) {
  dispatcher_.add_async("scenarios", [this](const Json&, Reply reply) { held_.push_back(reply); });
  start();
  auto started = std::chrono::steady_clock::now();
  auto result = run({"--socket", socket_, "--timeout", "0.2", "scenarios"});
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(result.status, 2);
  EXPECT_EQ(result.err, "adbcfault: adbcfaultd did not answer within 0.2 s on " + socket_ +
                            ": check 'systemctl status adbcfaultd', or pass a longer --timeout\n");
}

TEST_F(CliAppTest, UsageErrorsAreExitTwoWithoutTouchingTheSocket) {
  for (auto args : std::vector<std::vector<std::string>>{
           {"frobnicate"}, {"--frobnicate", "status"}, {"enable"}, {"disable"}, {}}) {
    auto result = run(args);
    EXPECT_EQ(result.status, 2);
    EXPECT_TRUE(result.err.starts_with("adbcfault: ")) << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    EXPECT_EQ(result.err.find("not running"), std::string::npos) << result.err;
  }
  EXPECT_EQ(run({"frobnicate"}).err,
            "adbcfault: unknown command 'frobnicate' (commands: status, scenarios, enable, "
            "disable, reload; see adbcfault --help)\n");
}

TEST_F(CliAppTest, HelpAndVersion) {
  auto help = run({"--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("enable NAME [--set KEY=VALUE]..."), std::string::npos);
  auto version = run({"--version"});
  EXPECT_EQ(version.status, 0);
  EXPECT_EQ(version.out, std::string("adbcfault ") + ADBCFAULT_VERSION + "\n");
  auto command_help = run({"disable", "--help"});
  EXPECT_EQ(command_help.status, 0);
  EXPECT_TRUE(command_help.out.starts_with("usage: adbcfault disable NAME|--all\n"));
}

}  // namespace
}  // namespace adbcfault::cli
