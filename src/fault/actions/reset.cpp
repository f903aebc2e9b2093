// reset: the client sees "connection reset by peer", at once or after N bytes one way.

#include "fault/actions/direction.h"
#include "fault/actions/message_boundary.h"

namespace adbcfault::fault::actions {

ActionSpec reset() {
  return ActionSpec{
      .type = "reset",
      .layer = "tcp",
      .summary = "send the client a TCP RST, on accept or after a number of bytes",
      .params = {ParamSpec{.name = "after_bytes",
                           .description = "bytes relayed in `direction` before the RST; absent: "
                                          "reset right after accept"},
                 direction_param("which bytes `after_bytes` counts")},
      .fill =
          [](const ActionParams& params, ConnectionFaultPlan& plan) {
            auto after = params.get_unsigned("after_bytes");
            if (!after) {
              plan.reset_on_accept = true;
              return;
            }
            plan.reset_after = ConnectionFaultPlan::AfterBytes{
                to_direction(params.get_choice("direction")), *after};
          },
  };
}

// At the HTTP layer: RST at a message boundary, before the server sees the request (request
// phase) or instead of / right after the response headers (response phase).
ActionSpec reset_http() {
  return ActionSpec{
      .type = "reset",
      .layer = "http",
      .summary = "send the client a TCP RST at this request's turn",
      .params = {headers_param()},
      .fill_http =
          [](const ActionParams& params, const HttpRequestFacts&, HttpFaultPlan& plan) {
            plan.kind = HttpFaultPlan::Kind::kReset;
            plan.after_headers = after_headers(params);
          },
  };
}

}  // namespace adbcfault::fault::actions
