#pragma once
// Our iptables (or ip6tables) chains as an RAII owner: install() puts them in atomically, the
// destructor (or remove()) takes out exactly what is ours, and leaves the mangle table as it
// found it.

#include <stdexcept>
#include <string>

#include "steer/iptables.h"
#include "steer/rule_renderer.h"

namespace adbcfault::steer {

class SteerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SteeringRules {
 public:
  // The IPv4 steering rules for `params`.
  SteeringRules(Iptables& iptables, const RuleParams& params);
  // Any rule set of ours: `rules` is iptables-restore input; `needs` says, when it is refused,
  // what the kernel must have.
  SteeringRules(Iptables& iptables, std::string rules, std::string needs);
  ~SteeringRules();
  SteeringRules(const SteeringRules&) = delete;
  SteeringRules& operator=(const SteeringRules&) = delete;

  // Replaces any stale rules of ours (a crashed run) and installs fresh ones. Throws SteerError.
  void install();
  // Idempotent; returns an empty string on success, else what went wrong. Never throws.
  std::string remove();
  bool installed() const { return installed_; }

  // For `adbcfaultd --cleanup`: removes whatever of ours is there, and the mangle table when it
  // is left empty. Returns an empty string on success.
  static std::string remove_all(Iptables& iptables);

 private:
  Iptables& iptables_;
  std::string rules_;
  std::string needs_;
  bool installed_ = false;
  bool table_existed_before_ = true;
};

}  // namespace adbcfault::steer
