#include "relay/graceful_reset.h"

#include <linux/sockios.h>
#include <sys/ioctl.h>

namespace adbcfault::relay {
namespace {

constexpr auto kPoll = std::chrono::milliseconds(2);

bool send_queue_empty(int fd) {
  int unsent = 0;
  return ioctl(fd, SIOCOUTQ, &unsent) != 0 || unsent == 0;
}

void poll(int fd, boost::asio::steady_timer& timer, std::shared_ptr<void> keep,
          std::function<void()> then, std::chrono::steady_clock::time_point deadline) {
  if (send_queue_empty(fd) || std::chrono::steady_clock::now() >= deadline) {
    then();
    return;
  }
  timer.expires_after(kPoll);
  timer.async_wait([fd, &timer, keep, then = std::move(then), deadline](const boost::system::error_code& ec) mutable {
    if (ec) {
      then();  // cancelled: stop waiting, do what was asked now
      return;
    }
    poll(fd, timer, std::move(keep), std::move(then), deadline);
  });
}

}  // namespace

void after_send_queue_drains(int fd, boost::asio::steady_timer& timer, std::shared_ptr<void> keep,
                             std::function<void()> then, std::chrono::milliseconds budget) {
  poll(fd, timer, std::move(keep), std::move(then), std::chrono::steady_clock::now() + budget);
}

}  // namespace adbcfault::relay
