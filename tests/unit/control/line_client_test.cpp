#include "control/line_client.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>
#include <filesystem>
#include <future>

namespace adbcfault::control {
namespace {

using namespace std::chrono_literals;

TEST(LineClient, MissingSocketIsAConnectError) {
  auto result = round_trip("/nonexistent/adbcfault/control.sock", "{}", 1s);
  ASSERT_TRUE(std::holds_alternative<ClientError>(result));
  EXPECT_EQ(std::get<ClientError>(result).kind, ClientError::Kind::connect);
  EXPECT_EQ(std::get<ClientError>(result).errno_value, ENOENT);
}

TEST(LineClient, TooLongPathIsAConnectError) {
  auto result = round_trip(std::string(200, 'a'), "{}", 1s);
  ASSERT_TRUE(std::holds_alternative<ClientError>(result));
  EXPECT_EQ(std::get<ClientError>(result).errno_value, ENAMETOOLONG);
}

TEST(LineClient, SilentServerTimesOut) {
  char dir_pattern[] = "/tmp/adbcf-client-XXXXXX";
  ASSERT_NE(::mkdtemp(dir_pattern), nullptr);
  std::filesystem::path path = std::filesystem::path(dir_pattern) / "s.sock";
  // A listener that never accepts: connect succeeds into the backlog, no answer ever comes.
  UniqueFd listener(::socket(AF_UNIX, SOCK_STREAM, 0));
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strcpy(address.sun_path, path.c_str());
  ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener.get(), 4), 0);

  auto started = std::chrono::steady_clock::now();
  auto result = round_trip(path, "{}", 100ms);
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(std::holds_alternative<ClientError>(result));
  EXPECT_EQ(std::get<ClientError>(result).kind, ClientError::Kind::timeout);
  EXPECT_GE(took, 100ms);
  EXPECT_LT(took, 5s);
  std::filesystem::remove_all(dir_pattern);
}

TEST(LineClient, AnswerSentBeforeThePeerClosedIsStillRead) {
  char dir_pattern[] = "/tmp/adbcf-client-XXXXXX";
  ASSERT_NE(::mkdtemp(dir_pattern), nullptr);
  std::filesystem::path path = std::filesystem::path(dir_pattern) / "s.sock";
  UniqueFd listener(::socket(AF_UNIX, SOCK_STREAM, 0));
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strcpy(address.sun_path, path.c_str());
  ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener.get(), 4), 0);
  // Like a refused peer: answer at once and close without reading anything.
  auto refuser = std::async(std::launch::async, [&] {
    UniqueFd accepted(::accept(listener.get(), nullptr, nullptr));
    return ::write(accepted.get(), "refused\n", 8);
  });
  // Far more than a socket buffer holds, so the send is still going when the peer closes.
  auto result = round_trip(path, std::string(4 * 1024 * 1024, 'x'), 5s);
  EXPECT_EQ(refuser.get(), 8);
  ASSERT_TRUE(std::holds_alternative<std::string>(result)) << std::get<ClientError>(result).message;
  EXPECT_EQ(std::get<std::string>(result), "refused");
  std::filesystem::remove_all(dir_pattern);
}

TEST(LineClient, ReadsLinesSplitAcrossWritesAndSeveralPerWrite) {
  char dir_pattern[] = "/tmp/adbcf-client-XXXXXX";
  ASSERT_NE(::mkdtemp(dir_pattern), nullptr);
  std::filesystem::path path = std::filesystem::path(dir_pattern) / "s.sock";
  UniqueFd listener(::socket(AF_UNIX, SOCK_STREAM, 0));
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strcpy(address.sun_path, path.c_str());
  ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener.get(), 4), 0);

  auto deadline = std::chrono::steady_clock::now() + 5s;
  auto connected = LineClient::connect(path, deadline);
  ASSERT_TRUE(std::holds_alternative<LineClient>(connected));
  auto& client = std::get<LineClient>(connected);
  UniqueFd accepted(::accept(listener.get(), nullptr, nullptr));
  ASSERT_TRUE(accepted);
  ASSERT_EQ(::write(accepted.get(), "one\ntw", 6), 6);
  EXPECT_EQ(std::get<std::string>(client.read_line(deadline)), "one");
  ASSERT_EQ(::write(accepted.get(), "o\nthree", 7), 7);
  EXPECT_EQ(std::get<std::string>(client.read_line(deadline)), "two");
  accepted.reset();
  auto last = client.read_line(deadline);
  ASSERT_TRUE(std::holds_alternative<ClientError>(last));
  EXPECT_EQ(std::get<ClientError>(last).kind, ClientError::Kind::closed);
  std::filesystem::remove_all(dir_pattern);
}

}  // namespace
}  // namespace adbcfault::control
