#include "steer/steering_rules.h"

namespace adbcfault::steer {
namespace {

// Removes our chains; when `drop_empty_table`, also the mangle table if nothing else is in it.
std::string remove_ours(Iptables& iptables, bool drop_empty_table) {
  const std::string tool = iptables.tool();
  CommandResult saved = iptables.save_mangle();
  if (!saved.ok()) return saved.describe(tool + "-save");
  std::string removal = render_removal_rules(saved.out);
  if (!removal.empty()) {
    CommandResult restored = iptables.restore(removal);
    if (!restored.ok()) return restored.describe(tool + "-restore");
    saved = iptables.save_mangle();
    if (!saved.ok()) return saved.describe(tool + "-save");
  }
  if (drop_empty_table && mangle_table_exists(saved.out) && mangle_table_is_empty(saved.out)) {
    iptables.delete_mangle_table();  // best effort: an empty table is harmless
  }
  return "";
}

}  // namespace

SteeringRules::SteeringRules(Iptables& iptables, const RuleParams& params)
    : SteeringRules(iptables, render_install_rules(params),
                    "the kernel needs the TPROXY, NFQUEUE, CONNMARK, MARK targets and the mark, "
                    "connmark, conntrack, multiport matches") {}

SteeringRules::SteeringRules(Iptables& iptables, std::string rules, std::string needs)
    : iptables_(iptables), rules_(std::move(rules)), needs_(std::move(needs)) {}

SteeringRules::~SteeringRules() { remove(); }

void SteeringRules::install() {
  const std::string tool = iptables_.tool();
  CommandResult saved = iptables_.save_mangle();
  if (!saved.ok()) {
    throw SteerError(saved.describe(tool + "-save") +
                     " (is the iptables package installed and are you root?)");
  }
  table_existed_before_ = mangle_table_exists(saved.out);
  if (std::string error = remove_ours(iptables_, false); !error.empty()) {
    throw SteerError("removing stale rules of an earlier run failed: " + error);
  }
  installed_ = true;  // from here on the destructor cleans up, even if the restore half-failed
  CommandResult restored = iptables_.restore(rules_);
  if (!restored.ok()) {
    remove();
    throw SteerError(restored.describe(tool + "-restore") + " (" + needs_ + ")");
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
