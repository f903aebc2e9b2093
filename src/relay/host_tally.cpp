#include "relay/host_tally.h"

namespace adbcfault::relay {

void HostTally::add(const std::string& host) {
  if (auto known = counts_.find(host); known != counts_.end()) {
    ++known->second;
    return;
  }
  const size_t names = counts_.size() - counts_.count(kOthers);
  ++counts_[names < kMaxHosts ? host : kOthers];
}

}  // namespace adbcfault::relay
