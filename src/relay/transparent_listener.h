#pragma once
// The socket TPROXY hands intercepted connections to: bound to 127.0.0.1 with IP_TRANSPARENT,
// so each accepted socket's local address is the destination the client originally dialled.

#include <boost/asio/ip/tcp.hpp>
#include <cstdint>

namespace adbcfault::relay {

// Throws std::runtime_error naming the port and the reason (busy, no permission).
boost::asio::ip::tcp::acceptor open_transparent_listener(boost::asio::io_context& io, uint16_t port);

}  // namespace adbcfault::relay
