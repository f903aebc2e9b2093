#include "control/peer_credentials.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "control/unique_fd.h"

namespace adbcfault::control {
namespace {

PeerCredentials peer(uid_t uid, gid_t gid, std::vector<gid_t> groups = {}) {
  return PeerCredentials{1234, uid, gid, std::move(groups)};
}

TEST(PeerAllowed, RootIsAlwaysAllowed) {
  EXPECT_TRUE(peer_allowed(peer(0, 0), 1000, std::nullopt));
}

TEST(PeerAllowed, DaemonsOwnUserIsAllowed) {
  EXPECT_TRUE(peer_allowed(peer(1000, 1000), 1000, std::nullopt));
  EXPECT_FALSE(peer_allowed(peer(1001, 1000), 1000, std::nullopt));
}

TEST(PeerAllowed, SocketGroupByPrimaryOrSupplementaryGroup) {
  EXPECT_TRUE(peer_allowed(peer(1001, 500), 0, 500));
  EXPECT_TRUE(peer_allowed(peer(1001, 1001, {27, 500}), 0, 500));
  EXPECT_FALSE(peer_allowed(peer(1001, 1001, {27}), 0, 500));
  EXPECT_FALSE(peer_allowed(peer(1001, 500), 0, std::nullopt));
}

TEST(ReadPeerCredentials, SeesThisProcess) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  UniqueFd a(fds[0]), b(fds[1]);
  std::string error;
  auto creds = read_peer_credentials(a.get(), error);
  ASSERT_TRUE(creds) << error;
  EXPECT_EQ(creds->pid, ::getpid());
  EXPECT_EQ(creds->uid, ::geteuid());
  EXPECT_EQ(creds->gid, ::getegid());
}

TEST(ReadPeerCredentials, FailsOnANonSocket) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  UniqueFd a(fds[0]), b(fds[1]);
  std::string error;
  EXPECT_FALSE(read_peer_credentials(a.get(), error));
  EXPECT_NE(error.find("SO_PEERCRED"), std::string::npos);
}

}  // namespace
}  // namespace adbcfault::control
