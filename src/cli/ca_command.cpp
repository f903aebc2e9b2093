// `adbcfault ca`: where the CA certificate to trust is, and its PEM, so a CI script can install
// it in the system store or point a driver at it.

#include "cli/arg_parser.h"
#include "cli/builtin_commands.h"
#include "cli/format.h"

namespace adbcfault::cli {
namespace {

constexpr std::string_view kUsage = "ca";

}  // namespace

Command make_ca_command() {
  return Command{"ca", std::string(kUsage), "print the path and PEM of the CA certificate to trust",
                 [](const std::vector<std::string>& args) -> ParseResult {
                   auto parsed = parse_args(kUsage, args, {}, 0);
                   if (auto* error = std::get_if<UsageError>(&parsed)) return *error;
                   return Request{"ca"};
                 },
                 [](const Request&, const Json& result) {
                   return "# " + field_text(result, "path", "?") + "\n" + field_text(result, "pem", "");
                 }};
}

}  // namespace adbcfault::cli
