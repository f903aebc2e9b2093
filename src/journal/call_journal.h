#pragma once
// The bounded call journal: a ring of the most recent calls with monotonic ids. Guarded by a
// mutex (the control plane and the data path may one day run on different threads); queries
// copy what they return, so nothing is ever read while it is being changed.

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "journal/call_entry.h"

namespace adbcfault::journal {

struct CallFilter {
  std::string method;  // matches the Thrift method, or the HTTP method when there is none
  uint64_t since_id = 0;  // only entries with id >= since_id
};

bool matches(const CallEntry& entry, const CallFilter& filter);

class CallJournal {
 public:
  explicit CallJournal(size_t capacity);

  // Stores the entry, assigns and returns its id; evicts the oldest entry when full.
  uint64_t append(CallEntry entry);
  // Changes an entry still in the ring (e.g. its response arrived). False if it was evicted.
  bool update(uint64_t id, const std::function<void(CallEntry&)>& change);
  // The id the next entry will get: a cursor a test can count from.
  uint64_t next_id() const;
  std::vector<CallEntry> query(const CallFilter& filter) const;
  size_t count(const CallFilter& filter) const;
  // Forgets the entries; ids keep counting up so earlier cursors stay meaningful.
  void reset();
  size_t capacity() const { return capacity_; }
  uint64_t evicted() const;

  // Called (outside the lock) after every append or update; `calls wait` listens here.
  void set_on_change(std::function<void()> listener);

 private:
  void notify();

  const size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<CallEntry> entries_;
  uint64_t next_id_ = 1;
  uint64_t evicted_ = 0;
  std::function<void()> on_change_;
};

}  // namespace adbcfault::journal
