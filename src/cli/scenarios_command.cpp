// `adbcfault scenarios`: every loaded scenario as a table.

#include "cli/arg_parser.h"
#include "cli/builtin_commands.h"
#include "cli/format.h"

namespace adbcfault::cli {
namespace {

constexpr std::string_view kUsage = "scenarios";

std::string format_scenarios(const Json& result) {
  Json scenarios = result.value("scenarios", Json::array());
  if (!scenarios.is_array() || scenarios.empty()) {
    return "no scenarios loaded: add YAML files to a --scenarios directory of adbcfaultd, then "
           "run 'adbcfault reload'\n";
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : scenarios) {
    rows.push_back({field_text(s, "name"), field_text(s, "layer"), field_text(s, "action"),
                    field_text(s, "enabled"), field_text(s, "fired"), field_text(s, "remaining"),
                    field_text(s, "reference"), field_text(s, "description")});
  }
  return format_table(
      {"NAME", "LAYER", "ACTION", "ENABLED", "FIRED", "REMAINING", "REFERENCE", "DESCRIPTION"},
      rows);
}

}  // namespace

Command make_scenarios_command() {
  return Command{"scenarios", std::string(kUsage), "list the loaded scenarios",
                 [](const std::vector<std::string>& args) -> ParseResult {
                   auto parsed = parse_args(kUsage, args, {}, 0);
                   if (auto* error = std::get_if<UsageError>(&parsed)) return *error;
                   return Request{"scenarios"};
                 },
                 [](const Request&, const Json& result) { return format_scenarios(result); }};
}

}  // namespace adbcfault::cli
