#pragma once
// The kernel steering state of one namespace, captured so a test can prove that stopping (or
// cleaning up after) adbcfaultd leaves it exactly as it was before start.

#include <string>
#include <string_view>

namespace adbcfault::testing {

struct NetState {
  std::string iptables;   // iptables-save, normalised
  std::string ip6tables;  // ip6tables-save, normalised
  std::string rules;      // ip rule
  std::string rules6;     // ip -6 rule
  std::string routes;     // ip route show table all
  std::string routes6;    // ip -6 route show table all

  friend bool operator==(const NetState&, const NetState&) = default;
};

// Throws std::runtime_error if a command fails.
NetState capture_net_state(const std::string& ns);

// "" when equal; otherwise, per section, the lines only in `before` (-) and only in `after` (+).
std::string describe_difference(const NetState& before, const NetState& after);

// Drops '#' comment lines, zeroes packet/byte counters ("[n:m]" -> "[0:0]") and drops tables that
// hold nothing but built-in chains with policy ACCEPT: with iptables-nft, adding and then deleting
// a rule leaves such an empty table behind, which filters nothing and is not a leftover rule.
std::string normalize_iptables_save(std::string_view text);

// Rules and routes that are not adbcfaultd's, installed before it starts, so a snapshot also
// proves the daemon leaves other users' rules alone (e.g. no flush of whole tables or chains).
void install_foreign_state(const std::string& ns);

}  // namespace adbcfault::testing
