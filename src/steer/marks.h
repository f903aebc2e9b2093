#pragma once
// Packet marks, routing table and rule priority adbcfaultd owns. Single bits, always used with
// themselves as mask, so other users of the mark field keep their bits.

#include <cstdint>

namespace adbcfault::steer {

inline constexpr uint32_t kInterceptMark = 0x20000000;  // steer this flow into the listener
inline constexpr uint32_t kBypassMark = 0x40000000;     // our own upstream sockets: never steer
inline constexpr uint32_t kRouteTable = 0xadbc;         // holds `local 0.0.0.0/0 dev lo`
inline constexpr uint32_t kRulePriority = 100;          // `ip rule` priority of our fwmark rule

// Chains we create; anything named with this prefix in the mangle table is ours.
inline constexpr const char* kChainPrefix = "ADBCFAULT_";

}  // namespace adbcfault::steer
