// `adbcfault disable NAME|--all`: switch one scenario, or every scenario, off.

#include "cli/arg_parser.h"
#include "cli/builtin_commands.h"
#include "cli/format.h"

namespace adbcfault::cli {
namespace {

namespace po = boost::program_options;

constexpr std::string_view kUsage = "disable NAME|--all";

ParseResult parse_disable(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("all", po::bool_switch());
  auto parsed = parse_args(kUsage, args, options, 1);
  if (auto* error = std::get_if<UsageError>(&parsed)) return *error;
  auto& values = std::get<ParsedArgs>(parsed);
  bool all = values.options["all"].as<bool>();
  if (all && !values.positional.empty()) {
    return usage_error(kUsage, "give a scenario NAME or --all, not both");
  }
  if (all) return Request{"disable", {{"all", true}}};
  if (values.positional.empty()) return usage_error(kUsage, "missing scenario NAME (or --all)");
  return Request{"disable", {{"name", values.positional[0]}}};
}

std::string format_disabled(const Json& result) {
  Json names = result.value("disabled", Json::array());
  if (!names.is_array() || names.empty())
    return "nothing to disable: no such scenario was enabled\n";
  return "disabled " + value_text(names) + "\n";
}

}  // namespace

Command make_disable_command() {
  return Command{"disable", std::string(kUsage), "switch a scenario off, or all of them",
                 parse_disable,
                 [](const Request&, const Json& result) { return format_disabled(result); }};
}

}  // namespace adbcfault::cli
