#include "net_snapshot.h"

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "process.h"

namespace adbcfault::testing {
namespace {

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string must_output(const std::string& ns, std::vector<std::string> argv) {
  auto result = run(ns, std::move(argv));
  if (!result.ok()) throw std::runtime_error("net snapshot: " + result.describe());
  return result.out;
}

// A table block ("*name" ... "COMMIT") that filters nothing.
bool is_empty_accept_table(const std::vector<std::string>& block) {
  static const std::regex builtin_accept(R"(:[A-Z]+ ACCEPT \[0:0\])");
  for (const auto& line : block) {
    if (line.starts_with("*") || line == "COMMIT") continue;
    if (!std::regex_match(line, builtin_accept)) return false;
  }
  return true;
}

void diff_section(const char* name, const std::string& before, const std::string& after,
                  std::string& out) {
  if (before == after) return;
  auto before_lines = split_lines(before);
  auto after_lines = split_lines(after);
  std::multiset<std::string> before_set(before_lines.begin(), before_lines.end());
  std::multiset<std::string> after_set(after_lines.begin(), after_lines.end());
  std::string lines;
  for (const auto& line : before_lines) {
    if (auto it = after_set.find(line); it != after_set.end())
      after_set.erase(it);
    else
      lines += "- " + line + "\n";
  }
  for (const auto& line : after_lines) {
    if (auto it = before_set.find(line); it != before_set.end())
      before_set.erase(it);
    else
      lines += "+ " + line + "\n";
  }
  if (lines.empty()) lines = "  (same lines, different order)\n";
  out += std::string("[") + name + "]\n" + lines;
}

}  // namespace

std::string normalize_iptables_save(std::string_view text) {
  static const std::regex counters(R"(\[\d+:\d+\])");
  std::string out;
  std::vector<std::string> block;
  for (auto& line : split_lines(text)) {
    if (line.empty() || line.starts_with("#")) continue;
    line = std::regex_replace(line, counters, "[0:0]");
    block.push_back(line);
    if (line != "COMMIT") continue;
    if (!is_empty_accept_table(block)) {
      for (const auto& kept : block) out += kept + "\n";
    }
    block.clear();
  }
  for (const auto& rest : block) out += rest + "\n";  // an unterminated block is kept verbatim
  return out;
}

NetState capture_net_state(const std::string& ns) {
  NetState state;
  state.iptables = normalize_iptables_save(must_output(ns, {"iptables-save"}));
  state.ip6tables = normalize_iptables_save(must_output(ns, {"ip6tables-save"}));
  state.rules = must_output(ns, {"ip", "rule"});
  state.rules6 = must_output(ns, {"ip", "-6", "rule"});
  state.routes = must_output(ns, {"ip", "route", "show", "table", "all"});
  state.routes6 = must_output(ns, {"ip", "-6", "route", "show", "table", "all"});
  return state;
}

std::string describe_difference(const NetState& before, const NetState& after) {
  std::string out;
  diff_section("iptables-save", before.iptables, after.iptables, out);
  diff_section("ip6tables-save", before.ip6tables, after.ip6tables, out);
  diff_section("ip rule", before.rules, after.rules, out);
  diff_section("ip -6 rule", before.rules6, after.rules6, out);
  diff_section("ip route show table all", before.routes, after.routes, out);
  diff_section("ip -6 route show table all", before.routes6, after.routes6, out);
  return out;
}

void install_foreign_state(const std::string& ns) {
  const std::vector<std::vector<std::string>> commands = {
      {"iptables", "-w", "-t", "mangle", "-A", "OUTPUT", "-p", "udp", "--dport", "9", "-j",
       "RETURN"},
      {"iptables", "-w", "-t", "mangle", "-A", "PREROUTING", "-p", "udp", "--dport", "9", "-j",
       "RETURN"},
      {"iptables", "-w", "-A", "INPUT", "-p", "tcp", "--dport", "9", "-j", "ACCEPT"},
      {"ip6tables", "-w", "-t", "mangle", "-A", "OUTPUT", "-p", "udp", "--dport", "9", "-j",
       "RETURN"},
      {"ip", "rule", "add", "fwmark", "0x5a5a", "lookup", "2525", "pref", "25250"},
      {"ip", "route", "add", "blackhole", "10.200.250.0/24", "table", "2525"},
  };
  for (const auto& argv : commands) {
    auto result = run(ns, argv);
    if (!result.ok()) throw std::runtime_error("foreign state: " + result.describe());
  }
}

}  // namespace adbcfault::testing
