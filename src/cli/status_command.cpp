// `adbcfault status [NAME]`: the daemon's status, or one scenario's.

#include "cli/arg_parser.h"
#include "cli/builtin_commands.h"
#include "cli/format.h"

namespace adbcfault::cli {
namespace {

constexpr std::string_view kUsage = "status [NAME]";

std::string number_text(const Json& object, std::string_view key) {
  return field_text(object, key, "?");
}

std::string format_daemon_status(const Json& result) {
  std::string headline = "adbcfaultd";
  if (result.contains("version")) headline += " " + value_text(result["version"]);
  if (result.contains("uptime_seconds") && result["uptime_seconds"].is_number()) {
    headline += ", up " + format_duration(result["uptime_seconds"].get<double>());
  }

  std::vector<Field> fields;
  if (result.contains("intercept"))
    fields.emplace_back("intercept", value_text(result["intercept"]));
  if (result.contains("rules_installed")) {
    fields.emplace_back("rules installed", value_text(result["rules_installed"]));
  }
  if (const auto& flows = result.value("flows", Json()); flows.is_object()) {
    fields.emplace_back(
        "flows", number_text(flows, "live") + " live, " + number_text(flows, "total") + " total");
  }
  if (const auto& bytes = result.value("bytes", Json()); bytes.is_object()) {
    fields.emplace_back("bytes", number_text(bytes, "client_to_server") + " client to server, " +
                                     number_text(bytes, "server_to_client") + " server to client");
  }
  auto extras = extra_fields(result, {"version", "uptime_seconds", "intercept", "rules_installed",
                                      "flows", "bytes", "counters", "warnings"});
  fields.insert(fields.end(), extras.begin(), extras.end());

  std::string out = headline + "\n";
  // Right under the headline: the reason a scenario did not fire may be one of these.
  if (const auto& warnings = result.value("warnings", Json()); warnings.is_array()) {
    for (const auto& warning : warnings) out += "warning: " + value_text(warning) + "\n";
  }
  out += format_fields(fields);
  if (const auto& counters = result.value("counters", Json()); counters.is_object()) {
    out += "counters";
    if (counters.empty()) return out + "  none\n";
    std::vector<Field> rows;
    for (const auto& [name, value] : counters.items()) rows.emplace_back(name, value_text(value));
    out += "\n" + format_fields(rows, "  ");
  }
  return out;
}

std::string format_scenario_status(const Json& result) {
  std::string last_fired = field_text(result, "last_fired_at", "never");
  if (last_fired == "-") last_fired = "never";
  if (result.contains("last_flow") && !result["last_flow"].is_null()) {
    last_fired += " (flow " + value_text(result["last_flow"]) + ")";
  }
  Json not_injected = result.value("not_injected", Json::array());
  if (!not_injected.is_array()) not_injected = Json::array();

  std::vector<Field> fields = {
      {"name", field_text(result, "name")},
      {"enabled", field_text(result, "enabled")},
      {"action", field_text(result, "action")},
      {"parameters", key_values(result.value("parameters", Json::object()))},
      {"fired", field_text(result, "fired")},
      {"remaining", field_text(result, "remaining")},
      {"last fired", last_fired},
  };
  auto extras = extra_fields(result, {"name", "enabled", "action", "parameters", "fired",
                                      "remaining", "last_fired_at", "last_flow", "not_injected"});
  fields.insert(fields.end(), extras.begin(), extras.end());
  // Matched but not injected is the case people must not miss, so it is listed in full.
  fields.emplace_back("not injected", std::to_string(not_injected.size()));
  std::string out = format_fields(fields);
  for (const auto& entry : not_injected) {
    out += "  flow " + field_text(entry, "flow") + " at " + field_text(entry, "at") + ": " +
           field_text(entry, "reason") + "\n";
  }
  return out;
}

}  // namespace

Command make_status_command() {
  return Command{"status", std::string(kUsage), "show the daemon's status, or one scenario's",
                 [](const std::vector<std::string>& args) -> ParseResult {
                   auto parsed = parse_args(kUsage, args, {}, 1);
                   if (auto* error = std::get_if<UsageError>(&parsed)) return *error;
                   const auto& positional = std::get<ParsedArgs>(parsed).positional;
                   if (positional.empty()) return Request{"status"};
                   return Request{"scenario_status", {{"name", positional[0]}}};
                 },
                 [](const Request& request, const Json& result) {
                   return request.op == "status" ? format_daemon_status(result)
                                                 : format_scenario_status(result);
                 }};
}

}  // namespace adbcfault::cli
