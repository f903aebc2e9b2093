#pragma once
// A TLS session on one side of a flow (terminated towards the client with a leaf we mint, or
// originated towards the server and verified). OpenSSL works on the socket itself, non-blocking;
// asio only tells us when the socket is ready for what OpenSSL asked for. Compared with asio's SSL
// stream this saves a copy of every byte through a BIO pair, lets OpenSSL read several records
// per system call, and lets us send close_notify while a read is pending (clients that read to
// the close keep their session resumable only if they get one).
//
// Reads watch the socket's own reads (a BIO callback): after one that came back short the socket
// is known to be empty, so the next read waits for readiness first instead of asking OpenSSL,
// whose read(2) could only fail with EAGAIN; and one read hands over every record already in
// OpenSSL's buffer, not one 16 KiB record per call.

#include <openssl/ssl.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <functional>
#include <optional>

#include "relay/byte_stream.h"

namespace adbcfault::relay {

class TlsByteStream final : public ByteStream {
 public:
  enum class Role { kClient, kServer };
  using HandshakeHandler = std::function<void(const boost::system::error_code&)>;

  TlsByteStream(boost::asio::ip::tcp::socket& socket, boost::asio::ssl::context& context);
  ~TlsByteStream() override;
  TlsByteStream(const TlsByteStream&) = delete;
  TlsByteStream& operator=(const TlsByteStream&) = delete;

  SSL* session() { return ssl_; }
  // Errors are asio's SSL category (OpenSSL's reason, e.g. "tlsv1 alert unknown ca").
  void async_handshake(Role role, HandshakeHandler handler);

  void async_read_some(boost::asio::mutable_buffer buffer, Handler handler) override;
  void async_write(boost::asio::const_buffer buffer, Handler handler) override;
  // close_notify (if the socket takes it now), then FIN; reading goes on.
  void shutdown_send() override;
  void reset() override;
  // close_notify when the socket takes it at once, then FIN.
  void close() override;
  void cancel() override;
  int native_handle() override { return socket_.native_handle(); }
  boost::asio::ip::tcp::socket* spliceable() override { return nullptr; }

  // read(2) calls on the socket that found nothing (EAGAIN): what the readiness tracking saves.
  uint64_t empty_socket_reads() const { return empty_socket_reads_; }

 private:
  // Each step runs OpenSSL once more; `initiating` is true only inside the call that started the
  // operation (its completion must then be posted, not run).
  void handshake_step(HandshakeHandler handler, bool initiating);
  void read_step(boost::asio::mutable_buffer buffer, Handler handler, bool initiating);
  void write_step(boost::asio::const_buffer buffer, size_t done, Handler handler, bool initiating);
  void flush_step(size_t written, Handler handler, bool initiating);
  // The socket readiness SSL_ERROR_WANT_READ / WANT_WRITE ask for; nullopt for other results.
  static std::optional<boost::asio::socket_base::wait_type> wanted(int ssl_error);
  // Decrypts into `buffer` while records are at hand without a read(2) that would find nothing.
  // Returns the SSL_get_error code that ended it (SSL_ERROR_NONE when the buffer filled up).
  int read_available(boost::asio::mutable_buffer buffer, size_t& filled);
  // Waits for the readiness OpenSSL asked for (or, after a short read, for bytes), then reads.
  void wait_then_read(boost::asio::socket_base::wait_type what, boost::asio::mutable_buffer buffer,
                      Handler handler);
  // BIO callback on the socket BIO: notes whether the socket's last read emptied it.
  static long on_socket_bio(BIO* bio, int operation, const char* data, size_t length, int argi, long argl,
                            int result, size_t* processed);
  void send_close_notify();
  template <typename Completion>
  void complete(bool initiating, Completion completion);

  boost::asio::ip::tcp::socket& socket_;
  SSL* ssl_;
  // The socket's last read returned less than asked for (or EAGAIN): it held no more bytes then.
  bool socket_drained_ = false;
  uint64_t empty_socket_reads_ = 0;
  // An error met after some bytes were already decrypted in the same read; reported next read.
  std::optional<boost::system::error_code> deferred_read_error_;
};

}  // namespace adbcfault::relay
