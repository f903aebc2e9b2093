#pragma once
// A RST discards whatever the kernel still holds to send. A fault that promises "exactly N
// bytes, then a reset" therefore waits (bounded) until the peer acknowledged every byte we
// wrote, then resets.

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>

namespace adbcfault::relay {

// Calls `then` once the socket `fd` has nothing unacknowledged (SIOCOUTQ is 0) or after
// `budget`, whichever comes first. `timer` must outlive the wait; `keep` is held meanwhile.
void after_send_queue_drains(int fd, boost::asio::steady_timer& timer, std::shared_ptr<void> keep,
                             std::function<void()> then,
                             std::chrono::milliseconds budget = std::chrono::milliseconds(2000));

}  // namespace adbcfault::relay
