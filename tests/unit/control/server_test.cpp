#include "control/server.h"

#include <grp.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <thread>

#include "control/error_codes.h"
#include "control/line_client.h"
#include "control/protocol.h"
#include "control/unique_fd.h"

namespace adbcfault::control {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr auto kTimeout = 5s;  // generous bound for every wait; a passing test takes ms

Deadline soon() { return std::chrono::steady_clock::now() + kTimeout; }

class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/adbcf-control-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

LineClient must_connect(const fs::path& path) {
  auto connected = LineClient::connect(path, soon());
  if (auto* error = std::get_if<ClientError>(&connected)) {
    throw std::runtime_error("connect " + path.string() + ": " + error->message);
  }
  return std::move(std::get<LineClient>(connected));
}

void must_send(LineClient& client, std::string_view bytes) {
  auto sent = client.send(bytes, soon());
  if (auto* error = std::get_if<ClientError>(&sent)) throw std::runtime_error(error->message);
}

Json must_read(LineClient& client) {
  auto line = client.read_line(soon());
  if (auto* error = std::get_if<ClientError>(&line)) throw std::runtime_error(error->message);
  return Json::parse(std::get<std::string>(line));
}

Json ask(LineClient& client, std::string_view request_line) {
  must_send(client, std::string(request_line) + "\n");
  return must_read(client);
}

Json ask(const fs::path& path, std::string_view request_line) {
  auto client = must_connect(path);
  return ask(client, request_line);
}

// The connection is over once a read ends without a line (EOF, or a reset when the server
// closed with our unread bytes still queued).
bool connection_ends(LineClient& client) {
  auto line = client.read_line(soon());
  auto* error = std::get_if<ClientError>(&line);
  return error != nullptr &&
         (error->kind == ClientError::Kind::closed ||
          (error->kind == ClientError::Kind::io && error->errno_value == ECONNRESET));
}

// Binds and closes a socket without unlinking it: what a crashed daemon leaves behind.
void make_stale_socket(const fs::path& path) {
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM, 0));
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strcpy(address.sun_path, path.c_str());
  ASSERT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
}

const std::string kEcho = R"({"v":1,"op":"echo","args":{"n":1}})";

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dispatcher_.add("echo", [](const Json& args) -> Result { return args; });
    dispatcher_.add("boom", [](const Json&) -> Result { throw std::runtime_error("boom"); });
    // Answers after a timer, to show a later reply does not let the next response overtake it.
    dispatcher_.add_async("slow", [this](const Json&, Reply reply) {
      auto timer = std::make_shared<boost::asio::steady_timer>(io_, 50ms);
      timer->async_wait([timer, reply](const boost::system::error_code&) {
        reply(Json{{"slow", true}});
      });
    });
    dispatcher_.add_async("never", [this](const Json&, Reply reply) { held_.push_back(reply); });
  }

  void TearDown() override { stop_loop(); }

  ServerOptions options(fs::path path = {}) {
    ServerOptions options;
    options.socket_path = path.empty() ? socket_path_ : path;
    return options;
  }

  void start(ServerOptions options) {
    server_ = std::make_unique<Server>(io_, dispatcher_, std::move(options));
    server_->start();
    work_.emplace(io_.get_executor());
    loop_done_ = std::async(std::launch::async, [this] { io_.run(); });
  }
  void start() { start(options()); }

  // Runs `f` on the event loop and waits for it, as the daemon's main would.
  void on_loop(std::function<void()> f) {
    std::promise<void> done;
    boost::asio::post(io_, [&] {
      f();
      done.set_value();
    });
    ASSERT_EQ(done.get_future().wait_for(kTimeout), std::future_status::ready);
  }

  void stop_loop() {
    if (!loop_done_.valid()) return;
    boost::asio::post(io_, [this] {
      if (server_) server_->stop();
      held_.clear();
      work_.reset();
    });
    if (loop_done_.wait_for(kTimeout) != std::future_status::ready) {
      ADD_FAILURE() << "event loop did not finish after stop()";
      io_.stop();
    }
    loop_done_.get();
  }

  TempDir dir_;
  fs::path socket_path_ = dir_.path() / "run" / "control.sock";
  boost::asio::io_context io_;
  Dispatcher dispatcher_;
  std::vector<Reply> held_;  // replies of "never", touched only on the loop
  std::unique_ptr<Server> server_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::future<void> loop_done_;
};

