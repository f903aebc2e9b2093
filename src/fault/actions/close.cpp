// close: a truncated response followed by a clean FIN, as when a server or load balancer gives
// up mid-download; the client must notice the short read itself.

#include "fault/action.h"
#include "fault/actions/message_boundary.h"

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

// At the HTTP layer: a clean FIN at a message boundary instead of an answer.
ActionSpec close_http() {
  return ActionSpec{
      .type = "close",
      .layer = "http",
      .summary = "close the client connection with a FIN at this request's turn",
      .params = {headers_param()},
      .fill_http =
          [](const ActionParams& params, const HttpRequestFacts&, HttpFaultPlan& plan) {
            plan.kind = HttpFaultPlan::Kind::kClose;
            plan.after_headers = after_headers(params);
          },
  };
}

}  // namespace adbcfault::fault::actions
