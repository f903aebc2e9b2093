#pragma once
// Moves bytes one way between two sockets. Bulk goes through a pipe with splice(2), so it never
// enters userspace; small reads (requests, short responses) are copied with recv+send, which is
// cheaper for them. Backpressure is the pipe: we read only when it is empty, and what the sink
// cannot take waits there, so a slow reader bounds our memory at one pipe per direction.
// The options are the mechanics connection-level faults need (stop after N bytes, throttle,
// delay the first byte); with none set this is plain pass-through.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "relay/pipe_pool.h"

namespace adbcfault::relay {

class SplicePump {
 public:
  enum class End {
    kEof,           // the source finished sending; we passed the FIN on (half-close)
    kLimitReached,  // exactly `stop_after` bytes were forwarded
    kSourceReset,   // reading failed: the source reset or died
    kSinkReset,     // writing failed: the sink reset or closed
    kNoResources,   // no pipe could be created (out of file descriptors)
  };
  struct Options {
    std::optional<uint64_t> stop_after;
    uint64_t bytes_per_second = 0;  // 0: unthrottled
    std::chrono::milliseconds first_byte_delay{0};
    std::function<void()> on_first_byte_delayed;  // called when that delay starts
  };

  // `owner` keeps the object that holds this pump (and both sockets) alive while an operation is
  // pending; `counter` is the relay-wide byte total for this direction.
  SplicePump(boost::asio::ip::tcp::socket& from, boost::asio::ip::tcp::socket& to,
             uint64_t& counter, Options options, std::function<void(End)> on_end,
             std::weak_ptr<void> owner);
  ~SplicePump();
  SplicePump(const SplicePump&) = delete;
  SplicePump& operator=(const SplicePump&) = delete;

  void start();
  void stop();  // no callback after this; the owner closes the sockets
  uint64_t forwarded() const { return forwarded_; }
  bool finished() const { return done_; }

 private:
  void pump();
  void wait(boost::asio::ip::tcp::socket& socket, boost::asio::socket_base::wait_type what);
  void after(std::chrono::milliseconds delay);
  void finish(End end);
  bool ensure_pipe();
  // Sends what a copying read got; what the sink cannot take now goes into the pipe. False when
  // the pump finished.
  bool send_copied(const char* data, size_t length);

  boost::asio::ip::tcp::socket& from_;
  boost::asio::ip::tcp::socket& to_;
  uint64_t& counter_;
  Options options_;
  std::function<void(End)> on_end_;
  std::weak_ptr<void> owner_;
  boost::asio::steady_timer timer_;
  Pipe pipe_;
  size_t in_pipe_ = 0;
  size_t last_read_ = 0;  // decides between copying (small reads) and splicing (bulk)
  uint64_t read_total_ = 0;
  uint64_t forwarded_ = 0;
  uint64_t throttle_budget_ = 0;
  bool eof_seen_ = false;
  bool first_byte_delay_pending_ = false;
  bool done_ = false;
};

}  // namespace adbcfault::relay
