#pragma once
// Control ops over the call journal: calls, calls_count, calls_reset, calls_wait, calls_verify,
// calls_assert_same_operation. Waits are timers on the daemon's loop, woken by the journal.

#include <boost/asio/io_context.hpp>
#include <atomic>
#include <memory>

#include "control/dispatcher.h"
#include "journal/call_journal.h"

namespace adbcfault::daemon {

class JournalHandlers {
 public:
  JournalHandlers(boost::asio::io_context& io, journal::CallJournal& journal);
  ~JournalHandlers();
  void register_with(control::Dispatcher& dispatcher);
  void cancel_waits();  // daemon stop: every pending wait is answered

 private:
  struct Waiter;
  void check_waiters();

  boost::asio::io_context& io_;
  journal::CallJournal& journal_;
  std::vector<std::shared_ptr<Waiter>> waiters_;
  std::atomic<size_t> waiting_{0};  // waiters_.size(), readable from the journal's listener
};

}  // namespace adbcfault::daemon
