// adbcfaultd: flags in, one of run / --cleanup / --check-scenarios out.
#include <filesystem>
#include <iostream>

#include "common/log.h"
#include "daemon/config.h"
#include "daemon/daemon.h"

namespace {

using adbcfault::daemon::Config;
using adbcfault::daemon::DaemonOptions;

DaemonOptions options_from(const Config& config) {
  DaemonOptions options;
  options.socket_path = config.socket_path;
  options.state_dir = config.state_dir;
  for (const auto& dir : config.scenario_dirs) {
    // A default directory that is not there (nothing installed yet) is simply skipped; an
    // explicit --scenarios that is missing is an error the loader reports.
    if (config.scenario_dirs_are_defaults && !std::filesystem::exists(dir)) continue;
    options.scenario_paths.push_back(dir.string());
  }
  options.intercepts = config.intercept;
  options.tproxy_port = config.tproxy_port;
  options.queue_num = config.queue_num;
  options.seed = config.seed;
  options.journal_size = config.journal_size;
  options.thrift_body_cap = config.thrift_body_cap;
  options.inspect_http = config.inspect_http;
  if (!config.tls_intercept_is_default) options.tls_intercept = config.tls_intercept;
  options.upstream_ca = config.upstream_ca;
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  auto outcome = adbcfault::daemon::parse_daemon_flags(argc, argv);
  switch (outcome.action) {
    case adbcfault::daemon::ParseOutcome::Action::help:
      std::cout << adbcfault::daemon::daemon_usage();
      return 0;
    case adbcfault::daemon::ParseOutcome::Action::version:
      std::cout << "adbcfaultd " << ADBCFAULT_VERSION << "\n";
      return 0;
    case adbcfault::daemon::ParseOutcome::Action::error:
      std::cerr << "adbcfaultd: " << outcome.message << "\n";
      return 2;
    case adbcfault::daemon::ParseOutcome::Action::run:
      break;
  }
  const Config& config = outcome.config;
  adbcfault::log::Level level;
  adbcfault::log::parse_level(adbcfault::daemon::to_string(config.log_level), level);
  adbcfault::log::set_level(level);

  if (config.check_scenarios) return adbcfault::daemon::run_check_scenarios(config.check_scenarios->string());
  DaemonOptions options = options_from(config);
  if (config.cleanup) return adbcfault::daemon::run_cleanup(options);
  return adbcfault::daemon::run_daemon(options);
}
