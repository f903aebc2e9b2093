#include "relay/transparent_listener.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <cstdlib>

namespace adbcfault::relay {
namespace {

namespace ip = boost::asio::ip;

// IP_TRANSPARENT needs root (CAP_NET_ADMIN); under CI (ADBCFAULT_REQUIRE_KERNEL) that is a
// failure, never a skip. The listener lives on an ephemeral loopback port for the test only.
bool may_open_listener() {
  if (::geteuid() == 0) return true;
  if (std::getenv("ADBCFAULT_REQUIRE_KERNEL")) ADD_FAILURE() << "needs root for IP_TRANSPARENT";
  return false;
}

// Flows rely on it: accepted sockets get TCP_NODELAY from the listener, not a setsockopt each.
TEST(TransparentListener, AcceptedSocketsInheritNoDelay) {
  if (!may_open_listener()) GTEST_SKIP() << "needs root for IP_TRANSPARENT";
  boost::asio::io_context io;
  ip::tcp::acceptor listener = open_transparent_listener(io, 0);
  ip::tcp::no_delay option;
  listener.get_option(option);
  EXPECT_TRUE(option.value());

  ip::tcp::socket client(io);
  client.connect(listener.local_endpoint());
  ip::tcp::endpoint peer;
  ip::tcp::socket accepted = listener.accept(peer);
  accepted.get_option(option);
  EXPECT_TRUE(option.value()) << "an accepted socket did not inherit TCP_NODELAY";
  EXPECT_EQ(peer, client.local_endpoint());  // the peer address comes with accept
}

}  // namespace
}  // namespace adbcfault::relay
