#include "steer/classifier_thread.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <exception>
#include <string>

#include "common/log.h"
#include "steer/steering_rules.h"

namespace adbcfault::steer {
namespace {

int make_stop_fd() {
  int fd = eventfd(0, EFD_CLOEXEC);
  if (fd < 0) throw SteerError(std::string("classifier thread: eventfd: ") + std::strerror(errno));
  return fd;
}

}  // namespace

ClassifierThread::ClassifierThread(uint16_t queue_num, uint32_t intercept_mark,
                                   NfQueueClassifier::Decide decide)
    : classifier_(queue_num, intercept_mark, std::move(decide)),
      stop_fd_(make_stop_fd()),
      thread_([this] { run(); }) {}

ClassifierThread::~ClassifierThread() {
  const uint64_t one = 1;
  if (write(stop_fd_, &one, sizeof one) != sizeof one) {
    LOG_ERROR("event=classifier_stop_failed error=\"" << std::strerror(errno) << "\"");
  }
  thread_.join();
  close(stop_fd_);
}

void ClassifierThread::run() {
  pollfd waits[2] = {{classifier_.fd(), POLLIN, 0}, {stop_fd_, POLLIN, 0}};
  for (;;) {
    if (poll(waits, 2, -1) < 0) {
      if (errno == EINTR) continue;
      // Not expected (EFAULT, ENOMEM); the queue fails open while we are not reading it.
      LOG_ERROR("event=classifier_error error=\"poll: " << std::strerror(errno) << "\"");
      return;
    }
    if (waits[1].revents) return;
    if (!waits[0].revents) continue;
    // A verdict handler that threw (nothing in it should; an allocation might) must not end the
    // thread: SYNs would wait in the queue until it is full and the kernel fails open.
    try {
      classifier_.receive();
    } catch (const std::exception& e) {
      LOG_ERROR("event=classifier_error error=\"" << e.what() << "\"");
    }
  }
}

}  // namespace adbcfault::steer
