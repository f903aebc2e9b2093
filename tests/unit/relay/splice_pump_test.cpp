// SplicePump over real loopback TCP connections: the bytes that arrive are the bytes that were
// sent, whichever way the pump moved them (copied small reads, spliced bulk, the rest of a copy
// the sink could not take parked in the pipe), and a reader that stops reading stops the pump.
#include "relay/splice_pump.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <future>
#include <optional>
#include <thread>
#include <vector>

#include "../../fixtures/pattern.h"

namespace adbcfault::relay {
namespace {

using boost::asio::ip::tcp;
using namespace std::chrono_literals;

// Two connected loopback sockets: `near` stays with the test (blocking), `far` goes to the pump.
struct Link {
  tcp::socket near;
  tcp::socket far;
};

Link connect_pair(boost::asio::io_context& io) {
  tcp::acceptor acceptor(io, tcp::endpoint(boost::asio::ip::make_address_v4("127.0.0.1"), 0));
  tcp::socket near(io);
  near.connect(acceptor.local_endpoint());
  tcp::socket far = acceptor.accept();
  far.non_blocking(true);
  return Link{std::move(near), std::move(far)};
}

// Writes `total` pattern bytes in the given chunk sizes (cycled), then a FIN.
void write_pattern(int fd, uint64_t total, const std::vector<size_t>& chunks,
                   std::atomic<uint64_t>& written) {
  std::vector<char> buffer;
  uint64_t offset = 0;
  for (size_t i = 0; offset < total; ++i) {
    size_t size = std::min<uint64_t>(chunks[i % chunks.size()], total - offset);
    buffer.resize(size);
    for (size_t j = 0; j < size; ++j) buffer[j] = static_cast<char>(fixtures::pattern_byte(offset + j));
    size_t done = 0;
    while (done < size) {
      ssize_t n = ::send(fd, buffer.data() + done, size - done, MSG_NOSIGNAL);
      if (n <= 0) return;
      done += static_cast<size_t>(n);
      written += static_cast<uint64_t>(n);
    }
    offset += size;
  }
  ::shutdown(fd, SHUT_WR);
}

// Reads until EOF, checking every byte against the pattern.
fixtures::PatternCheck read_pattern(int fd) {
  fixtures::PatternCheck check;
  char buffer[64 * 1024];
  for (;;) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    check.feed(buffer, static_cast<size_t>(n));
  }
  return check;
}

class SplicePumpTest : public ::testing::Test {
 protected:
  SplicePumpTest() : source(connect_pair(io)), sink(connect_pair(io)) {}

  void start(SplicePump::Options options = {}) {
    pump.emplace(source.far, sink.far, counter, std::move(options),
                 [this](SplicePump::End end) { ended = end; }, owner);
    pump->start();
  }
  // Runs the event loop until the pump ends, at most `limit`.
  void run_until_end(std::chrono::seconds limit = 20s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!ended && std::chrono::steady_clock::now() < deadline) io.run_for(20ms);
  }

  boost::asio::io_context io;
  Link source;  // test writes into source.near; the pump reads source.far
  Link sink;    // the pump writes into sink.far; the test reads sink.near
  uint64_t counter = 0;
  std::shared_ptr<int> owner = std::make_shared<int>(0);
  std::optional<SplicePump> pump;
  std::optional<SplicePump::End> ended;
};

TEST_F(SplicePumpTest, MixedSizesArriveIdenticalThenTheFinIsPassedOn) {
  // Small writes are copied, bulk is spliced, and the pump switches back and forth.
  const std::vector<size_t> chunks{1, 300, 70000, 5u << 20, 10, 200000, 4096};
  const uint64_t total = 24u << 20;
  std::atomic<uint64_t> written{0};
  std::thread writer(write_pattern, source.near.native_handle(), total, chunks, std::ref(written));
  auto reader = std::async(std::launch::async, read_pattern, sink.near.native_handle());
  start();
  run_until_end();
  writer.join();
  auto check = reader.get();
  ASSERT_EQ(ended, SplicePump::End::kEof);
  EXPECT_EQ(check.received, total);
  EXPECT_TRUE(check.ok) << "bytes differ from what was sent";
  EXPECT_EQ(pump->forwarded(), total);
  EXPECT_EQ(counter, total);
}

