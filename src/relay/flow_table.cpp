#include "relay/flow_table.h"

#include "relay/flow.h"

namespace adbcfault::relay {

std::vector<std::shared_ptr<Flow>> FlowTable::snapshot() const {
  std::vector<std::shared_ptr<Flow>> live;
  live.reserve(flows_.size());
  for (const auto& [id, weak] : flows_)
    if (auto flow = weak.lock()) live.push_back(std::move(flow));
  return live;
}

}  // namespace adbcfault::relay
