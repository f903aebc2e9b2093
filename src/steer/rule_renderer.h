#pragma once
// Rules as data: the text we hand to iptables-restore (ip6tables-restore), rendered from the
// templates in iptables/, and the exact inverse computed from what iptables-save shows. Pure
// functions, golden-tested.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "steer/intercept_target.h"

namespace adbcfault::steer {

struct RuleParams {
  std::vector<InterceptTarget> targets;
  uint16_t tproxy_port = 0;
  uint16_t queue_num = 0;
};

// iptables-restore input that installs our chains and the jumps into them.
std::string render_install_rules(const RuleParams& params);

// ip6tables-restore input for the IPv6 watch (iptables/adbcfault6.rules.in): the SYNs of IPv6
// connections to the targets without an address range go to the queue, to be counted and passed.
// Empty when every target has an address range (they are IPv4 ranges: nothing to watch).
std::string render_ipv6_watch_rules(const RuleParams& params);

// iptables-restore input that removes every jump to, and every chain named, ADBCFAULT_* found in
// `mangle_save` (the output of `iptables-save -t mangle`). Empty when nothing of ours is there.
std::string render_removal_rules(std::string_view mangle_save);

// True when `mangle_save` shows no table at all, or a table with only built-in chains, no rules
// and ACCEPT policies: removing such a table changes nothing about how packets are handled.
bool mangle_table_is_empty(std::string_view mangle_save);
bool mangle_table_exists(std::string_view mangle_save);

// The lines from `*mangle` to its `COMMIT` in a full iptables-save output; empty if absent.
std::string mangle_section(std::string_view full_save);

}  // namespace adbcfault::steer
