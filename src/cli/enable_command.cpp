// `adbcfault enable NAME [--set KEY=VALUE]...`: switch a scenario on, maybe with overrides.

#include "cli/arg_parser.h"
#include "cli/builtin_commands.h"
#include "cli/format.h"

namespace adbcfault::cli {
namespace {

namespace po = boost::program_options;

constexpr std::string_view kUsage = "enable NAME [--set KEY=VALUE]...";

ParseResult parse_enable(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("set", po::value<std::vector<std::string>>());
  auto parsed = parse_args(kUsage, args, options, 1);
  if (auto* error = std::get_if<UsageError>(&parsed)) return *error;
  auto& values = std::get<ParsedArgs>(parsed);
  if (values.positional.empty()) return usage_error(kUsage, "missing scenario NAME");

  // Values stay strings: the daemon knows each parameter's type and names bad ones.
  Json set = Json::object();
  if (values.options.count("set")) {
    for (const auto& assignment : values.options["set"].as<std::vector<std::string>>()) {
      auto equals = assignment.find('=');
      if (equals == std::string::npos || equals == 0) {
        return usage_error(kUsage, "--set '" + assignment + "' must look like KEY=VALUE");
      }
      std::string key = assignment.substr(0, equals);
      if (set.contains(key)) return usage_error(kUsage, "--set " + key + " given twice");
      set[key] = assignment.substr(equals + 1);
    }
  }
  return Request{"enable", {{"name", values.positional[0]}, {"set", set}}};
}

std::string format_enabled(const Json& result) {
  std::string out = "enabled " + field_text(result, "name") + " (journal cursor " +
                    field_text(result, "journal_cursor") + ")\n";
  if (auto parameters = result.value("parameters", Json());
      parameters.is_object() && !parameters.empty()) {
    out += "parameters: " + key_values(parameters) + "\n";
  }
  return out;
}

}  // namespace

Command make_enable_command() {
  return Command{"enable", std::string(kUsage),
                 "switch a scenario on; --set overrides one of its action's parameters",
                 parse_enable,
                 [](const Request&, const Json& result) { return format_enabled(result); }};
}

}  // namespace adbcfault::cli
