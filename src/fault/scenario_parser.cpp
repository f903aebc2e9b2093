#include "fault/scenario_parser.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "fault/action_registry.h"
#include "fault/match_keys.h"
#include "fault/scenario_fields.h"

namespace adbcfault::fault {
namespace {

std::string allowed_scenario_keys() {
  std::string text = "name, description, reference, match, action";
  for (const auto& field : scenario_fields()) {
    text += ", ";
    text += field.name;
  }
  return text;
}

bool is_structural_key(std::string_view key) {
  constexpr std::array<std::string_view, 5> kKeys = {"name", "description", "reference", "match",
                                                     "action"};
  return std::find(kKeys.begin(), kKeys.end(), key) != kKeys.end();
}

bool valid_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::optional<std::string> text_field(const RawNode& scenario, std::string_view key, bool required,
                                      Diagnostics& diag) {
  const RawEntry* entry = scenario.find(key);
  if (!entry) {
    if (required) diag.error(scenario.where, key, "required field is missing");
    return std::nullopt;
  }
  if (!entry->value.is_scalar() || entry->value.scalar.empty()) {
    diag.error(entry->value.where, key, "must be a non-empty string");
    return std::nullopt;
  }
  return entry->value.scalar;
}

// Validates `action:`; on success sets scenario.action and scenario.params.
void parse_action(const RawNode& scenario_node, Scenario& scenario, Diagnostics& diag) {
  const RawEntry* entry = scenario_node.find("action");
  if (!entry) {
    diag.error(scenario_node.where, "action", "required field is missing");
    return;
  }
  const RawNode& node = entry->value;
  if (!node.is_map()) {
    diag.error(node.where, "action", "must be a map with `type` and the action's parameters");
    return;
  }
  const RawEntry* type = node.find("type");
  if (!type) {
    diag.error(node.where, "action.type",
               "required field is missing (known actions: " + known_action_types() + ")");
    return;
  }
  // The match decides the layer: HTTP keys make the scenario act per request. Actions that only
  // exist per request (http_error, thrift_error, truncate) act on every request without them.
  const bool per_request = scenario.match.is_http();
  const ActionSpec* action = nullptr;
  if (type->value.is_scalar()) {
    const std::string& name = type->value.scalar;
    action = find_action(name, per_request ? "http" : "tcp");
    if (!action && !per_request) action = find_action(name, "http");
    if (!action && per_request && find_action(name, "tcp")) {
      diag.error(type->value.where, "action.type",
                 "'" + name + "' works on whole connections only, so it cannot be combined with "
                 "the HTTP match keys (http_method, path, header, thrift_method, phase)");
      return;
    }
  }
  if (!action) {
    std::string shown = type->value.is_scalar() ? "'" + type->value.scalar + "'" : "(not a word)";
    diag.error(type->value.where, "action.type",
               "unknown action " + shown + " (known: " + known_action_types() + ")");
    return;
  }

  bool ok = true;
  ActionParams params;
  for (const auto& param_entry : node.entries) {
    if (param_entry.key == "type") continue;
    std::string path = "action." + param_entry.key;
    const ParamSpec* spec = action->find_param(param_entry.key);
    if (!spec) {
      diag.error(param_entry.key_where, path,
                 "unknown parameter of action '" + action->type + "' (allowed: type" +
                     (action->params.empty() ? "" : ", " + action->param_names()) + ")");
      ok = false;
      continue;
    }
    std::string error;
    // A list, map or empty value is given the text "", which fails with the parameter's own
    // "must be ..." reason: one wording for every way of getting it wrong.
    const RawNode& value = param_entry.value;
    auto parsed = spec->parse(value.is_scalar() ? std::string_view(value.scalar) : "", error);
    if (!parsed) {
      diag.error(value.where, path, error);
      ok = false;
      continue;
    }
    params.set(spec->name, *parsed);
  }
  if (!ok) return;
  scenario.written_params = params;
  if (auto error = complete_params(*action, params)) {
    const RawEntry* culprit = node.find(error->param);
    diag.error(culprit ? culprit->value.where : node.where, "action." + error->param,
               error->reason);
    return;
  }
  if (auto error = check_phase(*action, params, scenario.match.phase)) {
    const RawEntry* culprit = node.find(error->param);
    diag.error(culprit ? culprit->value.where : node.where, "action." + error->param,
               error->reason);
    return;
  }
  scenario.action = action;
  scenario.params = std::move(params);
}

std::optional<Scenario> parse_scenario(const RawNode& node, Diagnostics& diag) {
  size_t errors_before = diag.count();
  Scenario scenario;
  scenario.where = node.where;

  for (const auto& entry : node.entries) {
    if (is_structural_key(entry.key)) continue;
    const ScenarioField* field = find_scenario_field(entry.key);
    if (!field) {
      diag.error(entry.key_where, entry.key,
                 "unknown key (allowed: " + allowed_scenario_keys() + ")");
      continue;
    }
    std::string error;
    // Same trick as action parameters: non-scalars fail with the field's own reason.
    const RawNode& value = entry.value;
    if (!field->apply(value.is_scalar() ? std::string_view(value.scalar) : "", scenario, error)) {
      diag.error(value.where, entry.key, error);
    }
  }

  if (const RawEntry* name = node.find("name")) {
    if (name->value.is_scalar() && valid_name(name->value.scalar)) {
      scenario.name = name->value.scalar;
    } else {
      diag.error(name->value.where, "name",
                 "must be lower-case letters, digits and underscores ([a-z0-9_]+)");
    }
  } else {
    diag.error(node.where, "name", "required field is missing");
  }
  if (auto description = text_field(node, "description", true, diag)) {
    scenario.description = *description;
  }
  scenario.reference = text_field(node, "reference", false, diag);
  if (const RawEntry* match = node.find("match")) scenario.match = parse_match(match->value, diag);
  parse_action(node, scenario, diag);

  if (diag.count() != errors_before) return std::nullopt;
  return scenario;
}

}  // namespace

std::vector<Scenario> parse_scenario_file(const RawNode& root, Diagnostics& diag) {
  std::vector<Scenario> scenarios;
  constexpr std::string_view kShape = "a scenario file is a map with a `scenarios` list";
  if (root.kind == RawNode::Kind::kNull) {
    diag.error(root.where, "scenarios",
               std::string("required field is missing (") + std::string(kShape) + ")");
    return scenarios;
  }
  if (!root.is_map()) {
    diag.error(root.where, "", kShape);
    return scenarios;
  }
  for (const auto& entry : root.entries) {
    if (entry.key != "scenarios") {
      diag.error(entry.key_where, entry.key, "unknown key (allowed: scenarios)");
    }
  }
  const RawEntry* list = root.find("scenarios");
  if (!list) {
    diag.error(root.where, "scenarios", "required field is missing");
    return scenarios;
  }
  if (list->value.kind == RawNode::Kind::kNull) return scenarios;  // `scenarios:` with none yet
  if (!list->value.is_sequence()) {
    diag.error(list->value.where, "scenarios", "must be a list of scenarios");
    return scenarios;
  }
  for (size_t i = 0; i < list->value.items.size(); ++i) {
    const RawNode& item = list->value.items[i];
    if (!item.is_map()) {
      diag.error(item.where, "scenarios[" + std::to_string(i) + "]",
                 "must be a map (a scenario with name, description, action, ...)");
      continue;
    }
    if (auto scenario = parse_scenario(item, diag)) scenarios.push_back(std::move(*scenario));
  }
  return scenarios;
}

}  // namespace adbcfault::fault
