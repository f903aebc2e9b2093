// TlsByteStream over real loopback TCP connections, both ends our own streams: what its reads
// hand over (every record already received, in one read), when they touch the socket (not after
// it was found empty), and that an end met after some bytes comes with the next read, not
// instead of the bytes.
#include "relay/tls_byte_stream.h"

#include <gtest/gtest.h>
#include <sys/ioctl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "tls_test_support.h"

namespace adbcfault::relay {
namespace {

using boost::asio::ip::tcp;
using namespace std::chrono_literals;

constexpr size_t kRecord = 16 * 1024;  // TLS's largest plaintext record

// A server context with a fresh self-signed P-256 certificate; the client does not verify
// (verification is the tls tests' subject, not this one's).
void install_self_signed(boost::asio::ssl::context& server) {
  std::time_t now = std::time(nullptr);
  tls::testing::KeyAndCertificate made = tls::testing::make_self_signed(false, now - 60, now + 3600);
  ASSERT_EQ(SSL_CTX_use_certificate(server.native_handle(), made.cert.get()), 1);
  ASSERT_EQ(SSL_CTX_use_PrivateKey(server.native_handle(), made.key.get()), 1);
}

// Two handshaken TLS streams on a loopback connection, one io_context, driven by the test.
class TlsPair : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(install_self_signed(server_context_));
    tcp::acceptor acceptor(io_, tcp::endpoint(boost::asio::ip::make_address_v4("127.0.0.1"), 0));
    client_socket_.connect(acceptor.local_endpoint());
    server_socket_ = acceptor.accept();
    client_socket_.non_blocking(true);
    server_socket_.non_blocking(true);
    client_.emplace(client_socket_, client_context_);
    server_.emplace(server_socket_, server_context_);
    int done = 0;
    auto on_handshake = [&done](const boost::system::error_code& ec) {
      EXPECT_FALSE(ec) << ec.message();
      ++done;
    };
    client_->async_handshake(TlsByteStream::Role::kClient, on_handshake);
    server_->async_handshake(TlsByteStream::Role::kServer, on_handshake);
    run_until([&] { return done == 2; });
  }

  // Runs handlers until `done` holds; fails after 5 s.
  void run_until(const std::function<bool()>& done) {
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!done()) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "timed out";
      io_.restart();
      io_.run_for(10ms);
    }
  }

  void write(TlsByteStream& stream, const std::string& data) {
    bool written = false;
    stream.async_write(boost::asio::buffer(data), [&](const boost::system::error_code& ec, size_t n) {
      EXPECT_FALSE(ec) << ec.message();
      EXPECT_EQ(n, data.size());
      written = true;
    });
    run_until([&] { return written; });
  }

  struct ReadResult {
    boost::system::error_code ec;
    std::string data;
    bool done = false;
  };
  // Starts a read into a buffer of `capacity` bytes; `result` is filled in when it completes.
  void start_read(TlsByteStream& stream, size_t capacity, ReadResult& result) {
    auto buffer = std::make_shared<std::string>(capacity, '\0');
    stream.async_read_some(boost::asio::buffer(*buffer),
                           [buffer, &result](const boost::system::error_code& ec, size_t n) {
                             result.ec = ec;
                             result.data = buffer->substr(0, n);
                             result.done = true;
                           });
  }
  ReadResult read(TlsByteStream& stream, size_t capacity) {
    ReadResult result;
    start_read(stream, capacity, result);
    run_until([&] { return result.done; });
    return result;
  }

  // `to` starts reading before `from` sends, as the relay's reads do: they wait for bytes.
  void read_started_before_sending(TlsByteStream& from, TlsByteStream& to, const std::string& message) {
    ReadResult got;
    start_read(to, 64 * 1024, got);
    write(from, message);
    run_until([&] { return got.done; });
    ASSERT_FALSE(got.ec) << got.ec.message();
    ASSERT_EQ(got.data, message);
  }

  // Waits (bounded) until the kernel holds at least `bytes` unread bytes for `socket`.
  void wait_for_queued(tcp::socket& socket, size_t bytes) {
    auto deadline = std::chrono::steady_clock::now() + 5s;
    int queued = 0;
    while (ioctl(socket.native_handle(), FIONREAD, &queued) == 0 && static_cast<size_t>(queued) < bytes) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << queued << " of " << bytes << " bytes queued";
      std::this_thread::sleep_for(1ms);
    }
  }

  boost::asio::io_context io_;
  boost::asio::ssl::context server_context_{boost::asio::ssl::context::tls_server};
  boost::asio::ssl::context client_context_{boost::asio::ssl::context::tls_client};
  tcp::socket client_socket_{io_};
  tcp::socket server_socket_{io_};
  std::optional<TlsByteStream> client_;
  std::optional<TlsByteStream> server_;
};

TEST_F(TlsPair, OneReadHandsOverEveryRecordAlreadyReceived) {
  std::string data(4 * kRecord, 'x');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>('a' + i % 26);
  write(*client_, data);
  wait_for_queued(server_socket_, data.size() + 4 * 22);  // four TLS 1.3 records with their overhead
  ReadResult got = read(*server_, 2 * data.size());
  ASSERT_FALSE(got.ec) << got.ec.message();
  ASSERT_EQ(got.data.size(), data.size()) << "one read should take all four records, not one";
  EXPECT_TRUE(got.data == data) << "the bytes differ";
}

TEST_F(TlsPair, ReadsAfterAnEmptiedSocketWaitInsteadOfTryingIt) {
  uint64_t before = server_->empty_socket_reads() + client_->empty_socket_reads();
  constexpr int kRounds = 100;
  for (int i = 0; i < kRounds; ++i) {
    ASSERT_NO_FATAL_FAILURE(read_started_before_sending(*client_, *server_, "ping " + std::to_string(i)));
    ASSERT_NO_FATAL_FAILURE(read_started_before_sending(*server_, *client_, "pong " + std::to_string(i)));
  }
  // Asking OpenSSL first would find the socket empty at the start of every read: 200 here.
  EXPECT_LT(server_->empty_socket_reads() + client_->empty_socket_reads() - before, 10u);
}

TEST_F(TlsPair, AnEndAfterBytesComesWithTheNextRead) {
  write(*client_, "last words");
  client_->close();  // close_notify, then FIN
  wait_for_queued(server_socket_, 10 + 2 * 22);  // the data record and the alert record at least
  ReadResult got = read(*server_, 64 * 1024);
  EXPECT_FALSE(got.ec) << got.ec.message();
  EXPECT_EQ(got.data, "last words");
  got = read(*server_, 64 * 1024);
  EXPECT_EQ(got.ec, boost::asio::error::eof) << got.ec.message();
  EXPECT_TRUE(got.data.empty());
}

}  // namespace
}  // namespace adbcfault::relay
