#include "daemon/scenario_handlers.h"

#include <ctime>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "control/error_codes.h"

namespace adbcfault::daemon {
namespace {

using control::Error;
using control::Json;
using control::Result;

Error invalid(std::string message) {
  return Error{control::codes::kInvalidArgument, std::move(message)};
}

Error to_control(const fault::EngineError& error) {
  return Error{error.code == fault::EngineError::Code::kNotFound ? control::codes::kNotFound
                                                                 : control::codes::kInvalidArgument,
               error.message};
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += separator;
    text += item;
  }
  return text;
}

// Unknown arguments are refused like unknown scenario keys: a typo must not be ignored.
std::optional<Error> check_known(const Json& args, std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : args.items()) {
    bool ok = false;
    for (auto name : known) ok = ok || key == name;
    if (ok) continue;
    std::vector<std::string> names(known.begin(), known.end());
    return invalid("unknown argument '" + key + "' (allowed: " +
                   (names.empty() ? std::string("none") : join(names, ", ")) + ")");
  }
  return std::nullopt;
}

std::optional<std::string> name_arg(const Json& args, Error& error) {
  auto name = args.find("name");
  if (name == args.end() || !name->is_string() || name->get_ref<const std::string&>().empty()) {
    error = invalid("name: required, the scenario's name as a string");
    return std::nullopt;
  }
  return name->get<std::string>();
}

// ISO 8601 in UTC with milliseconds: "2024-05-01T12:34:56.789Z".
std::string iso8601(std::chrono::system_clock::time_point at) {
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  if (millis % 1000 < 0) --seconds;  // before 1970: floor, not truncate
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03dZ",
                static_cast<int>((millis % 1000 + 1000) % 1000));
  return std::string(text) + fraction;
}

template <typename T>
Json or_null(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json summary_json(const fault::ScenarioSummary& summary) {
  return Json{{"name", summary.name},
              {"layer", summary.layer},
              {"action", summary.action},
              {"description", summary.description},
              {"reference", or_null(summary.reference)},
              {"file", summary.file},
              {"enabled", summary.enabled},
              {"fired", summary.fired},
              {"remaining", or_null(summary.remaining)}};
}

Json status_json(const fault::ScenarioStatus& status) {
  Json json = summary_json(status);
  json["parameters"] = status.parameters;
  json["injected"] = status.injected;
  json["last_fired_at"] = status.last_fired_at ? Json(iso8601(*status.last_fired_at)) : Json();
  json["last_flow"] = or_null(status.last_flow);
  Json not_injected = Json::array();
  for (const auto& entry : status.not_injected) {
    not_injected.push_back(
        Json{{"flow", entry.flow}, {"reason", entry.reason}, {"at", iso8601(entry.at)}});
  }
  json["not_injected"] = std::move(not_injected);
  return json;
}

Result list_scenarios(fault::ScenarioEngine& engine, const Json& args) {
  if (auto error = check_known(args, {})) return *error;
  Json scenarios = Json::array();
  for (const auto& summary : engine.list()) scenarios.push_back(summary_json(summary));
  return Json{{"scenarios", std::move(scenarios)}};
}

Result scenario_status(fault::ScenarioEngine& engine, const Json& args) {
  if (auto error = check_known(args, {"name"})) return *error;
  Error error;
  auto name = name_arg(args, error);
  if (!name) return error;
  auto status = engine.status(*name);
  if (!status)
    return Error{control::codes::kNotFound,
                 "no scenario named '" + *name + "' (see 'adbcfault scenarios')"};
  return status_json(*status);
}

Result enable(fault::ScenarioEngine& engine, const std::function<uint64_t()>& journal_cursor,
              const Json& args) {
  if (auto error = check_known(args, {"name", "set"})) return *error;
  Error error;
  auto name = name_arg(args, error);
  if (!name) return error;
  fault::Overrides overrides;
  if (auto set = args.find("set"); set != args.end() && !set->is_null()) {
    if (!set->is_object()) return invalid("set: must be an object of KEY: \"VALUE\" strings");
    for (const auto& [key, value] : set->items()) {
      if (!value.is_string()) {
        return invalid("--set " + key + ": the value must be a string, e.g. \"30\"");
      }
      overrides[key] = value.get<std::string>();
    }
  }
  auto enabled = engine.enable(*name, overrides);
  if (const auto* failure = std::get_if<fault::EngineError>(&enabled)) return to_control(*failure);
  const auto& result = std::get<fault::EnableResult>(enabled);
  return Json{{"name", result.name},
              {"enabled", true},
              {"journal_cursor", journal_cursor ? journal_cursor() : 0},
              {"parameters", result.parameters}};
}

Result disable(fault::ScenarioEngine& engine, const Json& args) {
  if (auto error = check_known(args, {"name", "all"})) return *error;
  bool has_name = args.contains("name");
  auto all = args.find("all");
  if (all != args.end()) {
    if (has_name || !all->is_boolean() || !all->get<bool>()) {
      return invalid("give either {\"name\": NAME} or {\"all\": true}");
    }
    return Json{{"disabled", engine.disable_all()}};
  }
  Error error;
  auto name = name_arg(args, error);
  if (!name) return error;
  if (auto failure = engine.disable(*name)) return to_control(*failure);
  return Json{{"disabled", Json::array({*name})}};
}

Result reload(fault::ScenarioEngine& engine, const std::vector<std::string>& paths,
              const Json& args) {
  if (auto error = check_known(args, {})) return *error;
  auto result = engine.reload(paths);
  if (!result.ok()) {
    return invalid("reload refused, the running scenarios are unchanged: " +
                   join(result.errors, "; "));
  }
  return Json{
      {"scenarios", result.scenarios}, {"files", result.files}, {"disabled", result.disabled}};
}

}  // namespace

void register_scenario_handlers(control::Dispatcher& dispatcher, fault::ScenarioEngine& engine,
                                std::function<uint64_t()> journal_cursor,
                                std::vector<std::string> scenario_paths) {
  dispatcher.add("scenarios", [&engine](const Json& args) { return list_scenarios(engine, args); });
  dispatcher.add("scenario_status",
                 [&engine](const Json& args) { return scenario_status(engine, args); });
  dispatcher.add("enable", [&engine, cursor = std::move(journal_cursor)](const Json& args) {
    return enable(engine, cursor, args);
  });
  dispatcher.add("disable", [&engine](const Json& args) { return disable(engine, args); });
  dispatcher.add("reload", [&engine, paths = std::move(scenario_paths)](const Json& args) {
    return reload(engine, paths, args);
  });
}

}  // namespace adbcfault::daemon
