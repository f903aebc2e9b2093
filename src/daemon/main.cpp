// Temporary flag handling until daemon/config lands; replaced in the next commit.
#include <cstring>
#include <iostream>

#include "daemon/daemon.h"

int main(int argc, char** argv) {
  adbcfault::daemon::DaemonOptions options;
  options.socket_path = "/run/adbcfault/control.sock";
  options.state_dir = "/var/lib/adbcfault";
  bool cleanup = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&] { return std::string(i + 1 < argc ? argv[++i] : ""); };
    if (a == "--socket") options.socket_path = next();
    else if (a == "--state-dir") options.state_dir = next();
    else if (a == "--cleanup") cleanup = true;
    else if (a == "--tproxy-port") options.tproxy_port = static_cast<uint16_t>(std::stoi(next()));
    else if (a == "--intercept") {
      std::string error;
      auto t = adbcfault::steer::parse_intercept_target(next(), error);
      if (!t) { std::cerr << error << "\n"; return 2; }
      options.intercepts.push_back(*t);
    } else { std::cerr << "unknown option " << a << "\n"; return 2; }
  }
  if (options.intercepts.empty()) options.intercepts = adbcfault::steer::default_intercept_targets();
  return cleanup ? adbcfault::daemon::run_cleanup(options) : adbcfault::daemon::run_daemon(options);
}
