// truncate: the response headers promise a body that stops short, then a FIN; the client must
// notice from Content-Length or chunk framing that it did not get everything.

#include "fault/action.h"

namespace adbcfault::fault::actions {

ActionSpec truncate() {
  return ActionSpec{
      .type = "truncate",
      .layer = "http",
      .summary = "let the response headers and N body bytes through, then close (FIN or RST)",
      .params = {ParamSpec{.name = "after_bytes",
                           .required = true,
                           .description = "body bytes (as sent on the wire) the client gets"},
                 ParamSpec{.name = "then",
                           .type = ParamType::kChoice,
                           .choices = {"close", "reset"},
                           .default_value = ParamValue{std::string("close")},
                           .description = "how the connection ends after the cut: FIN or RST"}},
      .fill_http =
          [](const ActionParams& params, const HttpRequestFacts&, HttpFaultPlan& plan) {
            plan.kind = HttpFaultPlan::Kind::kTruncate;
            plan.truncate_after = params.get_unsigned("after_bytes").value_or(0);
            plan.truncate_with_reset = params.get_choice("then") == "reset";
          },
  };
}

}  // namespace adbcfault::fault::actions
