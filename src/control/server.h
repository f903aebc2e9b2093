#pragma once
// The control socket: a Unix stream listener that answers newline-delimited JSON requests
// through a Dispatcher. Runs entirely on the io_context's thread.

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>

#include "control/dispatcher.h"

namespace adbcfault::control {

struct ServerOptions {
  std::filesystem::path socket_path = "/run/adbcfault/control.sock";
  mode_t mode = 0660;
  // One key=value line per notable event (refused peer, accept failure, oversized request).
  // Empty: say nothing.
  std::function<void(std::string_view line)> log;
};

class Server {
 public:
  // `io` and `dispatcher` must outlive the Server.
  Server(boost::asio::io_context& io, Dispatcher& dispatcher, ServerOptions options);
  ~Server();  // stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Creates the parent directory (0755) if missing, replaces a stale socket file, binds, sets
  // the mode and listens. Throws std::runtime_error naming the path and the reason, including
  // when another adbcfaultd already listens there. Call before or on the io_context's thread.
  void start();
  // Closes the listener and every connection and removes the socket file it created.
  // Idempotent; call on the io_context's thread (or while it is not running).
  void stop();

  const std::filesystem::path& socket_path() const;

 private:
  struct State;
  std::shared_ptr<State> state_;  // shared with pending handlers, so they outlive nothing
};

}  // namespace adbcfault::control
