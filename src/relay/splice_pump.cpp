#include "relay/splice_pump.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>

namespace adbcfault::relay {
namespace {

constexpr int kPipeSize = 1 << 20;
// Bytes one flow may move before yielding the event loop to others.
constexpr uint64_t kFairnessBudget = 4u << 20;
// A throttled pump sends a slice of its rate every tick.
constexpr auto kThrottleTick = std::chrono::milliseconds(50);
constexpr unsigned kSpliceFlags = SPLICE_F_MOVE | SPLICE_F_NONBLOCK;

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

SplicePump::~SplicePump() {
  if (pipe_read_ >= 0) ::close(pipe_read_);
  if (pipe_write_ >= 0) ::close(pipe_write_);
}

void SplicePump::start() {
  int fds[2];
  if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
    finish(End::kNoResources);
    return;
  }
  pipe_read_ = fds[0];
  pipe_write_ = fds[1];
  int size = fcntl(pipe_write_, F_SETPIPE_SZ, kPipeSize);
  pipe_capacity_ = static_cast<size_t>(size > 0 ? size : fcntl(pipe_write_, F_GETPIPE_SZ));
  if (options_.bytes_per_second) {
    throttle_budget_ = std::max<uint64_t>(1, options_.bytes_per_second * kThrottleTick.count() / 1000);
  }
  pump();
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
  for (;;) {
    while (in_pipe_ > 0) {
      ssize_t n = splice(pipe_read_, nullptr, to_fd, nullptr, in_pipe_, kSpliceFlags);
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
    size_t want = pipe_capacity_;
    if (options_.stop_after) want = std::min<uint64_t>(want, *options_.stop_after - read_total_);
    if (options_.bytes_per_second) {
      if (throttle_budget_ == 0) {
        after(kThrottleTick);
        return;
      }
      want = std::min<uint64_t>(want, throttle_budget_);
    }
    ssize_t n = splice(from_fd, nullptr, pipe_write_, nullptr, want, kSpliceFlags);
    if (n > 0) {
      in_pipe_ += static_cast<size_t>(n);
      read_total_ += static_cast<uint64_t>(n);
      moved += static_cast<uint64_t>(n);
      if (options_.bytes_per_second) throttle_budget_ -= static_cast<uint64_t>(n);
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
