#include "steer/steering_rules.h"

namespace adbcfault::steer {
namespace {

// Removes our chains; when `drop_empty_table`, also the mangle table if nothing else is in it.
std::string remove_ours(Iptables& iptables, bool drop_empty_table) {
  CommandResult saved = iptables.save_mangle();
  if (!saved.ok()) return saved.describe("iptables-save");
  std::string removal = render_removal_rules(saved.out);
  if (!removal.empty()) {
    CommandResult restored = iptables.restore(removal);
    if (!restored.ok()) return restored.describe("iptables-restore");
    saved = iptables.save_mangle();
    if (!saved.ok()) return saved.describe("iptables-save");
  }
  if (drop_empty_table && mangle_table_exists(saved.out) && mangle_table_is_empty(saved.out)) {
    iptables.delete_mangle_table();  // best effort: an empty table is harmless
  }
  return "";
}

}  // namespace

SteeringRules::SteeringRules(Iptables& iptables, RuleParams params)
    : iptables_(iptables), params_(std::move(params)) {}

SteeringRules::~SteeringRules() { remove(); }

void SteeringRules::install() {
  CommandResult saved = iptables_.save_mangle();
  if (!saved.ok()) {
    throw SteerError(saved.describe("iptables-save") +
                     " (is the iptables package installed and are you root?)");
  }
  table_existed_before_ = mangle_table_exists(saved.out);
  if (std::string error = remove_ours(iptables_, false); !error.empty()) {
    throw SteerError("removing stale rules of an earlier run failed: " + error);
  }
  installed_ = true;  // from here on the destructor cleans up, even if the restore half-failed
  CommandResult restored = iptables_.restore(render_install_rules(params_));
  if (!restored.ok()) {
    remove();
    throw SteerError(restored.describe("iptables-restore") +
                     " (the kernel needs the TPROXY, NFQUEUE, CONNMARK, MARK targets and the "
                     "mark, connmark, conntrack, multiport matches)");
  }
}

std::string SteeringRules::remove() {
  if (!installed_) return "";
  std::string error = remove_ours(iptables_, !table_existed_before_);
  if (error.empty()) installed_ = false;
  return error;
}

std::string SteeringRules::remove_all(Iptables& iptables) { return remove_ours(iptables, true); }

}  // namespace adbcfault::steer
