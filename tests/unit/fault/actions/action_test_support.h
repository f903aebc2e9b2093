#pragma once
// Builds a plan the way the loader and --set do: registry lookup, each parameter parsed from
// text, defaults and cross-parameter rules applied, then the action's fill.

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "fault/action_registry.h"

namespace adbcfault::fault {

// Plan for `type` with `params` given as text; on a validation error returns an empty plan
// and puts "PARAM: reason" in `error`.
inline ConnectionFaultPlan plan_for(const std::string& type,
                                    const std::map<std::string, std::string>& params,
                                    std::string& error) {
  const ActionSpec* action = find_action(type);
  if (!action) {
    error = "no action " + type;
    return {};
  }
  ActionParams values;
  for (const auto& [name, text] : params) {
    const ParamSpec* spec = action->find_param(name);
    if (!spec) {
      error = name + ": unknown";
      return {};
    }
    std::string reason;
    auto value = spec->parse(text, reason);
    if (!value) {
      error = name + ": " + reason;
      return {};
    }
    values.set(name, *value);
  }
  if (auto problem = complete_params(*action, values)) {
    error = problem->param + ": " + problem->reason;
    return {};
  }
  return make_plan(*action, values, "test_scenario");
}

inline ConnectionFaultPlan plan_for(const std::string& type,
                                    const std::map<std::string, std::string>& params = {}) {
  std::string error;
  auto plan = plan_for(type, params, error);
  EXPECT_EQ(error, "") << type;
  return plan;
}

inline std::string plan_error(const std::string& type,
                              const std::map<std::string, std::string>& params) {
  std::string error;
  plan_for(type, params, error);
  EXPECT_NE(error, "") << type << " accepted parameters it should refuse";
  return error;
}

}  // namespace adbcfault::fault
