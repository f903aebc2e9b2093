#pragma once
// `adbcfault enable NAME --set KEY=VALUE`: per-enable changes to a scenario, validated by the
// same rules as the files.
//
// KEY is `action.PARAM`, a top-level field (times, skip, probability, duration_seconds) or a bare
// action PARAM. A bare key that is both an action parameter and a top-level field means the
// action parameter: `--set duration_seconds=30` on a hang sets how long it hangs.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fault/scenario.h"

namespace adbcfault::fault {

using Overrides = std::map<std::string, std::string>;

struct OverrideResult {
  std::optional<Scenario> scenario;  // set exactly when `errors` is empty
  // One per bad key: "--set after_bytes=-3: must be a non-negative integer".
  std::vector<std::string> errors;
};

OverrideResult apply_overrides(const Scenario& base, const Overrides& overrides);

}  // namespace adbcfault::fault
