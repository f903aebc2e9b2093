#pragma once
// The text of iptables/adbcfault.rules.in, compiled in so the daemon never depends on where the
// repository or the install put the template.

namespace adbcfault::steer {
extern const char* const kRulesTemplate;
}
