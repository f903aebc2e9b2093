#pragma once
// The texts of iptables/adbcfault.rules.in and adbcfault6.rules.in, compiled in so the daemon
// never depends on where the repository or the install put the templates.

namespace adbcfault::steer {
extern const char* const kRulesTemplate;
extern const char* const kIpv6RulesTemplate;
}
