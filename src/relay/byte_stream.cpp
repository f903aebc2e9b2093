#include "relay/byte_stream.h"

#include <sys/socket.h>

#include <boost/asio/write.hpp>

#include "relay/socket_ops.h"

namespace adbcfault::relay {

void TcpByteStream::async_read_some(boost::asio::mutable_buffer buffer, Handler handler) {
  socket_.async_read_some(buffer, std::move(handler));
}

void TcpByteStream::async_write(boost::asio::const_buffer buffer, Handler handler) {
  boost::asio::async_write(socket_, buffer, std::move(handler));
}

void TcpByteStream::shutdown_send() { ::shutdown(socket_.native_handle(), SHUT_WR); }

void TcpByteStream::reset() { reset_and_close(socket_); }

void TcpByteStream::close() { close_quietly(socket_); }

void TcpByteStream::cancel() {
  boost::system::error_code ignored;
  socket_.cancel(ignored);
}

}  // namespace adbcfault::relay
