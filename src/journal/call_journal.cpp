#include "journal/call_journal.h"

#include <algorithm>

namespace adbcfault::journal {

bool matches(const CallEntry& entry, const CallFilter& filter) {
  if (entry.id < filter.since_id) return false;
  if (filter.method.empty()) return true;
  return entry.thrift_method.empty() ? entry.http_method == filter.method
                                     : entry.thrift_method == filter.method;
}

CallJournal::CallJournal(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {}

uint64_t CallJournal::append(CallEntry entry) {
  uint64_t id;
  {
    std::lock_guard lock(mutex_);
    id = next_id_++;
    entry.id = id;
    if (entries_.size() == capacity_) {
      entries_.pop_front();
      ++evicted_;
    }
    entries_.push_back(std::move(entry));
  }
  notify();
  return id;
}

bool CallJournal::update(uint64_t id, const std::function<void(CallEntry&)>& change) {
  {
    std::lock_guard lock(mutex_);
    if (entries_.empty() || id < entries_.front().id || id > entries_.back().id) return false;
    // Ids are consecutive inside the ring, so the position is arithmetic.
    CallEntry& entry = entries_[id - entries_.front().id];
    change(entry);
    entry.id = id;
  }
  notify();
  return true;
}

uint64_t CallJournal::next_id() const {
  std::lock_guard lock(mutex_);
  return next_id_;
}

std::vector<CallEntry> CallJournal::query(const CallFilter& filter) const {
  std::lock_guard lock(mutex_);
  std::vector<CallEntry> found;
  for (const auto& entry : entries_)
    if (matches(entry, filter)) found.push_back(entry);
  return found;
}

size_t CallJournal::count(const CallFilter& filter) const {
  std::lock_guard lock(mutex_);
  return static_cast<size_t>(std::count_if(entries_.begin(), entries_.end(),
                                           [&](const CallEntry& e) { return matches(e, filter); }));
}

void CallJournal::reset() {
  {
    std::lock_guard lock(mutex_);
    entries_.clear();
  }
  notify();
}

uint64_t CallJournal::evicted() const {
  std::lock_guard lock(mutex_);
  return evicted_;
}

void CallJournal::set_on_change(std::function<void()> listener) {
  std::lock_guard lock(mutex_);
  on_change_ = std::move(listener);
}

void CallJournal::notify() {
  std::function<void()> listener;
  {
    std::lock_guard lock(mutex_);
    listener = on_change_;
  }
  if (listener) listener();
}

}  // namespace adbcfault::journal
