#include "relay/tls_byte_stream.h"

#include <sys/socket.h>

#include <boost/asio/write.hpp>

#include "relay/socket_ops.h"

namespace adbcfault::relay {

void TlsByteStream::async_read_some(boost::asio::mutable_buffer buffer, Handler handler) {
  stream_.async_read_some(buffer, [handler = std::move(handler)](const boost::system::error_code& ec,
                                                                 size_t n) {
    // A peer that closes without close_notify has ended its side like a FIN does.
    if (ec == boost::asio::ssl::error::stream_truncated) {
      handler(boost::asio::error::eof, n);
      return;
    }
    handler(ec, n);
  });
}

void TlsByteStream::async_write(boost::asio::const_buffer buffer, Handler handler) {
  boost::asio::async_write(stream_, buffer, std::move(handler));
}

void TlsByteStream::shutdown_send() {
  if (socket_.is_open()) ::shutdown(socket_.native_handle(), SHUT_WR);
}

void TlsByteStream::reset() { reset_and_close(socket_); }

void TlsByteStream::close() {
  if (!socket_.is_open()) return;
  // The socket is non-blocking: this writes close_notify, then stops at "would block" waiting
  // for the peer's; good enough for a polite goodbye.
  boost::system::error_code ignored;
  stream_.shutdown(ignored);
  close_quietly(socket_);
}

void TlsByteStream::cancel() {
  boost::system::error_code ignored;
  socket_.cancel(ignored);
}

}  // namespace adbcfault::relay
