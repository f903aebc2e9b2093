#include "relay/tls_byte_stream.h"

#include <openssl/err.h>
#include <sys/socket.h>

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <cerrno>
#include <stdexcept>

#include "relay/socket_ops.h"

namespace adbcfault::relay {
namespace {

// OpenSSL's read buffer: several 16 KiB records per read(2) when bulk is flowing.
constexpr size_t kReadBuffer = 64 * 1024 + 512;
// Four full records and their overhead.
constexpr int kWriteBuffer = 4 * (16 * 1024 + 256);

// What a failed SSL_* call means, as the error codes asio's SSL stream would have given.
boost::system::error_code error_of(int ssl_error) {
  if (ssl_error == SSL_ERROR_ZERO_RETURN) return boost::asio::error::eof;
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (ssl_error == SSL_ERROR_SYSCALL && code == 0) {
    // The socket failed under OpenSSL, or (errno 0) the peer closed without close_notify.
    return errno ? boost::system::error_code(errno, boost::system::system_category())
                 : boost::system::error_code(boost::asio::error::eof);
  }
  // A peer that closes without close_notify has ended its side like a FIN does.
  if (ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING) return boost::asio::error::eof;
  if (code == 0) return boost::asio::ssl::error::unspecified_system_error;
  return {static_cast<int>(code), boost::asio::error::get_ssl_category()};
}

}  // namespace

TlsByteStream::TlsByteStream(boost::asio::ip::tcp::socket& socket, boost::asio::ssl::context& context)
    : socket_(socket), ssl_(SSL_new(context.native_handle())) {
  if (!ssl_) throw std::runtime_error("SSL_new failed");
  // Reads straight from the socket; writes through a buffer so that the four 16 KiB records of
  // a 64 KiB write leave in one write(2), and the receiver is woken once, not four times. The
  // socket BIO does not close the socket (asio owns it); the two chains share it.
  BIO* socket_bio = BIO_new_socket(socket_.native_handle(), BIO_NOCLOSE);
  BIO* write_buffer = BIO_new(BIO_f_buffer());
  if (!socket_bio || !write_buffer) throw std::runtime_error("BIO_new failed");
  BIO_set_write_buffer_size(write_buffer, kWriteBuffer);
  BIO_up_ref(socket_bio);
  BIO_push(write_buffer, socket_bio);
  BIO_set_callback_ex(socket_bio, &TlsByteStream::on_socket_bio);
  BIO_set_callback_arg(socket_bio, reinterpret_cast<char*>(this));
  SSL_set_bio(ssl_, socket_bio, write_buffer);
  // Not SSL_MODE_RELEASE_BUFFERS: freeing and reallocating the 64 KiB read buffer around every
  // record cost about 5% of the daemon's time on keep-alive requests. The price is memory: about
  // 150 KiB per TLS side while the flow lives (docs/tls.md).
  SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_set_read_ahead(ssl_, 1);
  SSL_set_default_read_buffer_len(ssl_, kReadBuffer);
}

TlsByteStream::~TlsByteStream() { SSL_free(ssl_); }

template <typename Completion>
void TlsByteStream::complete(bool initiating, Completion completion) {
  // Never from inside the call that started the operation, as with any asio operation; from a
  // wait's handler (a fresh stack) the handler runs at once, saving a trip through the queue.
  if (initiating) {
    boost::asio::post(socket_.get_executor(), std::move(completion));
  } else {
    completion();
  }
}

std::optional<boost::asio::socket_base::wait_type> TlsByteStream::wanted(int ssl_error) {
  if (ssl_error == SSL_ERROR_WANT_READ) return boost::asio::socket_base::wait_read;
  if (ssl_error == SSL_ERROR_WANT_WRITE) return boost::asio::socket_base::wait_write;
  return std::nullopt;
}

void TlsByteStream::async_handshake(Role role, HandshakeHandler handler) {
  if (role == Role::kClient) {
    SSL_set_connect_state(ssl_);
  } else {
    SSL_set_accept_state(ssl_);
  }
  handshake_step(std::move(handler), true);
}

void TlsByteStream::handshake_step(HandshakeHandler handler, bool initiating) {
  ERR_clear_error();
  int result = SSL_do_handshake(ssl_);
  if (result == 1) {
    complete(initiating, [handler = std::move(handler)] { handler({}); });
    return;
  }
  int ssl_error = SSL_get_error(ssl_, result);
  if (auto what = wanted(ssl_error)) {
    socket_.async_wait(*what, [this, handler = std::move(handler)](const boost::system::error_code& ec) mutable {
      if (ec) {
        handler(ec);
      } else {
        handshake_step(std::move(handler), false);
      }
    });
    return;
  }
  complete(initiating, [handler = std::move(handler), ec = error_of(ssl_error)] { handler(ec); });
}

void TlsByteStream::async_read_some(boost::asio::mutable_buffer buffer, Handler handler) {
  read_step(buffer, std::move(handler), true);
}

void TlsByteStream::read_step(boost::asio::mutable_buffer buffer, Handler handler, bool initiating) {
  if (deferred_read_error_) {
    auto ec = *deferred_read_error_;
    deferred_read_error_.reset();
    complete(initiating, [handler = std::move(handler), ec] { handler(ec, 0); });
    return;
  }
  if (socket_drained_ && !SSL_has_pending(ssl_)) {
    wait_then_read(boost::asio::socket_base::wait_read, buffer, std::move(handler));
    return;
  }
  size_t filled = 0;
  int ssl_error = read_available(buffer, filled);
  auto what = wanted(ssl_error);
  if (filled > 0) {
    // The bytes go up now; an error after them (close_notify, a reset) is the next read's answer.
    if (ssl_error != SSL_ERROR_NONE && !what) deferred_read_error_ = error_of(ssl_error);
    complete(initiating, [handler = std::move(handler), filled] { handler({}, filled); });
    return;
  }
  if (what) {
    wait_then_read(*what, buffer, std::move(handler));
    return;
  }
  complete(initiating, [handler = std::move(handler), ec = error_of(ssl_error)] { handler(ec, 0); });
}

int TlsByteStream::read_available(boost::asio::mutable_buffer buffer, size_t& filled) {
  char* data = static_cast<char*>(buffer.data());
  while (filled < buffer.size()) {
    ERR_clear_error();
    size_t n = 0;
    if (SSL_read_ex(ssl_, data + filled, buffer.size() - filled, &n) != 1) return SSL_get_error(ssl_, 0);
    filled += n;
    // SSL_read returns one record at a time. Go on while OpenSSL holds more bytes, or the socket
    // may: after a short read(2) it had none, and asking would only cost a failing call.
    if (socket_drained_ && !SSL_has_pending(ssl_)) return SSL_ERROR_WANT_READ;
  }
  return SSL_ERROR_NONE;
}

void TlsByteStream::wait_then_read(boost::asio::socket_base::wait_type what, boost::asio::mutable_buffer buffer,
                                   Handler handler) {
  socket_.async_wait(what, [this, buffer, handler = std::move(handler)](const boost::system::error_code& ec) mutable {
    if (ec) {
      handler(ec, 0);
      return;
    }
    // Bytes, a FIN or an error arrived, or there is room to write: OpenSSL must be asked now
    // (after a write wait it may only need to send, and must not wait for bytes instead).
    socket_drained_ = false;
    read_step(buffer, std::move(handler), false);
  });
}

long TlsByteStream::on_socket_bio(BIO* bio, int operation, const char* /*data*/, size_t length, int /*argi*/,
                                  long /*argl*/, int result, size_t* processed) {
  if (operation != (BIO_CB_READ | BIO_CB_RETURN)) return result;
  auto* self = reinterpret_cast<TlsByteStream*>(BIO_get_callback_arg(bio));
  size_t got = result > 0 && processed ? *processed : 0;
  self->socket_drained_ = got < length;
  if (result <= 0 && BIO_should_retry(bio)) ++self->empty_socket_reads_;
  return result;
}

void TlsByteStream::async_write(boost::asio::const_buffer buffer, Handler handler) {
  write_step(buffer, 0, std::move(handler), true);
}

void TlsByteStream::write_step(boost::asio::const_buffer buffer, size_t done, Handler handler,
                               bool initiating) {
  while (done < buffer.size()) {
    ERR_clear_error();
    size_t n = 0;
    if (SSL_write_ex(ssl_, static_cast<const char*>(buffer.data()) + done, buffer.size() - done, &n) == 1) {
      done += n;
      continue;
    }
    int ssl_error = SSL_get_error(ssl_, 0);
    if (auto what = wanted(ssl_error)) {
      socket_.async_wait(*what, [this, buffer, done, handler = std::move(handler)](
                                    const boost::system::error_code& ec) mutable {
        if (ec) {
          handler(ec, done);
        } else {
          write_step(buffer, done, std::move(handler), false);
        }
      });
      return;
    }
    complete(initiating, [handler = std::move(handler), done, ec = error_of(ssl_error)] { handler(ec, done); });
    return;
  }
  flush_step(done, std::move(handler), initiating);
}

void TlsByteStream::flush_step(size_t written, Handler handler, bool initiating) {
  // SSL_write leaves the last records in the write buffer; they are sent only when it is full
  // or flushed.
  BIO* out = SSL_get_wbio(ssl_);
  errno = 0;
  if (BIO_flush(out) > 0) {
    complete(initiating, [handler = std::move(handler), written] { handler({}, written); });
    return;
  }
  if (BIO_should_retry(out)) {
    socket_.async_wait(boost::asio::socket_base::wait_write,
                       [this, written, handler = std::move(handler)](const boost::system::error_code& ec) mutable {
                         if (ec) {
                           handler(ec, written);
                         } else {
                           flush_step(written, std::move(handler), false);
                         }
                       });
    return;
  }
  boost::system::error_code ec(errno ? errno : EPIPE, boost::system::system_category());
  complete(initiating, [handler = std::move(handler), written, ec] { handler(ec, written); });
}

void TlsByteStream::send_close_notify() {
  // One attempt: it goes out if the socket takes it now. SSL_shutdown's first call only sends;
  // we never wait here for the peer's close_notify.
  if (!SSL_is_init_finished(ssl_)) return;
  ERR_clear_error();
  SSL_shutdown(ssl_);
  ERR_clear_error();
}

void TlsByteStream::shutdown_send() {
  if (!socket_.is_open()) return;
  send_close_notify();
  ::shutdown(socket_.native_handle(), SHUT_WR);
}

void TlsByteStream::reset() { reset_and_close(socket_); }

void TlsByteStream::close() {
  if (!socket_.is_open()) return;
  send_close_notify();
  close_quietly(socket_);
}

void TlsByteStream::cancel() {
  boost::system::error_code ignored;
  socket_.cancel(ignored);
}

}  // namespace adbcfault::relay
