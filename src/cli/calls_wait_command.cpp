// `adbcfault calls wait --method M --count N --timeout S [--since ID]`: block until the journal
// holds N calls of M, or fail (exit 1) after S seconds.

#include <algorithm>
#include <cmath>

#include "cli/arg_parser.h"
#include "cli/builtin_commands.h"
#include "cli/format.h"

namespace adbcfault::cli {
namespace {

namespace po = boost::program_options;

constexpr std::string_view kUsage = "calls wait --method M --count N --timeout S [--since ID]";

// How much longer than the daemon's own wait the CLI waits for its answer, so a wait that times
// out is reported by the daemon (exit 1), not as a silent daemon (exit 2).
constexpr std::chrono::milliseconds kAnswerSlack{5'000};
constexpr double kLongestWaitSeconds = 86'400;

Request build_wait(const ParsedArgs& values) {
  auto method = text_option(values, "method");
  if (!method) throw BadUsage{"missing --method M"};
  auto count = number_option(values, "count");
  if (!count) throw BadUsage{"missing --count N"};
  if (*count == 0) throw BadUsage{"--count must be at least 1"};
  auto timeout = seconds_option(values, "timeout");
  if (!timeout) throw BadUsage{"missing --timeout S"};

  Json args = {{"method", *method}, {"count", *count}, {"timeout_seconds", *timeout}};
  if (auto since = number_option(values, "since")) args["since"] = *since;
  Request request{"calls_wait", args};
  // The daemon refuses long waits itself; the cap only keeps the conversion defined.
  double wait_ms = std::ceil(std::min(*timeout, kLongestWaitSeconds) * 1000);
  request.min_timeout = std::chrono::milliseconds(static_cast<long long>(wait_ms)) + kAnswerSlack;
  return request;
}

}  // namespace

Command make_calls_wait_command() {
  return Command{"calls wait", std::string(kUsage),
                 "wait until N M calls were journaled; exit 1 if S seconds pass first",
                 [](const std::vector<std::string>& args) -> ParseResult {
                   po::options_description options;
                   options.add_options()("method", po::value<std::string>())(
                       "count", po::value<std::string>())("timeout", po::value<std::string>())(
                       "since", po::value<std::string>());
                   return parse_command(kUsage, args, options, 0, build_wait);
                 },
                 [](const Request&, const Json& result) {
                   return "saw " + field_text(result, "count", "?") + " " +
                          field_text(result, "method", "?") + " call(s)\n";
                 }};
}

}  // namespace adbcfault::cli
