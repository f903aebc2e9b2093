#pragma once
// Bounded LRU of minted leaves in front of a LeafMinter, so a host's second and later
// connections cost a lookup instead of a signature. Entries are shared_ptrs: a leaf evicted
// while a handshake still uses it stays valid until that handshake lets go.

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "tls/leaf_minter.h"

namespace adbcfault::tls {

class LeafCache {
 public:
  static constexpr size_t kDefaultCapacity = 1024;

  struct Counters {
    uint64_t hits = 0;      // served from the cache
    uint64_t misses = 0;    // valid name not cached (or cached leaf past its refresh point)
    uint64_t mints = 0;     // leaves minted (a race on one name may mint it more than once)
    uint64_t rejected = 0;  // names refused before lookup (not a DNS name or IP literal)
  };

  // `minter` must outlive the cache. Throws std::invalid_argument if capacity is 0.
  explicit LeafCache(const LeafMinter& minter, size_t capacity = kDefaultCapacity);

  // Thread-safe. Names that differ only in case or a trailing dot share one entry. Minting
  // runs outside the lock, so one slow mint never stalls lookups of other names.
  std::shared_ptr<const Leaf> get(const std::string& host_or_ip, std::string& error);

  Counters counters() const;
  size_t size() const;
  size_t capacity() const { return capacity_; }

 private:
  using Entries = std::list<std::shared_ptr<const Leaf>>;  // most recently used first

  std::shared_ptr<const Leaf> lookup(const std::string& key);  // caller holds mutex_
  std::shared_ptr<const Leaf> insert(std::shared_ptr<const Leaf> leaf);

  const LeafMinter& minter_;
  const size_t capacity_;
  mutable std::mutex mutex_;
  Entries entries_;
  std::unordered_map<std::string, Entries::iterator> index_;
  Counters counters_;
};

}  // namespace adbcfault::tls
