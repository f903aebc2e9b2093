// `adbcfault calls count --method M [--since ID]`: just the number, for scripts.

#include "cli/arg_parser.h"
#include "cli/builtin_commands.h"
#include "cli/format.h"

namespace adbcfault::cli {
namespace {

namespace po = boost::program_options;

constexpr std::string_view kUsage = "calls count --method M [--since ID]";

Request build_count(const ParsedArgs& values) {
  auto method = text_option(values, "method");
  if (!method) throw BadUsage{"missing --method M"};
  Json args = {{"method", *method}};
  if (auto since = number_option(values, "since")) args["since"] = *since;
  return Request{"calls_count", args};
}

}  // namespace

Command make_calls_count_command() {
  return Command{
      "calls count", std::string(kUsage), "print how many M calls were journaled, and nothing else",
      [](const std::vector<std::string>& args) -> ParseResult {
        po::options_description options;
        options.add_options()("method", po::value<std::string>())("since",
                                                                  po::value<std::string>());
        return parse_command(kUsage, args, options, 0, build_count);
      },
      [](const Request&, const Json& result) { return field_text(result, "count", "?") + "\n"; }};
}

}  // namespace adbcfault::cli
