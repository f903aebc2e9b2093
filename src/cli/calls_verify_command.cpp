// `adbcfault calls verify CHECK [--since ID]`: one check over the journaled calls; exit 1 with the
// daemon's diagnostics when it does not hold.

#include "cli/arg_parser.h"
#include "cli/builtin_commands.h"
#include "cli/format.h"

namespace adbcfault::cli {
namespace {

namespace po = boost::program_options;

constexpr std::string_view kUsage =
    "calls verify --exact-sequence M1,M2,...|--contains-sequence M1,M2,...|--method M --count N|"
    "--method M --exists [--since ID]";

Request build_verify(const ParsedArgs& values) {
  auto exact = list_option(values, "exact-sequence");
  auto contains = list_option(values, "contains-sequence");
  auto method = text_option(values, "method");
  auto count = number_option(values, "count");
  bool exists = values.options["exists"].as<bool>();

  if (count && exists) throw BadUsage{"give --count N or --exists, not both"};
  int checks = (exact ? 1 : 0) + (contains ? 1 : 0) + (count || exists ? 1 : 0);
  if (checks == 0) {
    throw BadUsage{method ? "--method M needs --count N or --exists"
                          : "missing the check: give --exact-sequence, --contains-sequence, "
                            "--method M --count N or --method M --exists"};
  }
  if (checks > 1) {
    throw BadUsage{"give one check: --exact-sequence, --contains-sequence, --count N or --exists"};
  }
  if ((count || exists) && !method) {
    throw BadUsage{std::string(count ? "--count N" : "--exists") + " needs --method M"};
  }
  if (method && !count && !exists) {
    throw BadUsage{
        "--method goes with --count or --exists; a sequence is checked against every "
        "call"};
  }

  Json args = Json::object();
  if (exact) args["exact_sequence"] = *exact;
  if (contains) args["contains_sequence"] = *contains;
  if (method) args["method"] = *method;
  if (count) args["count"] = *count;
  if (exists) args["exists"] = true;
  if (auto since = number_option(values, "since")) args["since"] = *since;
  return Request{"calls_verify", args};
}

std::string joined(const Json& methods) {
  std::string text;
  if (!methods.is_array()) return value_text(methods);
  for (const auto& method : methods) text += (text.empty() ? "" : ",") + value_text(method);
  return text;
}

std::string format_verified(const Request& request, const Json& result) {
  const Json& args = request.args;
  std::string what;
  if (args.contains("exact_sequence")) {
    what = "the calls are exactly " + joined(args["exact_sequence"]);
  } else if (args.contains("contains_sequence")) {
    what = "the calls contain " + joined(args["contains_sequence"]) + " in this order";
  } else if (args.contains("count")) {
    what = value_text(args["count"]) + " " + field_text(args, "method") + " call(s)";
  } else {
    what = "at least one " + field_text(args, "method") + " call";
  }
  return "verified: " + what + " (" + field_text(result, "calls", "?") + " call(s) checked)\n";
}

}  // namespace

Command make_calls_verify_command() {
  return Command{"calls verify", std::string(kUsage),
                 "check the journaled calls; exit 1 and say why when the check does not hold",
                 [](const std::vector<std::string>& args) -> ParseResult {
                   po::options_description options;
                   options.add_options()("exact-sequence", po::value<std::string>())(
                       "contains-sequence", po::value<std::string>())(
                       "method", po::value<std::string>())("count", po::value<std::string>())(
                       "exists", po::bool_switch())("since", po::value<std::string>());
                   return parse_command(kUsage, args, options, 0, build_verify);
                 },
                 format_verified};
}

}  // namespace adbcfault::cli
