#pragma once
// The top-level scenario fields that hold a value rather than structure (times, skip,
// probability, duration_seconds). One table serves files and `enable --set`, so both accept the
// same text.

#include <string>
#include <string_view>
#include <vector>

#include "fault/scenario.h"

namespace adbcfault::fault {

struct ScenarioField {
  std::string_view name;
  std::string_view syntax;   // for docs
  std::string_view meaning;  // for docs
  // Converts `text` and stores it in `scenario`; on failure leaves it alone and sets `error`.
  bool (*apply)(std::string_view text, Scenario& scenario, std::string& error);
};

const std::vector<ScenarioField>& scenario_fields();
const ScenarioField* find_scenario_field(std::string_view name);

}  // namespace adbcfault::fault
