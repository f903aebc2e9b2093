// `adbcfault calls reset`: forget the journaled calls (ids keep counting up).

#include "cli/arg_parser.h"
#include "cli/builtin_commands.h"
#include "cli/format.h"

namespace adbcfault::cli {
namespace {

constexpr std::string_view kUsage = "calls reset";

}  // namespace

Command make_calls_reset_command() {
  return Command{"calls reset", std::string(kUsage),
                 "forget the journaled calls; journal ids keep counting up",
                 [](const std::vector<std::string>& args) -> ParseResult {
                   return parse_command(kUsage, args, {}, 0,
                                        [](const ParsedArgs&) { return Request{"calls_reset"}; });
                 },
                 [](const Request&, const Json& result) {
                   return "call journal cleared; the next call gets id " +
                          field_text(result, "cursor", "?") + "\n";
                 }};
}

}  // namespace adbcfault::cli
