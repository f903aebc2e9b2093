#include "control/peer_credentials.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace adbcfault::control {

std::optional<PeerCredentials> read_peer_credentials(int fd, std::string& error) {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    error = std::string("SO_PEERCRED: ") + std::strerror(errno);
    return std::nullopt;
  }
  PeerCredentials peer{cred.pid, cred.uid, cred.gid, {}};
  // Start with room for a typical user; the kernel says how much it needs when that is short.
  std::vector<gid_t> groups(32);
  for (int attempt = 0; attempt < 2; ++attempt) {
    socklen_t bytes = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &bytes) == 0) {
      groups.resize(bytes / sizeof(gid_t));
      peer.groups = std::move(groups);
      break;
    }
    if (errno != ERANGE) break;  // old kernel: primary group only
    groups.resize(bytes / sizeof(gid_t) + 1);
  }
  return peer;
}

bool peer_allowed(const PeerCredentials& peer, uid_t daemon_euid,
                  std::optional<gid_t> socket_group) {
  if (peer.uid == 0 || peer.uid == daemon_euid) return true;
  if (!socket_group) return false;
  return peer.gid == *socket_group ||
         std::find(peer.groups.begin(), peer.groups.end(), *socket_group) != peer.groups.end();
}

}  // namespace adbcfault::control
