#pragma once
// The NFQUEUE classifier on a thread of its own. Its verdict is the costliest system call of a
// new connection (the kernel re-injects the SYN and runs the whole handshake inside it), so the
// relay's thread, which accepts and carries the connection, should not be the one paying for it.
//
// The thread waits with a plain poll() on the queue's socket and a stop eventfd: per SYN that is
// poll, recv and the verdict, three system calls, where an asio wait on the socket cost five (the
// wait re-armed with EPOLL_CTL_MOD, epoll_wait, and a last recv that finds nothing).

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

  NfQueueClassifier classifier_;
  int stop_fd_;         // an eventfd: written once, by the destructor
  std::thread thread_;  // last: starts once everything it uses exists
};

}  // namespace adbcfault::steer
