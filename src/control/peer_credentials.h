#pragma once
// Who is on the other end of a control connection, and whether they may use it.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace adbcfault::control {

struct PeerCredentials {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;              // primary group
  std::vector<gid_t> groups;  // supplementary groups (SO_PEERGROUPS); may be empty
};

// Reads SO_PEERCRED (and SO_PEERGROUPS where the kernel has it) of a connected Unix socket.
std::optional<PeerCredentials> read_peer_credentials(int fd, std::string& error);

// Root, the daemon's own user, and members of the socket file's group may talk to the daemon.
// Supplementary groups count too: the file mode already lets them connect, and
// `usermod -aG GROUP user` is how people are given access.
bool peer_allowed(const PeerCredentials& peer, uid_t daemon_euid,
                  std::optional<gid_t> socket_group);

}  // namespace adbcfault::control
