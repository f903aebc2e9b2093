#include "tls/leaf_cache.h"

#include <stdexcept>

#include "tls/host_name.h"

namespace adbcfault::tls {
namespace {

// A leaf is re-minted once half its lifetime has passed, so a long-running daemon never hands
// out a certificate that is about to expire.
bool needs_refresh(const Leaf& leaf, std::chrono::system_clock::time_point now) {
  return now >= leaf.minted_at + (leaf.not_after - leaf.minted_at) / 2;
}

}  // namespace

LeafCache::LeafCache(const LeafMinter& minter, size_t capacity)
    : minter_(minter), capacity_(capacity) {
  if (capacity == 0) throw std::invalid_argument("leaf cache capacity must be at least 1");
}

std::shared_ptr<const Leaf> LeafCache::get(const std::string& host_or_ip, std::string& error) {
  error.clear();
  std::optional<HostName> host = parse_host_name(host_or_ip, error);
  {
    std::lock_guard lock(mutex_);
    if (!host) {
      ++counters_.rejected;
      return nullptr;
    }
    if (auto leaf = lookup(host->text)) {
      ++counters_.hits;
      return leaf;
    }
    ++counters_.misses;
  }
  std::shared_ptr<const Leaf> leaf = minter_.mint(host->text, error);
  if (!leaf) return nullptr;
  return insert(std::move(leaf));
}

std::shared_ptr<const Leaf> LeafCache::lookup(const std::string& key) {
  auto found = index_.find(key);
  if (found == index_.end()) return nullptr;
  if (needs_refresh(**found->second, std::chrono::system_clock::now())) {
    entries_.erase(found->second);
    index_.erase(found);
    return nullptr;
  }
  entries_.splice(entries_.begin(), entries_, found->second);  // now most recently used
  return *found->second;
}

std::shared_ptr<const Leaf> LeafCache::insert(std::shared_ptr<const Leaf> leaf) {
  std::lock_guard lock(mutex_);
  ++counters_.mints;
  auto found = index_.find(leaf->name);
  if (found != index_.end()) {
    // Another thread minted the same name meanwhile: keep its leaf, so callers converge on one.
    entries_.splice(entries_.begin(), entries_, found->second);
    return *found->second;
  }
  entries_.push_front(std::move(leaf));
  index_.emplace(entries_.front()->name, entries_.begin());
  if (entries_.size() > capacity_) {
    index_.erase(entries_.back()->name);
    entries_.pop_back();
  }
  return entries_.front();
}

LeafCache::Counters LeafCache::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

size_t LeafCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace adbcfault::tls
