#pragma once
// The kernel's packet-filter tables behind a small adapter, so rule handling is unit-testable
// with a fake and the real one is one place that runs iptables-save/iptables-restore/nft (or
// their IPv6 twins).

#include <string>

#include "steer/command.h"

namespace adbcfault::steer {

enum class IpFamily { kIpv4, kIpv6 };

class Iptables {
 public:
  virtual ~Iptables() = default;
  // "iptables" or "ip6tables": how messages name the tool.
  virtual std::string tool() const { return "iptables"; }
  // The mangle section of `iptables-save` (empty when the table does not exist; note that
  // `iptables-save -t mangle` would print an empty table even then).
  virtual CommandResult save_mangle() = 0;
  virtual CommandResult restore(const std::string& rules) = 0;   // iptables-restore --noflush
  virtual CommandResult delete_mangle_table() = 0;               // only ever called when empty
};

class SystemIptables final : public Iptables {
 public:
  explicit SystemIptables(IpFamily family = IpFamily::kIpv4) : family_(family) {}
  std::string tool() const override {
    return family_ == IpFamily::kIpv4 ? "iptables" : "ip6tables";
  }
  CommandResult save_mangle() override;
  CommandResult restore(const std::string& rules) override;
  CommandResult delete_mangle_table() override;

 private:
  IpFamily family_;
};

}  // namespace adbcfault::steer
