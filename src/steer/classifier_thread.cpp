#include "steer/classifier_thread.h"

#include <exception>

#include "common/log.h"

namespace adbcfault::steer {

ClassifierThread::ClassifierThread(uint16_t queue_num, uint32_t intercept_mark,
                                   NfQueueClassifier::Decide decide)
    : classifier_(io_, queue_num, intercept_mark, std::move(decide)), thread_([this] { run(); }) {}

ClassifierThread::~ClassifierThread() {
  io_.stop();
  thread_.join();
}

void ClassifierThread::run() {
  // The queue's wait is always pending, so run() returns only when stopped. A handler that
  // threw (nothing in it should; an allocation might) would otherwise end the thread and leave
  // SYNs waiting in the queue until it is full and the kernel fails open; say so and go on.
  for (;;) {
    try {
      io_.run();
      return;
    } catch (const std::exception& e) {
      LOG_ERROR("event=classifier_error error=\"" << e.what() << "\"");
      classifier_.resume();
    }
  }
}

}  // namespace adbcfault::steer
