#pragma once
// Runs a short external program (iptables-save, iptables-restore, nft) and collects its output.

#include <string>
#include <vector>

namespace adbcfault::steer {

struct CommandResult {
  int exit_code = -1;  // -1: could not start or killed by a signal
  std::string out;
  std::string err;

  bool ok() const { return exit_code == 0; }
  // "iptables-restore: exit 1: <first line of stderr>", for error messages.
  std::string describe(const std::string& program) const;
};

// Runs argv[0] from PATH with `input` on its standard input. Never throws.
CommandResult run_command(const std::vector<std::string>& argv, const std::string& input = "");

}  // namespace adbcfault::steer
