#pragma once
// One accepted control connection. Requests are handled one at a time, so responses leave in
// request order even when a handler answers later.

#include <atomic>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/streambuf.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "control/dispatcher.h"

namespace adbcfault::control {

class Session : public std::enable_shared_from_this<Session> {
 public:
  using Socket = boost::asio::local::stream_protocol::socket;
  using Log = std::function<void(std::string_view line)>;

  // `dispatcher` must outlive every call into the session; close() stops all further use.
  Session(Socket socket, Dispatcher& dispatcher, Log log);

  void start();              // read and answer requests until the peer goes away
  void refuse(Error error);  // answer once with `error`, then close
  void close();
  bool closed() const { return closed_; }

 private:
  void read_next();
  void on_read(const boost::system::error_code& error, std::size_t bytes);
  // Called with the dispatcher's response, possibly later and from a handler's context.
  void deliver(std::string response_line);
  void write(std::string line, bool close_after);

  Socket socket_;
  Dispatcher& dispatcher_;
  Log log_;
  boost::asio::streambuf input_;  // capped at one request line plus its newline
  std::string output_;
  std::atomic<bool> closed_{false};
};

}  // namespace adbcfault::control
