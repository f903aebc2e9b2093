#pragma once
// A TLS session on one side of a flow (terminated towards the client with a leaf we mint, or
// originated towards the server and verified). Built on asio's SSL stream over the flow's
// socket.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>

#include "relay/byte_stream.h"

namespace adbcfault::relay {

class TlsByteStream final : public ByteStream {
 public:
  TlsByteStream(boost::asio::ip::tcp::socket& socket, boost::asio::ssl::context& context)
      : socket_(socket), stream_(socket, context) {}

  boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>& ssl() { return stream_; }

  void async_read_some(boost::asio::mutable_buffer buffer, Handler handler) override;
  void async_write(boost::asio::const_buffer buffer, Handler handler) override;
  // A bare FIN: asio cannot send close_notify while a read is pending on the same session. Our
  // contexts tolerate peers that do the same (SSL_OP_IGNORE_UNEXPECTED_EOF).
  void shutdown_send() override;
  void reset() override;
  // close_notify when the socket takes it at once, then FIN.
  void close() override;
  void cancel() override;
  int native_handle() override { return socket_.native_handle(); }
  boost::asio::ip::tcp::socket* spliceable() override { return nullptr; }

 private:
  boost::asio::ip::tcp::socket& socket_;
  boost::asio::ssl::stream<boost::asio::ip::tcp::socket&> stream_;
};

}  // namespace adbcfault::relay
