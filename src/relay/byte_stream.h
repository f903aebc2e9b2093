#pragma once
// One side of a relayed connection as a stream of bytes: the plain socket, or a TLS session on
// it. The HTTP exchange reads and writes through this, so it runs the same over both; only a
// plain socket offers itself for splicing bodies past userspace.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <functional>

namespace adbcfault::relay {

class ByteStream {
 public:
  using Handler = std::function<void(const boost::system::error_code&, size_t)>;
  virtual ~ByteStream() = default;

  // As asio's: some bytes, or an error; end of stream is boost::asio::error::eof.
  virtual void async_read_some(boost::asio::mutable_buffer buffer, Handler handler) = 0;
  // All of `buffer`, or an error. The buffer must stay untouched until the handler runs.
  virtual void async_write(boost::asio::const_buffer buffer, Handler handler) = 0;
  // No more bytes from us (FIN; for TLS a close_notify first). Reading goes on.
  virtual void shutdown_send() = 0;
  virtual void reset() = 0;  // RST to the peer, now
  virtual void close() = 0;  // FIN after what is queued
  virtual void cancel() = 0;  // pending operations complete now (operation_aborted)
  virtual int native_handle() = 0;  // the socket under it
  // The socket to splice from or to, when bytes need no processing here; null for TLS.
  virtual boost::asio::ip::tcp::socket* spliceable() = 0;
};

// The plain socket itself.
class TcpByteStream final : public ByteStream {
 public:
  explicit TcpByteStream(boost::asio::ip::tcp::socket& socket) : socket_(socket) {}
  void async_read_some(boost::asio::mutable_buffer buffer, Handler handler) override;
  void async_write(boost::asio::const_buffer buffer, Handler handler) override;
  void shutdown_send() override;
  void reset() override;
  void close() override;
  void cancel() override;
  int native_handle() override { return socket_.native_handle(); }
  boost::asio::ip::tcp::socket* spliceable() override { return &socket_; }

 private:
  boost::asio::ip::tcp::socket& socket_;
};

}  // namespace adbcfault::relay
