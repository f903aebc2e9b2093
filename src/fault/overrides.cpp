#include "fault/overrides.h"

#include <string_view>

#include "fault/scenario_fields.h"

namespace adbcfault::fault {
namespace {

constexpr std::string_view kActionPrefix = "action.";

std::string prefix(const std::string& key, const std::string& value) {
  return "--set " + key + "=" + value + ": ";
}

// For a rule across parameters: name the --set that broke it, or all of them when the rule's
// parameter came from the file.
std::string cross_rule_error(const Overrides& overrides, const ParamError& error) {
  for (const std::string& key : {error.param, std::string(kActionPrefix) + error.param}) {
    if (auto it = overrides.find(key); it != overrides.end()) {
      return prefix(key, it->second) + error.reason;
    }
  }
  std::string all;
  for (const auto& [key, value] : overrides) all += (all.empty() ? "" : " ") + key + "=" + value;
  return "--set " + all + ": " + error.param + ": " + error.reason;
}

}  // namespace

OverrideResult apply_overrides(const Scenario& base, const Overrides& overrides) {
  OverrideResult result;
  Scenario scenario = base;
  const ActionSpec& action = *base.action;
  ActionParams params = base.written_params;

  for (const auto& [key, value] : overrides) {
    std::string error;
    bool explicit_param = std::string_view(key).starts_with(kActionPrefix);
    std::string param_name = explicit_param ? key.substr(kActionPrefix.size()) : key;

    // Parameters first: a bare key naming both goes to the action.
    if (const ParamSpec* param = action.find_param(param_name)) {
      if (auto parsed = param->parse(value, error)) {
        params.set(param->name, *parsed);
      } else {
        result.errors.push_back(prefix(key, value) + error);
      }
      continue;
    }
    if (!explicit_param) {
      if (const ScenarioField* field = find_scenario_field(key)) {
        if (!field->apply(value, scenario, error)) {
          result.errors.push_back(prefix(key, value) + error);
        }
        continue;
      }
    }
    result.errors.push_back(prefix(key, value) + base.name + "'s action '" + action.type +
                            "' has no parameter '" + param_name +
                            "' (it has: " + action.param_names() + ")");
  }
  if (!result.errors.empty()) return result;

  scenario.written_params = params;
  if (auto error = complete_params(action, params)) {
    result.errors.push_back(cross_rule_error(overrides, *error));
    return result;
  }
  if (auto error = check_phase(action, params, scenario.match.phase)) {
    result.errors.push_back(cross_rule_error(overrides, *error));
    return result;
  }
  scenario.params = std::move(params);
  result.scenario = std::move(scenario);
  return result;
}

}  // namespace adbcfault::fault
