#include "relay/socket_ops.h"

#include <sys/socket.h>

namespace adbcfault::relay {

void reset_and_close(boost::asio::ip::tcp::socket& socket) {
  if (!socket.is_open()) return;
  boost::system::error_code ignored;
  socket.set_option(boost::asio::socket_base::linger(true, 0), ignored);
  socket.close(ignored);
}

void close_quietly(boost::asio::ip::tcp::socket& socket) {
  if (!socket.is_open()) return;
  boost::system::error_code ignored;
  socket.close(ignored);
}

bool set_socket_mark(boost::asio::ip::tcp::socket& socket, uint32_t mark) {
  return setsockopt(socket.native_handle(), SOL_SOCKET, SO_MARK, &mark, sizeof mark) == 0;
}

std::string to_string(const boost::asio::ip::tcp::endpoint& endpoint) {
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

}  // namespace adbcfault::relay
