#include "control/session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include "control/error_codes.h"
#include "control/protocol.h"

namespace adbcfault::control {

Session::Session(Socket socket, Dispatcher& dispatcher, Log log)
    : socket_(std::move(socket)),
      dispatcher_(dispatcher),
      log_(std::move(log)),
      input_(kMaxRequestBytes + 1) {}

void Session::start() { read_next(); }

void Session::refuse(Error error) { write(encode_response(error), /*close_after=*/true); }

void Session::close() {
  if (closed_.exchange(true)) return;
  boost::system::error_code ignored;
  socket_.shutdown(Socket::shutdown_both, ignored);
  socket_.close(ignored);
}

void Session::read_next() {
  boost::asio::async_read_until(
      socket_, input_, '\n',
      [self = shared_from_this()](const boost::system::error_code& error, std::size_t bytes) {
        self->on_read(error, bytes);
      });
}

void Session::on_read(const boost::system::error_code& error, std::size_t bytes) {
  if (closed_) return;
  if (error == boost::asio::error::not_found) {
    // The buffer filled up without a newline: the line is longer than the cap.
    if (log_)
      log_("event=control_request_too_large limit_bytes=" + std::to_string(kMaxRequestBytes));
    refuse(Error{codes::kTooLarge, "request line is longer than " +
                                       std::to_string(kMaxRequestBytes) +
                                       " bytes; send one JSON object per line, at most 64 KiB"});
    return;
  }
  if (error) {  // end of file or a broken connection: nothing to answer
    close();
    return;
  }
  auto data = input_.data();
  std::string line(boost::asio::buffers_begin(data), boost::asio::buffers_begin(data) + bytes - 1);
  input_.consume(bytes);
  if (!line.empty() && line.back() == '\r') line.pop_back();  // tolerate CRLF from nc/socat
  if (line.find_first_not_of(" \t") == std::string::npos) {
    read_next();  // blank lines are not requests
    return;
  }
  dispatcher_.dispatch(line, [self = shared_from_this()](std::string response) {
    self->deliver(std::move(response));
  });
}

void Session::deliver(std::string response_line) {
  if (closed_) return;
  // Inline when the handler answered on the event loop's thread, queued onto it otherwise.
  boost::asio::dispatch(socket_.get_executor(),
                        [self = shared_from_this(), line = std::move(response_line)]() mutable {
                          self->write(std::move(line), /*close_after=*/false);
                        });
}

void Session::write(std::string line, bool close_after) {
  if (closed_) return;
  output_ = std::move(line);
  output_ += '\n';
  boost::asio::async_write(
      socket_, boost::asio::buffer(output_),
      [self = shared_from_this(), close_after](const boost::system::error_code& error,
                                               std::size_t) {
        if (self->closed_) return;
        if (error || close_after) {
          self->close();
          return;
        }
        self->read_next();  // only now: one request at a time keeps responses in order
      });
}

}  // namespace adbcfault::control
