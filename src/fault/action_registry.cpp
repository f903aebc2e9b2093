#include "fault/action_registry.h"

#include <algorithm>
#include <tuple>

namespace adbcfault::fault {

// Defined in actions/<type>.cpp. Adding an action: write that file, declare it here and list it
// below (see docs/scenarios.md, "Writing a new action").
namespace actions {
ActionSpec close();
ActionSpec close_http();
ActionSpec delay();
ActionSpec delay_http();
ActionSpec hang();
ActionSpec hang_http();
ActionSpec http_error();
ActionSpec observe();
ActionSpec refuse_upstream();
ActionSpec reset();
ActionSpec reset_http();
ActionSpec thrift_error();
ActionSpec throttle();
ActionSpec truncate();
}  // namespace actions

const std::vector<ActionSpec>& action_registry() {
  static const std::vector<ActionSpec> registry = [] {
    std::vector<ActionSpec> all = {
        actions::close(),        actions::close_http(),      actions::delay(),
        actions::delay_http(),   actions::hang(),            actions::hang_http(),
        actions::http_error(),   actions::refuse_upstream(), actions::reset(),
        actions::reset_http(),   actions::thrift_error(),    actions::throttle(),
        actions::truncate(),     actions::observe(),
    };
    std::sort(all.begin(), all.end(), [](const ActionSpec& a, const ActionSpec& b) {
      return std::tie(a.type, a.layer) < std::tie(b.type, b.layer);
    });
    return all;
  }();
  return registry;
}

const ActionSpec* find_action(std::string_view type) {
  if (const ActionSpec* connection_form = find_action(type, "tcp")) return connection_form;
  return find_action(type, "http");
}

const ActionSpec* find_action(std::string_view type, std::string_view layer) {
  for (const auto& action : action_registry()) {
    if (action.type == type && action.layer == layer) return &action;
  }
  return nullptr;
}

std::string known_action_types() {
  std::string text;
  std::string last;
  for (const auto& action : action_registry()) {
    if (action.type == last) continue;  // listed once even when it exists at both layers
    last = action.type;
    if (!text.empty()) text += ", ";
    text += action.type;
  }
  return text;
}

}  // namespace adbcfault::fault
