// refuse_upstream: the server side goes away before the request is handled, so the client knows
// the server never saw its request (safe to retry, unlike a mid-response reset).

#include "fault/action.h"

namespace adbcfault::fault::actions {

ActionSpec refuse_upstream() {
  return ActionSpec{
      .type = "refuse_upstream",
      .layer = "tcp",
      .summary = "never connect upstream; reset the client when its first request bytes arrive",
      .fill = [](const ActionParams&, ConnectionFaultPlan& plan) { plan.refuse_upstream = true; },
  };
}

}  // namespace adbcfault::fault::actions
