#pragma once
// The NFQUEUE classifier on a thread of its own. Its verdict is the costliest system call of a
// new connection (the kernel re-injects the SYN and runs the whole handshake inside it), so the
// relay's thread, which accepts and carries the connection, should not be the one paying for it.

#include <boost/asio/io_context.hpp>
#include <thread>

#include "steer/nfqueue_classifier.h"

namespace adbcfault::steer {

class ClassifierThread {
 public:
  // Binds the queue (throws SteerError as NfQueueClassifier does), then starts the thread.
  // `decide` runs on that thread.
  ClassifierThread(uint16_t queue_num, uint32_t intercept_mark, NfQueueClassifier::Decide decide);
  // Stops the thread and unbinds the queue: from then on the kernel fails open.
  ~ClassifierThread();
  ClassifierThread(const ClassifierThread&) = delete;
  ClassifierThread& operator=(const ClassifierThread&) = delete;

  NfQueueClassifier::Counters counters() const { return classifier_.counters(); }

 private:
  void run();

  boost::asio::io_context io_{1};
  NfQueueClassifier classifier_;
  std::thread thread_;  // last: starts once everything it uses exists
};

}  // namespace adbcfault::steer
