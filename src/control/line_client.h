#pragma once
// A blocking client for the control socket: connect, send a line, read a line, each bounded by
// a deadline. Used by the CLI and by tests; the daemon never blocks like this.

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <variant>

#include "control/unique_fd.h"

namespace adbcfault::control {

using Deadline = std::chrono::steady_clock::time_point;

struct ClientError {
  enum class Kind {
    connect,    // connect() failed: errno_value says why (ENOENT, ECONNREFUSED, EACCES, ...)
    timeout,    // the deadline passed
    closed,     // the daemon closed the connection before a full line arrived
    too_large,  // the response line exceeded the client's limit
    io,         // any other socket error: errno_value says which
  };
  Kind kind;
  int errno_value = 0;
  std::string message;  // short technical description, for the caller to wrap
};

class LineClient {
 public:
  // Longest response line accepted; the daemon's answers are far smaller.
  static constexpr std::size_t kMaxResponseBytes = 64 * 1024 * 1024;

  static std::variant<LineClient, ClientError> connect(const std::filesystem::path& socket_path,
                                                       Deadline deadline);

  // Sends `bytes` as they are: append '\n' yourself to end a request.
  std::variant<std::monostate, ClientError> send(std::string_view bytes, Deadline deadline);
  // Returns the next line without its '\n'.
  std::variant<std::string, ClientError> read_line(Deadline deadline);

  int fd() const { return fd_.get(); }

 private:
  explicit LineClient(UniqueFd fd) : fd_(std::move(fd)) {}

  UniqueFd fd_;
  std::string buffered_;  // bytes received after the last returned line
};

// Connects, sends `request_line` plus '\n', and returns the response line.
std::variant<std::string, ClientError> round_trip(const std::filesystem::path& socket_path,
                                                  std::string_view request_line,
                                                  std::chrono::milliseconds timeout);

}  // namespace adbcfault::control
