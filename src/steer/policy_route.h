#pragma once
// The policy route that sends marked packets to the local TPROXY listener:
//   ip rule add fwmark MARK/MARK lookup TABLE priority PRIO
//   ip route add local 0.0.0.0/0 dev lo table TABLE
// installed over rtnetlink (libnl) and removed by the destructor.

#include <cstdint>
#include <string>

namespace adbcfault::steer {

struct PolicyRouteSpec {
  uint32_t mark = 0;
  uint32_t table = 0;
  uint32_t priority = 0;
};

class PolicyRoute {
 public:
  // Replaces a stale rule/route of ours and installs fresh ones. Throws SteerError.
  explicit PolicyRoute(PolicyRouteSpec spec);
  ~PolicyRoute();
  PolicyRoute(const PolicyRoute&) = delete;
  PolicyRoute& operator=(const PolicyRoute&) = delete;

  // Removes every rule with our mark and table and every route in our table. Returns an empty
  // string on success, else what went wrong. Never throws. Used by the destructor and --cleanup.
  static std::string remove_all(const PolicyRouteSpec& spec);

 private:
  PolicyRouteSpec spec_;
};

}  // namespace adbcfault::steer
