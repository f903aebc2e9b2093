#include "kernel_gate.h"

#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <utility>
#include <vector>

#include "netns_fixture.h"
#include "process.h"

namespace adbcfault::testing {
namespace {

struct Probe {
  const char* what;
  std::vector<std::string> argv;  // run inside the scratch namespace
};

// One probe per piece, so the message names exactly what is missing.
std::vector<Probe> probes() {
  const std::vector<std::string> mangle = {"iptables", "-w", "-t", "mangle", "-A"};
  auto rule = [&](std::vector<std::string> tail) {
    auto argv = mangle;
    argv.insert(argv.end(), tail.begin(), tail.end());
    return argv;
  };
  return {
      {"iptables NFQUEUE target with --queue-bypass (mangle OUTPUT)",
       rule({"OUTPUT", "-p", "tcp", "-j", "NFQUEUE", "--queue-num", "1", "--queue-bypass"})},
      {"iptables TPROXY target (mangle PREROUTING)",
       rule({"PREROUTING", "-i", "lo", "-p", "tcp", "-j", "TPROXY", "--on-port", "1", "--on-ip",
             "127.0.0.1", "--tproxy-mark", "0x1/0x1"})},
      {"iptables socket match (-m socket --transparent)",
       rule({"PREROUTING", "-p", "tcp", "-m", "socket", "--transparent", "-j", "RETURN"})},
      {"iptables MARK target and mark match",
       rule({"OUTPUT", "-m", "mark", "--mark", "0x2/0x2", "-j", "MARK", "--set-xmark", "0x1/0x1"})},
      {"iptables CONNMARK target", rule({"POSTROUTING", "-j", "CONNMARK", "--save-mark", "--nfmask",
                                         "0x1", "--ctmask", "0x1"})},
      {"iptables connmark and conntrack matches",
       rule({"OUTPUT", "-m", "connmark", "--mark", "0x1/0x1", "-m", "conntrack", "--ctdir",
             "ORIGINAL", "-j", "RETURN"})},
      {"iptables multiport match",
       rule({"OUTPUT", "-p", "tcp", "-m", "multiport", "--ports", "22", "-j", "RETURN"})},
      {"iptables-save", {"iptables-save"}},
      {"ip6tables-save", {"ip6tables-save"}},
      {"policy routing: ip rule fwmark",
       {"ip", "rule", "add", "fwmark", "0x1/0x1", "lookup", "100"}},
      {"policy routing: local default route on lo",
       {"ip", "route", "add", "local", "0.0.0.0/0", "dev", "lo", "table", "100"}},
      {"curl", {"curl", "--version"}},
      {"/usr/bin/python3 (http.server)", {"/usr/bin/python3", "-c", "import http.server"}},
      {"ss (iproute2)", {"ss", "-Hltn"}},
  };
}

// The first line that says why a probe failed, e.g. "Couldn't load target `TPROXY'".
std::string reason(const RunResult& result) {
  for (const std::string* text : {&result.err, &result.out}) {
    const auto start = text->find_first_not_of("\n");
    if (start != std::string::npos) return text->substr(start, text->find('\n', start) - start);
  }
  return result.timed_out ? "timed out" : "exit " + std::to_string(result.exit_code);
}

std::string find_missing() {
  if (::geteuid() != 0) return "root (tests create network namespaces and iptables rules)\n";
  // The gate runs once per process, first in every test: a good time to sweep killed runs.
  sweep_stale_namespaces();
  const std::string scratch = own_namespace_prefix() + "probe";
  auto added = run_command({"ip", "netns", "add", scratch});
  if (!added.ok()) return "network namespaces (ip netns add): " + reason(added) + "\n";
  std::string missing;
  for (const auto& probe : probes()) {
    auto result = run(scratch, probe.argv);
    if (!result.ok()) {
      missing +=
          std::string(probe.what) + ": `" + join_argv(probe.argv) + "`: " + reason(result) + "\n";
    }
  }
  remove_namespace(scratch);
  return missing;
}

}  // namespace

const std::string& missing_kernel_features() {
  static const std::string missing = find_missing();
  return missing;
}

bool kernel_required() {
  const char* value = std::getenv("ADBCFAULT_REQUIRE_KERNEL");
  return value != nullptr && std::string(value) == "1";
}

}  // namespace adbcfault::testing
