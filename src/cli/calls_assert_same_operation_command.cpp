// `adbcfault calls assert-same-operation --method M [--last N]`: the last N calls of M (default
// 2) carry one, non-empty operation GUID, as a retry of the same operation must.

#include "cli/arg_parser.h"
#include "cli/builtin_commands.h"
#include "cli/format.h"

namespace adbcfault::cli {
namespace {

namespace po = boost::program_options;

constexpr std::string_view kUsage = "calls assert-same-operation --method M [--last N]";

Request build_assert(const ParsedArgs& values) {
  auto method = text_option(values, "method");
  if (!method) throw BadUsage{"missing --method M"};
  Json args = {{"method", *method}};
  if (auto last = number_option(values, "last")) {
    if (*last < 2) throw BadUsage{"--last must be at least 2: it compares calls"};
    args["last"] = *last;
  }
  return Request{"calls_assert_same_operation", args};
}

}  // namespace

Command make_calls_assert_same_operation_command() {
  return Command{"calls assert-same-operation", std::string(kUsage),
                 "check the last N (default 2) M calls share one operation; exit 1 if not",
                 [](const std::vector<std::string>& args) -> ParseResult {
                   po::options_description options;
                   options.add_options()("method", po::value<std::string>())(
                       "last", po::value<std::string>());
                   return parse_command(kUsage, args, options, 0, build_assert);
                 },
                 [](const Request& request, const Json& result) {
                   return field_text(request.args, "method") + ": last " +
                          field_text(result, "compared", "?") + " calls share operation " +
                          field_text(result, "operation_guid") + "\n";
                 }};
}

}  // namespace adbcfault::cli
