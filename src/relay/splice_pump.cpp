#include "relay/splice_pump.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <memory>

namespace adbcfault::relay {
namespace {

// Bytes one flow may move before yielding the event loop to others.
constexpr uint64_t kFairnessBudget = 4u << 20;
// A throttled pump sends a slice of its rate every tick.
constexpr auto kThrottleTick = std::chrono::milliseconds(50);
constexpr unsigned kSpliceFlags = SPLICE_F_MOVE | SPLICE_F_NONBLOCK;
// Reads smaller than this are copied through one buffer shared by all pumps: for a small request
// or response, recv+send costs less than splicing (which has to copy a small packet into a page
// anyway, and then manage the pipe). A read that fills the buffer means bulk is flowing, and the
// next read splices.
constexpr size_t kScratchSize = 64 * 1024;

char* scratch_buffer() {
  thread_local std::unique_ptr<char[]> buffer(new char[kScratchSize]);
  return buffer.get();
}

}  // namespace

SplicePump::SplicePump(boost::asio::ip::tcp::socket& from, boost::asio::ip::tcp::socket& to,
                       uint64_t& counter, Options options, std::function<void(End)> on_end,
                       std::weak_ptr<void> owner)
    : from_(from),
      to_(to),
      counter_(counter),
      options_(std::move(options)),
      on_end_(std::move(on_end)),
      owner_(std::move(owner)),
      timer_(from.get_executor()) {
  first_byte_delay_pending_ = options_.first_byte_delay.count() > 0;
}

SplicePump::~SplicePump() { PipePool::this_thread().give_back(pipe_, in_pipe_ == 0); }

void SplicePump::start() {
  if (options_.bytes_per_second) {
    throttle_budget_ = std::max<uint64_t>(1, options_.bytes_per_second * kThrottleTick.count() / 1000);
  }
  pump();
}

bool SplicePump::ensure_pipe() {
  if (pipe_.read_end >= 0) return true;
  auto pipe = PipePool::this_thread().take();
  if (!pipe) return false;
  pipe_ = *pipe;
  return true;
}

bool SplicePump::send_copied(const char* data, size_t length) {
  ssize_t sent;
  do {
    sent = ::send(to_.native_handle(), data, length, MSG_DONTWAIT | MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
    finish(End::kSinkReset);
    return false;
  }
  const size_t done = sent > 0 ? static_cast<size_t>(sent) : 0;
  forwarded_ += done;
  counter_ += done;
  if (done == length) return true;
  // The sink is full: the rest waits in the pipe, which is empty now and holds more than the
  // scratch buffer, so one write takes it all and the pipe's backpressure applies as usual.
  const size_t rest = length - done;
  if (!ensure_pipe() || ::write(pipe_.write_end, data + done, rest) != static_cast<ssize_t>(rest)) {
    finish(End::kNoResources);
    return false;
  }
  in_pipe_ = rest;
  return true;
}

void SplicePump::stop() {
  done_ = true;
  timer_.cancel();
}

void SplicePump::wait(boost::asio::ip::tcp::socket& socket,
                      boost::asio::socket_base::wait_type what) {
  socket.async_wait(what, [this, keep = owner_.lock()](const boost::system::error_code& ec) {
    if (ec || done_) return;
    pump();
  });
}

void SplicePump::after(std::chrono::milliseconds delay) {
  timer_.expires_after(delay);
  timer_.async_wait([this, keep = owner_.lock()](const boost::system::error_code& ec) {
    if (ec || done_) return;
    if (options_.bytes_per_second) {
      throttle_budget_ =
          std::max<uint64_t>(1, options_.bytes_per_second * kThrottleTick.count() / 1000);
    }
    pump();
  });
}

void SplicePump::finish(End end) {
  if (done_) return;
  done_ = true;
  timer_.cancel();
  on_end_(end);
}

void SplicePump::pump() {
  uint64_t moved = 0;
  const int from_fd = from_.native_handle();
  const int to_fd = to_.native_handle();
  // A read that came back well short of what it asked for emptied the socket: asking
  // again would only earn EAGAIN, so after passing the bytes on we wait for more instead.
  // (Waiting re-checks readiness, so nothing is missed if a few bytes did remain.)
  bool source_drained = false;
  for (;;) {
    while (in_pipe_ > 0) {
      ssize_t n = splice(pipe_.read_end, nullptr, to_fd, nullptr, in_pipe_, kSpliceFlags);
      if (n > 0) {
        in_pipe_ -= static_cast<size_t>(n);
        forwarded_ += static_cast<uint64_t>(n);
        counter_ += static_cast<uint64_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        wait(to_, boost::asio::socket_base::wait_write);
        return;
      }
      finish(End::kSinkReset);
      return;
    }
    if (options_.stop_after && forwarded_ == *options_.stop_after) {
      finish(End::kLimitReached);
      return;
    }
    if (eof_seen_) {
      ::shutdown(to_fd, SHUT_WR);
      finish(End::kEof);
      return;
    }
    if (moved >= kFairnessBudget) {
      boost::asio::post(from_.get_executor(), [this, keep = owner_.lock()] {
        if (!done_) pump();
      });
      return;
    }
    if (first_byte_delay_pending_) {
      // Wait for the first byte to exist, then hold it back for the delay.
      from_.async_wait(boost::asio::socket_base::wait_read,
                       [this, keep = owner_.lock()](const boost::system::error_code& ec) {
                         if (ec || done_) return;
                         first_byte_delay_pending_ = false;
                         if (options_.on_first_byte_delayed) options_.on_first_byte_delayed();
                         after(options_.first_byte_delay);
                       });
      return;
    }
    if (source_drained) {
      wait(from_, boost::asio::socket_base::wait_read);
      return;
    }
    const bool by_copy = last_read_ < kScratchSize;
    if (!by_copy && !ensure_pipe()) {
      finish(End::kNoResources);
      return;
    }
    size_t want = by_copy ? kScratchSize : pipe_.capacity;
    if (options_.stop_after) want = std::min<uint64_t>(want, *options_.stop_after - read_total_);
    if (options_.bytes_per_second) {
      if (throttle_budget_ == 0) {
        after(kThrottleTick);
        return;
      }
      want = std::min<uint64_t>(want, throttle_budget_);
    }
    char* scratch = by_copy ? scratch_buffer() : nullptr;
    ssize_t n = by_copy ? ::recv(from_fd, scratch, want, MSG_DONTWAIT)
                        : splice(from_fd, nullptr, pipe_.write_end, nullptr, want, kSpliceFlags);
    if (n > 0) {
      read_total_ += static_cast<uint64_t>(n);
      moved += static_cast<uint64_t>(n);
      if (options_.bytes_per_second) throttle_budget_ -= static_cast<uint64_t>(n);
      last_read_ = static_cast<size_t>(n);
      source_drained = last_read_ < want / 2;
      if (!by_copy) {
        in_pipe_ += last_read_;
      } else if (!send_copied(scratch, last_read_)) {
        return;
      }
      continue;
    }
    if (n == 0) {
      eof_seen_ = true;
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      wait(from_, boost::asio::socket_base::wait_read);
      return;
    }
    finish(End::kSourceReset);
    return;
  }
}

}  // namespace adbcfault::relay
