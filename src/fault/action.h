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
#include "fault/http_fault_plan.h"
#include "fault/http_request_facts.h"
#include "fault/text_values.h"

namespace adbcfault::fault {

using ParamValue = std::variant<uint64_t, std::string>;

enum class ParamType {
  kUnsigned,  // decimal integer within [min, max]
  kChoice,    // one of `choices`
  kText,      // any text up to `max` bytes (a response body, an error message)
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
  std::string get_text(std::string_view name) const { return get_choice(name); }
  std::map<std::string, std::string> to_strings() const;

  friend bool operator==(const ActionParams&, const ActionParams&) = default;

 private:
  std::map<std::string, ParamValue, std::less<>> values_;
};

struct ParamError {
  std::string param;
  std::string reason;
};

// One action at one layer. A type may exist at both layers with different parameters (e.g.
// `reset` after N bytes of a connection, or `reset` before a response's headers); the parser
// picks the layer from the scenario's match keys (docs/scenarios.md).
struct ActionSpec {
  std::string type;     // the `action.type` spelling
  std::string layer;    // "tcp": per connection, at accept; "http": per request
  std::string summary;  // one line, for docs and errors
  std::vector<ParamSpec> params;
  // Optional: defaults that depend on other parameters and rules across parameters. Runs after
  // each parameter was parsed and static defaults were applied.
  std::optional<ParamError> (*finish)(ActionParams&) = nullptr;
  void (*fill)(const ActionParams&, ConnectionFaultPlan&) = nullptr;         // layer "tcp"
  // layer "http"; may look at the request (e.g. its host, for a provider's own error body)
  void (*fill_http)(const ActionParams&, const HttpRequestFacts&, HttpFaultPlan&) = nullptr;

  const ParamSpec* find_param(std::string_view name) const;
  std::string param_names() const;  // "duration_seconds, then", in schema order
};

// Applies defaults, checks that required parameters are present, then runs `finish`.
std::optional<ParamError> complete_params(const ActionSpec& action, ActionParams& params);

// Rules between an HTTP-layer action and the match's phase (e.g. `headers: after` only exists
// in the response phase). Run after complete_params, by the loader and by --set.
std::optional<ParamError> check_phase(const ActionSpec& action, const ActionParams& params,
                                      std::optional<Phase> phase);
// The phase an HTTP plan runs in: the match's, or the action's natural one.
Phase effective_phase(const ActionSpec& action, std::optional<Phase> phase);

// The plan this action asks the relay to carry out, labelled with the scenario's name.
ConnectionFaultPlan make_plan(const ActionSpec& action, const ActionParams& params,
                              const std::string& scenario);
HttpFaultPlan make_http_plan(const ActionSpec& action, const ActionParams& params,
                             const std::string& scenario, Phase phase,
                             const HttpRequestFacts& request);

}  // namespace adbcfault::fault
