#include "cli/daemon_errors.h"

#include <grp.h>
#include <sys/stat.h>

#include <cerrno>

#include "cli/exit_status.h"
#include "cli/format.h"
#include "control/error_codes.h"

namespace adbcfault::cli {
namespace {

// "adbcfault" for a socket owned by that group; empty when it cannot be seen.
std::string socket_group_name(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "";
  group entry{};
  group* found = nullptr;
  char buffer[4096];
  if (::getgrgid_r(st.st_gid, &entry, buffer, sizeof buffer, &found) == 0 && found != nullptr) {
    return found->gr_name;
  }
  return "gid " + std::to_string(st.st_gid);
}

}  // namespace

std::string describe_client_error(const control::ClientError& error,
                                  const std::filesystem::path& socket_path,
                                  std::chrono::milliseconds timeout) {
  using Kind = control::ClientError::Kind;
  const std::string path = socket_path.string();
  switch (error.kind) {
    case Kind::connect:
      switch (error.errno_value) {
        case ENOENT:
        case ENOTDIR:
          return "adbcfaultd is not running (no socket at " + path +
                 "): start it with 'systemctl start adbcfaultd', or pass --socket";
        case ECONNREFUSED:
          return "adbcfaultd is not running (nothing listens on " + path +
                 "): start it with 'systemctl start adbcfaultd', or pass --socket";
        case EACCES:
        case EPERM: {
          std::string group = socket_group_name(socket_path);
          return "permission denied on " + path +
                 ": run as root or as a member of the socket's group" +
                 (group.empty() ? "" : " (" + group + ")");
        }
        case ENAMETOOLONG:
          return "socket path " + path + " is too long: pass a shorter --socket";
        default:
          return "cannot connect to adbcfaultd at " + path + ": " + error.message;
      }
    case Kind::timeout:
      return "adbcfaultd did not answer within " + format_seconds(timeout.count() / 1000.0) +
             " on " + path + ": check 'systemctl status adbcfaultd', or pass a longer --timeout";
    case Kind::closed:
      return "adbcfaultd closed the connection without answering: see its log "
             "('journalctl -u adbcfaultd')";
    case Kind::too_large:
      return "the answer from adbcfaultd is too large to read (" + error.message + ")";
    case Kind::io:
      break;
  }
  return "cannot talk to adbcfaultd at " + path + ": " + error.message;
}

int print_daemon_error(const control::Error& error, std::ostream& err) {
  err << "adbcfault: " << error.message << "\n";
  return error.code == control::codes::kFailed ? kExitFailed : kExitError;
}

}  // namespace adbcfault::cli
