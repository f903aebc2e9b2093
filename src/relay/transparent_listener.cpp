#include "relay/transparent_listener.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace adbcfault::relay {

boost::asio::ip::tcp::acceptor open_transparent_listener(boost::asio::io_context& io, uint16_t port) {
  namespace ip = boost::asio::ip;
  const std::string where = "TPROXY listener 127.0.0.1:" + std::to_string(port);
  ip::tcp::acceptor acceptor(io);
  boost::system::error_code ec;
  acceptor.open(ip::tcp::v4(), ec);
  if (ec) throw std::runtime_error(where + ": " + ec.message());
  int on = 1;
  if (setsockopt(acceptor.native_handle(), SOL_IP, IP_TRANSPARENT, &on, sizeof on) != 0) {
    throw std::runtime_error(where + ": IP_TRANSPARENT: " + std::strerror(errno) +
                             " (needs root / CAP_NET_ADMIN)");
  }
  acceptor.set_option(ip::tcp::acceptor::reuse_address(true), ec);
  // Accepted sockets inherit TCP_NODELAY (requests and answers go out at once): one setsockopt
  // here instead of one per flow.
  acceptor.set_option(ip::tcp::no_delay(true), ec);
  if (ec) throw std::runtime_error(where + ": TCP_NODELAY: " + ec.message());
  acceptor.bind(ip::tcp::endpoint(ip::make_address_v4("127.0.0.1"), port), ec);
  if (ec) {
    throw std::runtime_error(where + ": " + ec.message() +
                             (ec == boost::asio::error::address_in_use
                                  ? " (another program uses it; choose another with --tproxy-port)"
                                  : ""));
  }
  acceptor.listen(4096, ec);
  if (ec) throw std::runtime_error(where + ": listen: " + ec.message());
  return acceptor;
}

}  // namespace adbcfault::relay
