// `adbcfault calls [--method M] [--since ID]`: the journaled calls, one row each, oldest first.

#include <cstdio>

#include "cli/arg_parser.h"
#include "cli/builtin_commands.h"
#include "cli/format.h"

namespace adbcfault::cli {
namespace {

namespace po = boost::program_options;

constexpr std::string_view kUsage = "calls [--method M] [--since ID]";

Request build_calls(const ParsedArgs& values) {
  Json args = Json::object();
  if (auto method = text_option(values, "method")) args["method"] = *method;
  if (auto since = number_option(values, "since")) args["since"] = *since;
  return Request{"calls", args};
}

// A string field, or "" when it is absent, null or not a string.
std::string text_of(const Json& call, const char* key) {
  auto it = call.find(key);
  return it != call.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string or_dash(std::string text) { return text.empty() ? "-" : text; }

// "10:00:00.123" from "2024-05-01T10:00:00.123Z"; anything else as it is.
std::string time_of_day(const std::string& iso) {
  auto t = iso.find('T');
  if (t == std::string::npos) return or_dash(iso);
  std::string time = iso.substr(t + 1);
  if (time.ends_with('Z')) time.pop_back();
  return time;
}

// "200/SUCCESS_STATUS", "503", "-" (no response yet).
std::string status_of(const Json& call) {
  std::string status = field_text(call, "http_status");
  if (std::string thrift = text_of(call, "thrift_status"); !thrift.empty()) status += "/" + thrift;
  return status;
}

std::string latency_of(const Json& call) {
  auto it = call.find("latency_ms");
  if (it == call.end() || !it->is_number()) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.1f ms", it->get<double>());
  return buffer;
}

std::string format_calls(const Request& request, const Json& result) {
  Json calls = result.value("calls", Json::array());
  if (!calls.is_array() || calls.empty()) {
    std::string what = request.args.contains("method")
                           ? value_text(request.args["method"]) + " calls"
                           : std::string("calls");
    std::string since = request.args.contains("since")
                            ? " from id " + value_text(request.args["since"]) + " on"
                            : std::string();
    return "no " + what + " journaled" + since + "\n";
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& call : calls) {
    std::string method = text_of(call, "thrift_method");
    if (method.empty()) method = text_of(call, "http_method");
    rows.push_back({field_text(call, "id"), time_of_day(text_of(call, "time")), or_dash(method),
                    or_dash(text_of(call, "path")), status_of(call), latency_of(call),
                    or_dash(text_of(call, "operation_guid")), or_dash(text_of(call, "scenario"))});
  }
  std::string table = format_table(
      {"ID", "TIME", "METHOD", "PATH", "STATUS", "LATENCY", "OPERATION", "SCENARIO"}, rows);

  // The table's lines are the header, then one per call: what a call needs explained goes
  // right under its row.
  std::string out;
  std::size_t line_start = 0;
  for (std::size_t line = 0; line_start < table.size(); ++line) {
    std::size_t line_end = table.find('\n', line_start) + 1;
    out += table.substr(line_start, line_end - line_start);
    line_start = line_end;
    if (line == 0) continue;
    const Json& call = calls[line - 1];
    if (std::string error = text_of(call, "thrift_error"); !error.empty()) {
      out += "  thrift error: " + error + "\n";
    }
    if (std::string note = text_of(call, "note"); !note.empty()) out += "  note: " + note + "\n";
  }
  return out;
}

}  // namespace

Command make_calls_command() {
  return Command{"calls", std::string(kUsage),
                 "list the journaled calls, oldest first; --since ID: from that journal id on",
                 [](const std::vector<std::string>& args) -> ParseResult {
                   po::options_description options;
                   options.add_options()("method", po::value<std::string>())(
                       "since", po::value<std::string>());
                   return parse_command(kUsage, args, options, 0, build_calls);
                 },
                 format_calls};
}

}  // namespace adbcfault::cli
