// observe: a scenario that only names something to look at in the journal. Enabling it is
// accepted and changes nothing: it never fires. It exists so test suites written for the old
// proxy, which enabled such scenarios before asserting on the calls, run unchanged.

#include "fault/action.h"

namespace adbcfault::fault::actions {

ActionSpec observe() {
  return ActionSpec{
      .type = "observe",
      .layer = "http",
      .summary = "never fires; the journal records the matching calls as it records every call",
      .params = {},
      .fill_http = [](const ActionParams&, const HttpRequestFacts&, HttpFaultPlan& plan) { plan.kind = HttpFaultPlan::Kind::kNone; },
  };
}

}  // namespace adbcfault::fault::actions
