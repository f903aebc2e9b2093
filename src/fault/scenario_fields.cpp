#include "fault/scenario_fields.h"

#include "fault/text_values.h"

namespace adbcfault::fault {
namespace {

// A window longer than a year is a typo; the bound also keeps time arithmetic far from overflow.
constexpr uint64_t kMaxWindowSeconds = 31536000;

bool apply_times(std::string_view text, Scenario& scenario, std::string& error) {
  auto value = parse_unsigned(text, 0, kNoUpperLimit, error);
  if (value) scenario.times = *value;
  return value.has_value();
}

bool apply_skip(std::string_view text, Scenario& scenario, std::string& error) {
  auto value = parse_unsigned(text, 0, kNoUpperLimit, error);
  if (value) scenario.skip = *value;
  return value.has_value();
}

bool apply_probability(std::string_view text, Scenario& scenario, std::string& error) {
  auto value = parse_probability(text, error);
  if (value) scenario.probability = *value;
  return value.has_value();
}

bool apply_duration(std::string_view text, Scenario& scenario, std::string& error) {
  auto value = parse_unsigned(text, 1, kMaxWindowSeconds, error);
  if (value) scenario.duration_seconds = *value;
  return value.has_value();
}

}  // namespace

const std::vector<ScenarioField>& scenario_fields() {
  static const std::vector<ScenarioField> table = {
      {"times", "integer, default 1",
       "fires this many times per enable, then disables itself; 0: until disabled", apply_times},
      {"skip", "integer, default 0", "lets this many matches through (per enable) first",
       apply_skip},
      {"probability", "number 0 < p <= 1, default 1",
       "chance that a match (after skip) fires; misses do not count towards times",
       apply_probability},
      {"duration_seconds", "integer 1-31536000, optional",
       "window: disabled this many seconds after enable", apply_duration},
  };
  return table;
}

const ScenarioField* find_scenario_field(std::string_view name) {
  for (const auto& field : scenario_fields()) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

}  // namespace adbcfault::fault
