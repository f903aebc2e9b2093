#pragma once
// adbcfaultd's flags and optional config file, parsed into validated values. Problems are
// reported as one line naming the flag (or FILE:LINE) and why.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "steer/intercept_target.h"

namespace adbcfault::daemon {

enum class LogLevel { debug, info, warn, error };
std::string_view to_string(LogLevel level);

// The installed catalogue, then /etc/adbcfault/scenarios.
std::vector<std::filesystem::path> default_scenario_dirs();

struct Config {
  std::filesystem::path socket_path = "/run/adbcfault/control.sock";
  std::filesystem::path state_dir = "/var/lib/adbcfault";
  std::vector<std::filesystem::path> scenario_dirs = default_scenario_dirs();
  // True while scenario_dirs are the defaults: the daemon skips a default that does not exist,
  // but an explicit --scenarios DIR that does not exist is an error.
  bool scenario_dirs_are_defaults = true;
  std::vector<steer::InterceptTarget> intercept = steer::default_intercept_targets();
  bool cleanup = false;                                  // remove leftover rules and exit
  std::optional<std::filesystem::path> check_scenarios;  // validate DIR and exit
  uint16_t tproxy_port = 15001;
  uint16_t queue_num = 4097;
  std::optional<uint64_t> seed;  // none: seeded randomly at start
  uint64_t journal_size = 100000;  // calls kept in the journal
  uint64_t thrift_body_cap = 16u << 20;  // largest Thrift body held for decoding
  bool inspect_http = true;         // false: --no-inspect, bytes are only relayed
  std::vector<std::string> tls_intercept;  // host globs and CIDRs; empty with the defaults
  bool tls_intercept_is_default = true;
  std::optional<std::filesystem::path> upstream_ca;
  LogLevel log_level = LogLevel::info;
  std::optional<std::filesystem::path> config_file;  // the --config that was read, if any
};

struct ParseOutcome {
  enum class Action { run, help, version, error };
  Action action = Action::run;
  Config config;        // meaningful when action == run
  std::string message;  // when action == error: one line, without a program-name prefix
};

// Parses the command line (argv[0] is the program name) and the --config file it names.
// Flags on the command line win over the file; a repeatable flag given on the command line
// replaces the file's values, and explicit values replace the defaults.
ParseOutcome parse_daemon_flags(int argc, const char* const argv[]);

// The text of `adbcfaultd --help`.
std::string daemon_usage();

}  // namespace adbcfault::daemon
