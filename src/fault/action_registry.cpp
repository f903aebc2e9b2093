#include "fault/action_registry.h"

#include <algorithm>

namespace adbcfault::fault {

// Defined in actions/<type>.cpp. Adding an action: write that file, declare it here and list it
// below (see docs/scenarios.md, "Writing a new action").
namespace actions {
ActionSpec close();
ActionSpec delay();
ActionSpec hang();
ActionSpec refuse_upstream();
ActionSpec reset();
ActionSpec throttle();
}  // namespace actions

const std::vector<ActionSpec>& action_registry() {
  static const std::vector<ActionSpec> registry = [] {
    std::vector<ActionSpec> all = {
        actions::close(),           actions::delay(), actions::hang(),
        actions::refuse_upstream(), actions::reset(), actions::throttle(),
    };
    std::sort(all.begin(), all.end(),
              [](const ActionSpec& a, const ActionSpec& b) { return a.type < b.type; });
    return all;
  }();
  return registry;
}

const ActionSpec* find_action(std::string_view type) {
  for (const auto& action : action_registry()) {
    if (action.type == type) return &action;
  }
  return nullptr;
}

std::string known_action_types() {
  std::string text;
  for (const auto& action : action_registry()) {
    if (!text.empty()) text += ", ";
    text += action.type;
  }
  return text;
}

}  // namespace adbcfault::fault
