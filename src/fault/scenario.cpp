#include "fault/scenario.h"

namespace adbcfault::fault {

bool same_behaviour(const Scenario& a, const Scenario& b) {
  return a.name == b.name && a.match == b.match && a.action == b.action && a.params == b.params &&
         a.times == b.times && a.skip == b.skip && a.probability == b.probability &&
         a.duration_seconds == b.duration_seconds;
}

}  // namespace adbcfault::fault
