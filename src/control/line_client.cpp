#include "control/line_client.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

namespace adbcfault::control {
namespace {

using Clock = std::chrono::steady_clock;

ClientError errno_error(ClientError::Kind kind, int error, std::string what) {
  return ClientError{kind, error, std::move(what) + ": " + std::strerror(error)};
}

ClientError timeout_error(std::string what) {
  return ClientError{ClientError::Kind::timeout, ETIMEDOUT, "timed out " + std::move(what)};
}

// Waits until `fd` is ready for `events` or the deadline passes; EINTR just waits again.
std::variant<std::monostate, ClientError> wait_ready(int fd, short events, Deadline deadline,
                                                     const char* what) {
  for (;;) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return timeout_error(what);
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1 << 30)));
    if (n > 0) return std::monostate{};
    if (n < 0 && errno != EINTR) return errno_error(ClientError::Kind::io, errno, what);
  }
}

}  // namespace

std::variant<LineClient, ClientError> LineClient::connect(const std::filesystem::path& socket_path,
                                                          Deadline deadline) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string& path = socket_path.native();
  if (path.empty() || path.size() >= sizeof address.sun_path) {
    return ClientError{
        ClientError::Kind::connect, ENAMETOOLONG,
        "socket path must be 1-" + std::to_string(sizeof address.sun_path - 1) + " bytes long"};
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);

  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return errno_error(ClientError::Kind::io, errno, "socket");
  // A blocking connect honours SO_SNDTIMEO while the listener's backlog is full; a
  // non-blocking one would fail at once with EAGAIN instead of waiting for the daemon.
  auto left = std::chrono::ceil<std::chrono::microseconds>(deadline - Clock::now());
  if (left.count() <= 0) return timeout_error("connecting");
  timeval tv{static_cast<time_t>(left.count() / 1000000),
             static_cast<suseconds_t>(left.count() % 1000000)};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  while (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EINPROGRESS) return timeout_error("connecting");
    return errno_error(ClientError::Kind::connect, errno, "connect");
  }
  if (::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) | O_NONBLOCK) != 0) {
    return errno_error(ClientError::Kind::io, errno, "fcntl");
  }
  return LineClient(std::move(fd));
}

std::variant<std::monostate, ClientError> LineClient::send(std::string_view bytes,
                                                           Deadline deadline) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) return errno_error(ClientError::Kind::io, errno, "send");
    if (auto waited = wait_ready(fd_.get(), POLLOUT, deadline, "sending the request");
        std::holds_alternative<ClientError>(waited)) {
      return waited;
    }
  }
  return std::monostate{};
}

std::variant<std::string, ClientError> LineClient::read_line(Deadline deadline) {
  std::size_t scanned = 0;  // bytes of buffered_ known to hold no newline
  for (;;) {
    if (auto newline = buffered_.find('\n', scanned); newline != std::string::npos) {
      std::string line = buffered_.substr(0, newline);
      buffered_.erase(0, newline + 1);
      return line;
    }
    scanned = buffered_.size();
    if (buffered_.size() > kMaxResponseBytes) {
      return ClientError{ClientError::Kind::too_large, 0,
                         "response longer than " + std::to_string(kMaxResponseBytes) + " bytes"};
    }
    char chunk[16 * 1024];
    ssize_t n = ::recv(fd_.get(), chunk, sizeof chunk, 0);
    if (n > 0) {
      buffered_.append(chunk, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0) {
      return ClientError{ClientError::Kind::closed, 0, "connection closed before a response"};
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return errno_error(ClientError::Kind::io, errno, "recv");
    auto waited = wait_ready(fd_.get(), POLLIN, deadline, "waiting for the response");
    if (auto* error = std::get_if<ClientError>(&waited)) return *error;
  }
}

std::variant<std::string, ClientError> round_trip(const std::filesystem::path& socket_path,
                                                  std::string_view request_line,
                                                  std::chrono::milliseconds timeout) {
  Deadline deadline = Clock::now() + timeout;
  auto connected = LineClient::connect(socket_path, deadline);
  if (auto* error = std::get_if<ClientError>(&connected)) return *error;
  auto& client = std::get<LineClient>(connected);
  std::string line(request_line);
  line += '\n';
  if (auto sent = client.send(line, deadline); auto* error = std::get_if<ClientError>(&sent)) {
    // A daemon that refuses a peer answers and closes without reading the request; its answer
    // is still queued for us and says far more than "broken pipe".
    if (error->kind == ClientError::Kind::io &&
        (error->errno_value == EPIPE || error->errno_value == ECONNRESET)) {
      if (auto answer = client.read_line(deadline); std::holds_alternative<std::string>(answer)) {
        return answer;
      }
    }
    return *error;
  }
  return client.read_line(deadline);
}

}  // namespace adbcfault::control
