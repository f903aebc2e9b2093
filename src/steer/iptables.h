#pragma once
// The kernel's packet-filter tables behind a small adapter, so rule handling is unit-testable
// with a fake and the real one is one place that runs iptables-save/iptables-restore/nft.

#include <string>

#include "steer/command.h"

namespace adbcfault::steer {

class Iptables {
 public:
  virtual ~Iptables() = default;
  // The mangle section of `iptables-save` (empty when the table does not exist; note that
  // `iptables-save -t mangle` would print an empty table even then).
  virtual CommandResult save_mangle() = 0;
  virtual CommandResult restore(const std::string& rules) = 0;   // iptables-restore --noflush
  virtual CommandResult delete_mangle_table() = 0;               // only ever called when empty
};

class SystemIptables final : public Iptables {
 public:
  CommandResult save_mangle() override;
  CommandResult restore(const std::string& rules) override;
  CommandResult delete_mangle_table() override;
};

}  // namespace adbcfault::steer
