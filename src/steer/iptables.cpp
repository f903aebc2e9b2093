#include "steer/iptables.h"

#include "steer/rule_renderer.h"

namespace adbcfault::steer {

CommandResult SystemIptables::save_mangle() {
  CommandResult result = run_command({tool() + "-save"});
  result.out = mangle_section(result.out);
  return result;
}

CommandResult SystemIptables::restore(const std::string& rules) {
  return run_command({tool() + "-restore", "--noflush"}, rules);
}

CommandResult SystemIptables::delete_mangle_table() {
  // iptables-nft has no command to drop a table; nft does. With the legacy backend the table is
  // built in and there is nothing to drop, so a failure here only leaves an empty table.
  return run_command(
      {"nft", "delete", "table", family_ == IpFamily::kIpv4 ? "ip" : "ip6", "mangle"});
}

}  // namespace adbcfault::steer
