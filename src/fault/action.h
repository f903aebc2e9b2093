#pragma once
// What an action is: a parameter schema plus a function that turns validated parameters into a
// ConnectionFaultPlan. Each action lives in one file under actions/ and is listed once in
// action_registry.cpp; everything else (file parsing, --set, status, docs) walks the schema.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fault/connection_fault_plan.h"
#include "fault/text_values.h"

namespace adbcfault::fault {

using ParamValue = std::variant<uint64_t, std::string>;

enum class ParamType {
  kUnsigned,  // decimal integer within [min, max]
  kChoice,    // one of `choices`
};

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kUnsigned;
  uint64_t min = 0;
  uint64_t max = kNoUpperLimit;
  std::vector<std::string> choices;
  bool required = false;
  std::optional<ParamValue> default_value;  // applied when the parameter is absent
  std::string description;

  // Converts text (a YAML scalar or a --set value) by this parameter's rules.
  std::optional<ParamValue> parse(std::string_view text, std::string& error) const;
  // What a valid value looks like, for the docs: "integer 1-600000", "response | request".
  std::string value_syntax() const;
};

// Validated parameter values of one scenario's action.
class ActionParams {
 public:
  void set(const std::string& name, ParamValue value) { values_[name] = std::move(value); }
  bool has(std::string_view name) const { return values_.find(name) != values_.end(); }
  std::optional<uint64_t> get_unsigned(std::string_view name) const;
  std::string get_choice(std::string_view name) const;  // "" when absent
  std::map<std::string, std::string> to_strings() const;

  friend bool operator==(const ActionParams&, const ActionParams&) = default;

 private:
  std::map<std::string, ParamValue, std::less<>> values_;
};

struct ParamError {
  std::string param;
  std::string reason;
};

struct ActionSpec {
  std::string type;     // the `action.type` spelling
  std::string layer;    // where the relay carries it out: "tcp" for connection-level actions
  std::string summary;  // one line, for docs and errors
  std::vector<ParamSpec> params;
  // Optional: defaults that depend on other parameters and rules across parameters. Runs after
  // each parameter was parsed and static defaults were applied.
  std::optional<ParamError> (*finish)(ActionParams&) = nullptr;
  void (*fill)(const ActionParams&, ConnectionFaultPlan&) = nullptr;

  const ParamSpec* find_param(std::string_view name) const;
  std::string param_names() const;  // "duration_seconds, then", in schema order
};

// Applies defaults, checks that required parameters are present, then runs `finish`.
std::optional<ParamError> complete_params(const ActionSpec& action, ActionParams& params);

// The plan this action asks the relay to carry out, labelled with the scenario's name.
ConnectionFaultPlan make_plan(const ActionSpec& action, const ActionParams& params,
                              const std::string& scenario);

}  // namespace adbcfault::fault
