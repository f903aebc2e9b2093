// close: a truncated response followed by a clean FIN, as when a server or load balancer gives
// up mid-download; the client must notice the short read itself.

#include "fault/action.h"

namespace adbcfault::fault::actions {

ActionSpec close() {
  return ActionSpec{
      .type = "close",
      .layer = "tcp",
      .summary = "relay N response bytes, then close the client connection with a FIN",
      .params = {ParamSpec{.name = "after_bytes",
                           .required = true,
                           .description = "response bytes the client gets before the FIN"}},
      .fill =
          [](const ActionParams& params, ConnectionFaultPlan& plan) {
            plan.close_after_response_bytes = params.get_unsigned("after_bytes");
          },
  };
}

}  // namespace adbcfault::fault::actions
