#include "cli/daemon_errors.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "control/error_codes.h"

namespace adbcfault::cli {
namespace {

using control::ClientError;
using Kind = ClientError::Kind;
constexpr auto kTimeout = std::chrono::seconds(30);

std::string describe(Kind kind, int error, const std::string& path = "/run/x.sock") {
  return describe_client_error(ClientError{kind, error, "detail"}, path, kTimeout);
}

TEST(DaemonErrors, NotRunning) {
  EXPECT_EQ(describe(Kind::connect, ENOENT),
            "adbcfaultd is not running (no socket at /run/x.sock): start it with 'systemctl "
            "start adbcfaultd', or pass --socket");
  EXPECT_NE(describe(Kind::connect, ECONNREFUSED).find("is not running (nothing listens"),
            std::string::npos);
}

TEST(DaemonErrors, PermissionDeniedNamesTheGroup) {
  char pattern[] = "/tmp/adbcf-perm-XXXXXX";
  int fd = ::mkstemp(pattern);
  ASSERT_GE(fd, 0);
  ::close(fd);
  auto message = describe(Kind::connect, EACCES, pattern);
  EXPECT_NE(message.find("permission denied on " + std::string(pattern) +
                         ": run as root or as a member of the socket's group ("),
            std::string::npos)
      << message;
  ::unlink(pattern);
  EXPECT_EQ(describe(Kind::connect, EACCES, "/nonexistent/x.sock"),
            "permission denied on /nonexistent/x.sock: run as root or as a member of the "
            "socket's group");
}

TEST(DaemonErrors, TimeoutClosedAndOthers) {
  EXPECT_EQ(describe(Kind::timeout, ETIMEDOUT),
            "adbcfaultd did not answer within 30 s on /run/x.sock: check 'systemctl status "
            "adbcfaultd', or pass a longer --timeout");
  EXPECT_NE(describe(Kind::closed, 0).find("closed the connection without answering"),
            std::string::npos);
  EXPECT_EQ(describe(Kind::io, EPIPE), "cannot talk to adbcfaultd at /run/x.sock: detail");
  EXPECT_NE(describe(Kind::connect, ENAMETOOLONG).find("pass a shorter --socket"),
            std::string::npos);
}

TEST(DaemonErrors, PrintsEveryLineOfAFailure) {
  std::ostringstream err;
  EXPECT_EQ(print_daemon_error(control::Error{control::codes::kFailed,
                                              "expected 2 FetchResults call(s), saw 1\n"
                                              "  all calls: OpenSession,FetchResults"},
                               err),
            1);
  EXPECT_EQ(err.str(),
            "adbcfault: expected 2 FetchResults call(s), saw 1\n"
            "  all calls: OpenSession,FetchResults\n");
}

TEST(DaemonErrors, OnlyFailedIsExitOne) {
  std::ostringstream err;
  EXPECT_EQ(
      print_daemon_error(
          control::Error{control::codes::kInvalidArgument, "calls wait needs --method M"}, err),
      2);
  EXPECT_EQ(err.str(), "adbcfault: calls wait needs --method M\n");
}

}  // namespace
}  // namespace adbcfault::cli