TEST_F(SplicePumpTest, ASinkThatDoesNotReadStopsThePumpAndLosesNothing) {
  // Fixed socket buffers (no autotuning) bound what can be in flight; once the sink's are full,
  // the pump's copying sends come up short and the rest must wait in the pipe.
  const int buffer = 256 * 1024;  // the kernel doubles it
  setsockopt(source.near.native_handle(), SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
  setsockopt(source.far.native_handle(), SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  setsockopt(sink.far.native_handle(), SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
  setsockopt(sink.near.native_handle(), SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  const uint64_t total = 32u << 20;
  std::atomic<uint64_t> written{0};
  std::thread writer(write_pattern, source.near.native_handle(), total, std::vector<size_t>{300, 20000},
                     std::ref(written));
  start();
  // Until the writer makes no progress for half a second (at most 20 s).
  uint64_t last = 0;
  auto still_since = std::chrono::steady_clock::now();
  const auto deadline = still_since + 20s;
  while (std::chrono::steady_clock::now() < deadline &&
         std::chrono::steady_clock::now() - still_since < 500ms) {
    io.run_for(20ms);
    if (written != last) {
      last = written;
      still_since = std::chrono::steady_clock::now();
    }
  }
  ASSERT_FALSE(ended.has_value());
  // Four socket buffers and one pipe (1 MiB): far below what the writer wanted to send.
  EXPECT_LT(written.load(), 6u << 20) << "the pump kept reading from a source whose sink was full";
  EXPECT_LT(pump->forwarded(), 2u << 20);
  auto reader = std::async(std::launch::async, read_pattern, sink.near.native_handle());
  run_until_end(60s);
  writer.join();
  auto check = reader.get();
  ASSERT_EQ(ended, SplicePump::End::kEof);
  EXPECT_EQ(check.received, total);
  EXPECT_TRUE(check.ok) << "bytes differ from what was sent";
}

TEST_F(SplicePumpTest, StopsAfterExactlyTheLimitWhenCopying) {
  std::atomic<uint64_t> written{0};
  write_pattern(source.near.native_handle(), 1000, {1000}, written);
  SplicePump::Options options;
  options.stop_after = 100;
  start(options);
  run_until_end();
  ASSERT_EQ(ended, SplicePump::End::kLimitReached);
  EXPECT_EQ(pump->forwarded(), 100u);
  sink.far.shutdown(tcp::socket::shutdown_send);
  auto check = read_pattern(sink.near.native_handle());
  EXPECT_EQ(check.received, 100u);
  EXPECT_TRUE(check.ok);
}

TEST_F(SplicePumpTest, StopsAfterExactlyTheLimitWhenSplicing) {
  std::atomic<uint64_t> written{0};
  const uint64_t limit = (3u << 20) + 17;
  std::thread writer(write_pattern, source.near.native_handle(), 8u << 20, std::vector<size_t>{1u << 20},
                     std::ref(written));
  auto reader = std::async(std::launch::async, read_pattern, sink.near.native_handle());
  SplicePump::Options options;
  options.stop_after = limit;
  start(options);
  run_until_end();
  ASSERT_EQ(ended, SplicePump::End::kLimitReached);
  EXPECT_EQ(pump->forwarded(), limit);
  sink.far.shutdown(tcp::socket::shutdown_send);
  source.far.close();  // lets the writer finish
  writer.join();
  auto check = reader.get();
  EXPECT_EQ(check.received, limit);
  EXPECT_TRUE(check.ok);
}

}  // namespace
}  // namespace adbcfault::relay
