#pragma once
// The `status` op's result: what a person at 2 a.m. wants first, then the counters.

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "relay/relay_counters.h"
#include "steer/intercept_target.h"
#include "steer/nfqueue_classifier.h"

namespace adbcfault::daemon {

struct StatusInputs {
  std::chrono::steady_clock::duration uptime;
  const std::vector<steer::InterceptTarget>& intercepts;
  bool rules_installed;
  const relay::RelayCounters& relay;
  steer::NfQueueClassifier::Counters classifier;
};

nlohmann::json status_report(const StatusInputs& in);

}  // namespace adbcfault::daemon
