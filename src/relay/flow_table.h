#pragma once
// Live flows by id, for status and shutdown. Holds them weakly: a flow's lifetime is its pending
// operations. Stop iterates over a snapshot, so closing a flow (which removes it) never mutates
// the map being walked.

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

namespace adbcfault::relay {

class Flow;

class FlowTable {
 public:
  void add(uint64_t id, std::weak_ptr<Flow> flow) { flows_.emplace(id, std::move(flow)); }
  void remove(uint64_t id) { flows_.erase(id); }
  size_t size() const { return flows_.size(); }
  std::vector<std::shared_ptr<Flow>> snapshot() const;

 private:
  std::unordered_map<uint64_t, std::weak_ptr<Flow>> flows_;
};

}  // namespace adbcfault::relay