TEST_F(ServerTest, RoundTrip) {
  start();
  auto response = ask(socket_path_, R"({"v":1,"op":"echo","args":{"n":1},"id":7})");
  EXPECT_EQ(response, Json::parse(R"({"v":1,"ok":true,"result":{"n":1},"id":7})"));
}

TEST_F(ServerTest, SeveralRequestsOnOneConnection) {
  start();
  auto client = must_connect(socket_path_);
  for (int i = 0; i < 3; ++i) {
    auto response = ask(client, encode_request("echo", Json{{"i", i}}));
    EXPECT_EQ(response["result"]["i"], i);
  }
}

TEST_F(ServerTest, CreatesParentDirectoryAndSetsModes) {
  start();
  struct stat st {};
  ASSERT_EQ(::stat(socket_path_.parent_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  ASSERT_EQ(::stat(socket_path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0660u);
}

TEST_F(ServerTest, HonoursConfiguredMode) {
  auto opts = options();
  opts.mode = 0600;
  start(opts);
  struct stat st {};
  ASSERT_EQ(::stat(socket_path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST_F(ServerTest, OversizedRequestGetsTooLargeAndIsClosed) {
  std::vector<std::string> events;
  auto opts = options();
  opts.log = [&](std::string_view line) { events.emplace_back(line); };
  start(opts);
  auto client = must_connect(socket_path_);
  must_send(client, std::string(kMaxRequestBytes + 1, 'x'));
  auto response = must_read(client);
  EXPECT_EQ(response["error"]["code"], codes::kTooLarge) << response;
  EXPECT_TRUE(connection_ends(client));
  on_loop([] {});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].find("event=control_request_too_large"), std::string::npos);
}

TEST_F(ServerTest, RequestOfExactlyTheLimitIsServed) {
  start();
  std::string line = kEcho;
  line.resize(kMaxRequestBytes, ' ');  // JSON allows trailing whitespace
  auto client = must_connect(socket_path_);
  auto response = ask(client, line);
  EXPECT_EQ(response["ok"], true) << response;
}

TEST_F(ServerTest, GarbageGetsBadRequestAndConnectionsStayUsable) {
  start();
  auto client = must_connect(socket_path_);
  EXPECT_EQ(ask(client, "garbage")["error"]["code"], codes::kBadRequest);
  EXPECT_EQ(ask(client, kEcho)["ok"], true);        // same connection still works
  EXPECT_EQ(ask(socket_path_, kEcho)["ok"], true);  // and so does a new one
}

TEST_F(ServerTest, BlankLinesAndCrlfAreTolerated) {
  start();
  auto client = must_connect(socket_path_);
  must_send(client, "\n  \n" + kEcho + "\r\n");
  EXPECT_EQ(must_read(client)["result"]["n"], 1);
}

TEST_F(ServerTest, OversizedRequestDoesNotDisturbAnotherConnection) {
  start();
  auto good = must_connect(socket_path_);
  auto bad = must_connect(socket_path_);
  must_send(good, kEcho.substr(0, 10));  // half a request in flight
  must_send(bad, std::string(kMaxRequestBytes + 100, '{'));
  EXPECT_EQ(must_read(bad)["error"]["code"], codes::kTooLarge);
  must_send(good, kEcho.substr(10) + "\n");
  EXPECT_EQ(must_read(good)["result"]["n"], 1);
}

TEST_F(ServerTest, ThrowingHandlerAnswersInternalAndKeepsServing) {
  start();
  auto client = must_connect(socket_path_);
  EXPECT_EQ(ask(client, R"({"v":1,"op":"boom"})")["error"]["code"], codes::kInternal);
  EXPECT_EQ(ask(client, kEcho)["ok"], true);
}

TEST_F(ServerTest, SlowReplyDoesNotReorderPipelinedResponses) {
  start();
  auto client = must_connect(socket_path_);
  must_send(client, R"({"v":1,"op":"slow","id":1})"
                    "\n"
                    R"({"v":1,"op":"echo","id":2})"
                    "\n");
  EXPECT_EQ(must_read(client)["id"], 1);
  EXPECT_EQ(must_read(client)["id"], 2);
}

TEST_F(ServerTest, PendingReplyDoesNotBlockOtherConnections) {
  start();
  auto waiting = must_connect(socket_path_);
  must_send(waiting, R"({"v":1,"op":"never"})"
                     "\n");
  EXPECT_EQ(ask(socket_path_, kEcho)["ok"], true);
  auto line = waiting.read_line(std::chrono::steady_clock::now() + 50ms);
  ASSERT_TRUE(std::holds_alternative<ClientError>(line));
  EXPECT_EQ(std::get<ClientError>(line).kind, ClientError::Kind::timeout);
}

TEST_F(ServerTest, ManyConcurrentClients) {
  start();
  std::vector<LineClient> clients;
  for (int i = 0; i < 32; ++i) clients.push_back(must_connect(socket_path_));
  for (int i = 0; i < 32; ++i) must_send(clients[i], encode_request("echo", Json{{"i", i}}) + "\n");
  for (int i = 0; i < 32; ++i) EXPECT_EQ(must_read(clients[i])["result"]["i"], i);
}

TEST_F(ServerTest, StaleSocketFileIsReplaced) {
  fs::create_directories(socket_path_.parent_path());
  make_stale_socket(socket_path_);
  ASSERT_TRUE(fs::exists(socket_path_));
  start();
  EXPECT_EQ(ask(socket_path_, kEcho)["ok"], true);
}

TEST_F(ServerTest, SecondServerOnALivePathIsRefused) {
  start();
  Server second(io_, dispatcher_, options());
  try {
    second.start();
    ADD_FAILURE() << "second start() succeeded";
  } catch (const std::runtime_error& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("another adbcfaultd is already listening"), std::string::npos)
        << message;
    EXPECT_NE(message.find(socket_path_.string()), std::string::npos) << message;
  }
  EXPECT_EQ(ask(socket_path_, kEcho)["ok"], true);  // the first one is untouched
}

TEST_F(ServerTest, RegularFileAtThePathIsLeftAlone) {
  fs::create_directories(socket_path_.parent_path());
  std::ofstream(socket_path_) << "precious";
  Server server(io_, dispatcher_, options());
  EXPECT_THROW(server.start(), std::runtime_error);
  EXPECT_TRUE(fs::is_regular_file(socket_path_));
}

TEST_F(ServerTest, TooLongPathIsAStartError) {
  Server server(io_, dispatcher_, options(dir_.path() / std::string(120, 'a')));
  try {
    server.start();
    ADD_FAILURE() << "start() succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("bytes long"), std::string::npos) << e.what();
  }
}

TEST_F(ServerTest, UnwritableParentIsAStartErrorNamingThePath) {
  std::ofstream(dir_.path() / "file") << "x";
  auto path = dir_.path() / "file" / "sub" / "control.sock";
  Server server(io_, dispatcher_, options(path));
  try {
    server.start();
    ADD_FAILURE() << "start() succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
  }
}

TEST_F(ServerTest, StopUnlinksAndClosesConnections) {
  start();
  auto client = must_connect(socket_path_);
  EXPECT_EQ(ask(client, kEcho)["ok"], true);
  on_loop([this] { server_->stop(); });
  EXPECT_FALSE(fs::exists(socket_path_));
  EXPECT_TRUE(connection_ends(client));
}

TEST_F(ServerTest, StopWithAPendingReplyIsClean) {
  start();
  auto client = must_connect(socket_path_);
  must_send(client, R"({"v":1,"op":"never"})"
                    "\n");
  on_loop([] {});  // let the request arrive
  on_loop([this] {
    server_->stop();
    held_.clear();  // the handler answers after stop: nothing is written, nothing breaks
  });
  EXPECT_TRUE(connection_ends(client));
}

TEST_F(ServerTest, DestructorUnlinks) {
  {
    Server server(io_, dispatcher_, options());
    server.start();
    EXPECT_TRUE(fs::exists(socket_path_));
  }
  EXPECT_FALSE(fs::exists(socket_path_));
}

TEST_F(ServerTest, StopLeavesASocketFileThatIsNoLongerOurs) {
  start();
  on_loop([this] {
    fs::remove(socket_path_);
    make_stale_socket(socket_path_);  // another daemon's socket now
    server_->stop();
  });
  EXPECT_TRUE(fs::exists(socket_path_));
}

// Forks a child that drops to `uid`/`gid` (with `groups`), sends one request, half-closes and
// returns everything it read until EOF. Needs root.
std::string exchange_as(const fs::path& path, uid_t uid, gid_t gid, std::vector<gid_t> groups) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strcpy(address.sun_path, path.c_str());
  const std::string request = kEcho + "\n";
  int out[2];
  if (::pipe(out) != 0) throw std::runtime_error("pipe");
  pid_t pid = ::fork();
  if (pid == 0) {  // child: async-signal-safe calls only
    ::alarm(5);
    ::close(out[0]);
    if (::setgroups(groups.size(), groups.data()) != 0 || ::setgid(gid) != 0 ||
        ::setuid(uid) != 0) {
      ::write(out[1], "setuid failed", 13);
      ::_exit(1);
    }
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::write(out[1], "connect failed", 14);
      ::_exit(1);
    }
    // The server may refuse and close before we write; the answer is queued all the same.
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    ::shutdown(fd, SHUT_WR);
    char buffer[4096];
    ssize_t n;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0) ::write(out[1], buffer, n);
    ::_exit(0);
  }
  ::close(out[1]);
  UniqueFd reader(out[0]);
  std::string received;
  auto deadline = soon();
  for (;;) {
    pollfd p{reader.get(), POLLIN, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char buffer[4096];
    ssize_t n = ::read(reader.get(), buffer, sizeof buffer);
    if (n <= 0) break;
    received.append(buffer, n);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return received;
}

constexpr uid_t kNobody = 65534;
constexpr gid_t kSocketGroup = 4242;

class PeerCheckTest : public ServerTest {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to run a client as another user";
    ServerTest::SetUp();
    fs::permissions(dir_.path(), fs::perms(0755));
  }
};

TEST_F(PeerCheckTest, OtherUserIsForbiddenEvenWhenTheModeLetsThemConnect) {
  auto opts = options();
  opts.mode = 0666;
  start(opts);
  auto received = exchange_as(socket_path_, kNobody, kNobody, {});
  ASSERT_EQ(std::count(received.begin(), received.end(), '\n'), 1) << received;
  auto response = Json::parse(received);
  EXPECT_EQ(response["error"]["code"], codes::kForbidden) << received;
  EXPECT_NE(response["error"]["message"].get<std::string>().find("uid 65534"), std::string::npos);
}

TEST_F(PeerCheckTest, PrimaryGroupOfTheSocketIsAllowed) {
  start();
  ASSERT_EQ(::chown(socket_path_.c_str(), -1, kSocketGroup), 0);
  auto response = Json::parse(exchange_as(socket_path_, kNobody, kSocketGroup, {}));
  EXPECT_EQ(response["ok"], true) << response;
}

TEST_F(PeerCheckTest, SupplementaryGroupOfTheSocketIsAllowed) {
  start();
  ASSERT_EQ(::chown(socket_path_.c_str(), -1, kSocketGroup), 0);
  auto response = Json::parse(exchange_as(socket_path_, kNobody, kNobody, {kSocketGroup}));
  EXPECT_EQ(response["ok"], true) << response;
}

}  // namespace
}  // namespace adbcfault::control
