// `adbcfault reload`: re-read the scenario directories (applied whole or not at all).

#include "cli/arg_parser.h"
#include "cli/builtin_commands.h"
#include "cli/format.h"

namespace adbcfault::cli {
namespace {

constexpr std::string_view kUsage = "reload";

}  // namespace

Command make_reload_command() {
  return Command{"reload", std::string(kUsage), "re-read the scenario files",
                 [](const std::vector<std::string>& args) -> ParseResult {
                   auto parsed = parse_args(kUsage, args, {}, 0);
                   if (auto* error = std::get_if<UsageError>(&parsed)) return *error;
                   return Request{"reload"};
                 },
                 [](const Request&, const Json& result) {
                   return "reloaded " + field_text(result, "scenarios", "?") + " scenarios from " +
                          field_text(result, "files", "?") + " files\n";
                 }};
}

}  // namespace adbcfault::cli
