#pragma once
// adbcfaultd's start-up and tear-down order, in one place:
//   control socket bound (answers once the loop runs, i.e. once everything below is up)
//   -> scenarios loaded -> TPROXY listener -> NFQUEUE bound -> policy route -> iptables rules
//   -> ready. Stop undoes it in reverse, rules first so new connections go direct at once.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "steer/intercept_target.h"

namespace adbcfault::daemon {

struct DaemonOptions {
  std::filesystem::path socket_path;
  std::filesystem::path state_dir;
  std::vector<std::string> scenario_paths;
  std::vector<steer::InterceptTarget> intercepts;
  uint16_t tproxy_port = 15001;
  uint16_t queue_num = 4097;
  std::optional<uint64_t> seed;
  size_t journal_size = 100000;
  size_t thrift_body_cap = 16u << 20;
  bool inspect_http = true;  // false: relay bytes only (no journal, no per-request scenarios)
  std::optional<std::vector<std::string>> tls_intercept;  // nullopt: the default policy
  std::optional<std::filesystem::path> upstream_ca;
};

// Runs until SIGTERM/SIGINT. Returns the process exit code; start-up failures print one line
// saying what is wrong and what to do, and leave nothing installed.
int run_daemon(const DaemonOptions& options);

// `adbcfaultd --check-scenarios PATH`: validates scenario files without running. 0 when valid.
int run_check_scenarios(const std::string& path);

// `adbcfaultd --cleanup`: removes every rule, chain, ip rule and route adbcfaultd could have left.
int run_cleanup(const DaemonOptions& options);

}  // namespace adbcfault::daemon
