#pragma once
// Small socket operations the relay needs that Asio does not name.

#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <string>

namespace adbcfault::relay {

// Closes with SO_LINGER 0, so the peer gets a RST instead of a FIN.
void reset_and_close(boost::asio::ip::tcp::socket& socket);
// Closes normally (FIN after queued data); safe on an already closed socket.
void close_quietly(boost::asio::ip::tcp::socket& socket);
// Marks every packet of `socket` so our own rules let it leave directly.
bool set_socket_mark(boost::asio::ip::tcp::socket& socket, uint32_t mark);
// "10.200.1.2:443"
std::string to_string(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace adbcfault::relay
