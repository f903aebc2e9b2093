// The whole CLI against a real control server on a temp socket: exit statuses, stdout/stderr.

#include "cli/app.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
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
           {"frobnicate"},
           {"--frobnicate", "status"},
           {"enable"},
           {"disable"},
           {},
           {"calls", "frob"},
           {"calls", "count"},
           {"calls", "count", "--method", "M", "--bogus"},
           {"calls", "wait", "--method", "M", "--count", "x", "--timeout", "1"},
           {"calls", "verify", "--method", "M", "--count", "1", "--exists"},
           {"validate"}}) {
    auto result = run(args);
    EXPECT_EQ(result.status, 2);
    EXPECT_TRUE(result.err.starts_with("adbcfault: ")) << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    EXPECT_EQ(result.err.find("not running"), std::string::npos) << result.err;
  }
  EXPECT_EQ(run({"frobnicate"}).err,
            "adbcfault: unknown command 'frobnicate' (commands: status, scenarios, enable, "
            "disable, reload, calls, validate, ca; see adbcfault --help)\n");
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

TEST_F(CliAppTest, CallsListSendsTheFilterAndPrintsRows) {
  Json received;
  dispatcher_.add("calls", [&](const Json& args) -> Result {
    received = args;
    return Json::parse(R"({"cursor":8,"calls":[{"id":7,"time":"2024-05-01T10:00:00.123Z",
        "http_method":"POST","path":"/sql","thrift_method":"FetchResults","http_status":200,
        "thrift_status":"SUCCESS_STATUS","latency_ms":3.0,"operation_guid":"","scenario":"",
        "note":"decoded from a retried body"}]})");
  });
  start();
  auto result = run({"--socket", socket_, "calls", "--method", "FetchResults", "--since", "7"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(received, Json::parse(R"({"method":"FetchResults","since":7})"));
  EXPECT_EQ(result.out,
            "ID  TIME          METHOD        PATH  STATUS              LATENCY  OPERATION  "
            "SCENARIO\n"
            "7   10:00:00.123  FetchResults  /sql  200/SUCCESS_STATUS  3.0 ms   -          -\n"
            "  note: decoded from a retried body\n");

  auto json = run({"--socket", socket_, "calls", "--json"});
  EXPECT_EQ(json.status, 0) << json.err;
  EXPECT_EQ(Json::parse(json.out)["cursor"], 8);
  EXPECT_EQ(received, Json::object());
}

TEST_F(CliAppTest, CallsCountPrintsOnlyTheNumber) {
  dispatcher_.add("calls_count", [](const Json& args) -> Result {
    return Json{{"method", args["method"]}, {"count", 3}, {"cursor", 10}};
  });
  start();
  auto result = run({"--socket", socket_, "calls", "count", "--method", "FetchResults"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "3\n");
}

TEST_F(CliAppTest, CallsVerifyFailurePrintsTheWholeDiagnosisAndExitsOne) {
  Json received;
  dispatcher_.add("calls_verify", [&](const Json& args) -> Result {
    received = args;
    return control::Error{control::codes::kFailed,
                          "expected exactly OpenSession,ExecuteStatement\n  saw OpenSession"};
  });
  start();
  auto result = run(
      {"--socket", socket_, "calls", "verify", "--exact-sequence", "OpenSession,ExecuteStatement"});
  EXPECT_EQ(result.status, 1);
  EXPECT_EQ(received, Json::parse(R"({"exact_sequence":["OpenSession","ExecuteStatement"]})"));
  // Each line of the diagnosis arrives, in order. The transport sends messages as one line
  // (control/protocol.cpp), so here they come joined; DaemonErrors.PrintsEveryLineOfAFailure
  // covers printing a message that keeps its line breaks.
  EXPECT_TRUE(result.err.starts_with("adbcfault: expected exactly OpenSession,ExecuteStatement"))
      << result.err;
  EXPECT_NE(result.err.find("saw OpenSession\n"), std::string::npos) << result.err;
  EXPECT_EQ(result.out, "");
}

TEST_F(CliAppTest, AssertSameOperation) {
  std::vector<Json> received;
  dispatcher_.add("calls_assert_same_operation", [&](const Json& args) -> Result {
    received.push_back(args);
    if (args.contains("last")) {
      return control::Error{control::codes::kFailed,
                            "FetchResults calls have DIFFERENT operation handles: the driver "
                            "created a new operation instead of retrying the same one.\n\n"
                            "FetchResults Call Analysis:\n\nFirst Call (journal id 4):\n"
                            "  Operation GUID: 'a'"};
    }
    return Json{{"same_operation", true}, {"operation_guid", "guid-1"}, {"compared", 2}};
  });
  start();
  auto ok =
      run({"--socket", socket_, "calls", "assert-same-operation", "--method", "FetchResults"});
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_EQ(ok.out, "FetchResults: last 2 calls share operation guid-1\n");

  auto failed = run({"--socket", socket_, "calls", "assert-same-operation", "--method",
                     "FetchResults", "--last", "3"});
  EXPECT_EQ(failed.status, 1);
  EXPECT_EQ(failed.out, "");
  EXPECT_TRUE(failed.err.starts_with(
      "adbcfault: FetchResults calls have DIFFERENT operation handles: the driver created a new "
      "operation instead of retrying the same one."))
      << failed.err;
  auto analysis = failed.err.find("FetchResults Call Analysis:");
  EXPECT_NE(analysis, std::string::npos) << failed.err;
  EXPECT_NE(failed.err.find("First Call (journal id 4):", analysis), std::string::npos);
  EXPECT_TRUE(failed.err.ends_with("Operation GUID: 'a'\n")) << failed.err;
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[1], Json::parse(R"({"method":"FetchResults","last":3})"));
}

TEST_F(CliAppTest, CallsWaitOutwaitsAShorterGlobalTimeout) {
  Json received;
  dispatcher_.add_async("calls_wait", [&](const Json& args, Reply reply) {
    received = args;
    auto timer = std::make_shared<boost::asio::steady_timer>(io_, 600ms);
    timer->async_wait([timer, reply](const boost::system::error_code&) {
      reply(Json{{"method", "FetchResults"}, {"count", 2}, {"cursor", 9}});
    });
  });
  start();
  // --timeout 0.2 alone would give up before the daemon answers at 0.6 s.
  auto result = run({"--socket", socket_, "--timeout", "0.2", "calls", "wait", "--method",
                     "FetchResults", "--count", "2", "--timeout", "0.3"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "saw 2 FetchResults call(s)\n");
  EXPECT_EQ(received, Json::parse(R"({"method":"FetchResults","count":2,"timeout_seconds":0.3})"));
}

TEST_F(CliAppTest, CallsWaitTimeoutIsExitOneWithTheDaemonsMessage) {
  dispatcher_.add("calls_wait", [](const Json&) -> Result {
    return control::Error{control::codes::kFailed,
                          "timed out after 1.000 s waiting for 2 FetchResults call(s); saw 1 "
                          "(journal ids 4)"};
  });
  start();
  auto result = run({"--socket", socket_, "calls", "wait", "--method", "FetchResults", "--count",
                     "2", "--timeout", "1"});
  EXPECT_EQ(result.status, 1);
  EXPECT_EQ(result.err,
            "adbcfault: timed out after 1.000 s waiting for 2 FetchResults call(s); saw 1 "
            "(journal ids 4)\n");
}

TEST_F(CliAppTest, SubCommandHelp) {
  auto calls = run({"calls", "--help"});
  EXPECT_EQ(calls.status, 0);
  EXPECT_TRUE(calls.out.starts_with("usage: adbcfault calls [--method M] [--since ID]\n"))
      << calls.out;
  EXPECT_NE(calls.out.find("\nsub-commands:\n  adbcfault calls count --method M [--since ID]\n"),
            std::string::npos)
      << calls.out;
  auto wait = run({"calls", "wait", "--help"});
  EXPECT_EQ(wait.status, 0);
  EXPECT_TRUE(wait.out.starts_with(
      "usage: adbcfault calls wait --method M --count N --timeout S [--since ID]\n"))
      << wait.out;
  EXPECT_EQ(wait.out.find("sub-commands"), std::string::npos);
  EXPECT_NE(run({"--help"}).out.find("\n  calls assert-same-operation --method M [--last N]"),
            std::string::npos);
}

class ValidateTest : public CliAppTest {
 protected:
  std::string write(const std::string& name, const std::string& text) {
    auto path = dir_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path.string();
  }
};

constexpr char kGood[] = "scenarios:\n  - name: x\n    description: d\n    action: {type: reset}\n";
// A valid scenario, one with an action that does not exist (line 7) and one without a
// description (line 8).
constexpr char kGoodAndBad[] =
    "scenarios:\n"
    "  - name: good\n"
    "    description: d\n"
    "    action: {type: reset}\n"
    "  - name: bad\n"
    "    description: d\n"
    "    action: {type: frobnicate}\n"
    "  - name: bad_too\n"
    "    action: {type: reset}\n";

TEST_F(ValidateTest, ValidFileNeedsNoDaemon) {
  auto good = write("good.yaml", kGood);
  auto result = run({"--socket", socket_, "validate", good});  // nothing listens there
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, good + ": 1 scenario(s), all valid\n");
  EXPECT_EQ(result.err, "");
}

TEST_F(ValidateTest, EveryErrorWithItsPositionAndExitTwo) {
  auto good = write("good.yaml", kGood);
  auto mixed = write("mixed.yaml", kGoodAndBad);
  auto result = run({"validate", good, mixed});
  EXPECT_EQ(result.status, 2);
  EXPECT_EQ(result.out, "");
  std::istringstream lines(result.err);
  std::vector<std::string> errors;
  for (std::string line; std::getline(lines, line);) errors.push_back(line);
  ASSERT_EQ(errors.size(), 2u) << result.err;
  EXPECT_TRUE(errors[0].starts_with(mixed + ":7:")) << errors[0];
  EXPECT_NE(errors[0].find(": action.type: "), std::string::npos) << errors[0];
  EXPECT_TRUE(errors[1].starts_with(mixed + ":8:")) << errors[1];
  EXPECT_NE(errors[1].find(": description: required field is missing"), std::string::npos)
      << errors[1];
}

TEST_F(ValidateTest, MissingFileIsAnError) {
  auto missing = (dir_ / "missing.yaml").string();
  auto result = run({"validate", missing});
  EXPECT_EQ(result.status, 2);
  EXPECT_EQ(result.err, missing + ": no such file or directory\n");
}

TEST_F(ValidateTest, DirectoriesListTheirFiles) {
  auto a = write("set/a.yaml", kGood);
  auto b = write("set/b.yml",
                 "scenarios:\n  - name: y\n    description: d\n    action: {type: reset}\n"
                 "  - name: z\n    description: d\n    action: {type: reset}\n");
  fs::create_directories(dir_ / "empty");
  auto result = run({"validate", (dir_ / "set").string(), (dir_ / "empty").string()});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, a + ": 1 scenario(s), all valid\n" + b + ": 2 scenario(s), all valid\n" +
                            (dir_ / "empty").string() +
                            ": no *.yaml or *.yml files, nothing to validate\n");
}

TEST_F(ValidateTest, Json) {
  auto mixed = write("mixed.yaml", kGoodAndBad);
  auto result = run({"validate", mixed, "--json"});
  EXPECT_EQ(result.status, 2);
  EXPECT_EQ(result.err, "");
  auto json = Json::parse(result.out);
  EXPECT_EQ(json["valid"], false);
  EXPECT_EQ(json["files"], Json::array({mixed}));
  EXPECT_EQ(json["scenarios"], 0);
  EXPECT_EQ(json["errors"].size(), 2u);

  auto good = write("good.yaml", kGood);
  auto ok = Json::parse(run({"--json", "validate", good}).out);
  EXPECT_EQ(ok,
            Json::parse(R"({"valid":true,"files":[")" + good + R"("],"scenarios":1,"errors":[]})"));
}

}  // namespace
}  // namespace adbcfault::cli
