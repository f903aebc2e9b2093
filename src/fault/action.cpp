#include "fault/action.h"

namespace adbcfault::fault {
namespace {

std::string join(const std::vector<std::string>& words, std::string_view separator) {
  std::string text;
  for (const auto& word : words) {
    if (!text.empty()) text += separator;
    text += word;
  }
  return text;
}

}  // namespace

std::optional<ParamValue> ParamSpec::parse(std::string_view text, std::string& error) const {
  switch (type) {
    case ParamType::kUnsigned:
      if (auto value = parse_unsigned(text, min, max, error)) return ParamValue{*value};
      return std::nullopt;
    case ParamType::kChoice:
      for (const auto& choice : choices) {
        if (text == choice) return ParamValue{choice};
      }
      error = "must be one of: " + join(choices, ", ");
      return std::nullopt;
    case ParamType::kText:
      if (text.size() > max) {
        error = "must be at most " + std::to_string(max) + " bytes";
        return std::nullopt;
      }
      return ParamValue{std::string(text)};
  }
  return std::nullopt;
}

std::string ParamSpec::value_syntax() const {
  if (type == ParamType::kChoice) return join(choices, " | ");
  if (type == ParamType::kText) return "text";
  return "integer " + describe_range(min, max);
}

std::optional<uint64_t> ActionParams::get_unsigned(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  if (const auto* value = std::get_if<uint64_t>(&it->second)) return *value;
  return std::nullopt;
}

std::string ActionParams::get_choice(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return {};
  if (const auto* value = std::get_if<std::string>(&it->second)) return *value;
  return {};
}

std::map<std::string, std::string> ActionParams::to_strings() const {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : values_) {
    if (const auto* number = std::get_if<uint64_t>(&value)) {
      out[name] = std::to_string(*number);
    } else {
      out[name] = std::get<std::string>(value);
    }
  }
  return out;
}

const ParamSpec* ActionSpec::find_param(std::string_view name) const {
  for (const auto& param : params) {
    if (param.name == name) return &param;
  }
  return nullptr;
}

std::string ActionSpec::param_names() const {
  std::vector<std::string> names;
  for (const auto& param : params) names.push_back(param.name);
  return names.empty() ? "no parameters" : join(names, ", ");
}

std::optional<ParamError> complete_params(const ActionSpec& action, ActionParams& params) {
  for (const auto& param : action.params) {
    if (params.has(param.name)) continue;
    if (param.required) {
      return ParamError{param.name, "missing (required by action '" + action.type + "')"};
    }
    if (param.default_value) params.set(param.name, *param.default_value);
  }
  if (action.finish) return action.finish(params);
  return std::nullopt;
}

ConnectionFaultPlan make_plan(const ActionSpec& action, const ActionParams& params,
                              const std::string& scenario) {
  ConnectionFaultPlan plan;
  plan.scenario = scenario;
  plan.action = action.type;
  action.fill(params, plan);
  return plan;
}

Phase effective_phase(const ActionSpec& action, std::optional<Phase> phase) {
  if (phase) return *phase;
  return action.type == "truncate" ? Phase::kResponse : Phase::kRequest;  // truncate cuts answers
}

std::optional<ParamError> check_phase(const ActionSpec& action, const ActionParams& params,
                                      std::optional<Phase> phase) {
  if (action.layer != "http") return std::nullopt;
  Phase effective = effective_phase(action, phase);
  if (params.get_choice("headers") == "after" && effective != Phase::kResponse) {
    return ParamError{"headers",
                      "'after' means after the response headers, so it needs match.phase: "
                      "response"};
  }
  if (action.type == "truncate" && effective != Phase::kResponse) {
    return ParamError{"after_bytes", "truncate cuts a response; use match.phase: response (or "
                                     "leave phase out)"};
  }
  return std::nullopt;
}

HttpFaultPlan make_http_plan(const ActionSpec& action, const ActionParams& params,
                             const std::string& scenario, Phase phase,
                             const HttpRequestFacts& request) {
  HttpFaultPlan plan;
  plan.scenario = scenario;
  plan.action = action.type;
  plan.phase = phase;
  action.fill_http(params, request, plan);
  return plan;
}

}  // namespace adbcfault::fault
