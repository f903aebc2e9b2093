#pragma once
// How the relay asks the scenario engine what to do with a connection, and tells it what
// happened. Functions rather than the engine itself, so the relay is testable with no engine.

#include <cstdint>
#include <functional>
#include <string>

#include "fault/connection_facts.h"
#include "fault/connection_fault_plan.h"

namespace adbcfault::relay {

struct FaultHooks {
  std::function<fault::ConnectionFaultPlan(const fault::ConnectionFacts&)> decide;
  // Once a TLS flow's SNI is known (facts.host set): scenarios that match by host.
  std::function<fault::ConnectionFaultPlan(const fault::ConnectionFacts&)> decide_by_host;
  std::function<void(const std::string& scenario, uint64_t flow_id)> injected;
  std::function<void(const std::string& scenario, uint64_t flow_id, const std::string& reason)>
      not_injected;
};

}  // namespace adbcfault::relay
