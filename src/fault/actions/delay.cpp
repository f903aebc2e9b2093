// delay: a slow connect or a slow first byte, for connect and read timeouts.

#include <chrono>

#include "fault/action.h"

namespace adbcfault::fault::actions {

ActionSpec delay() {
  return ActionSpec{
      .type = "delay",
      .layer = "tcp",
      .summary = "wait before connecting upstream or before the first response byte",
      .params = {ParamSpec{.name = "milliseconds",
                           .min = 1,
                           .max = 600000,  // ten minutes: longer is a hang, use `hang`
                           .required = true,
                           .description = "how long to wait"},
                 ParamSpec{.name = "before",
                           .type = ParamType::kChoice,
                           .choices = {"connect", "first_response_byte"},
                           .default_value = ParamValue{std::string("connect")},
                           .description = "what waits: the upstream connect, or the first byte "
                                          "of the response"}},
      .fill =
          [](const ActionParams& params, ConnectionFaultPlan& plan) {
            std::chrono::milliseconds wait(params.get_unsigned("milliseconds").value_or(0));
            if (params.get_choice("before") == "first_response_byte") {
              plan.first_response_byte_delay = wait;
            } else {
              plan.connect_delay = wait;
            }
          },
  };
}

// At the HTTP layer the phase says what waits: the request on its way to the server, or the
// response on its way back.
ActionSpec delay_http() {
  return ActionSpec{
      .type = "delay",
      .layer = "http",
      .summary = "hold the request (request phase) or the response (response phase)",
      .params = {ParamSpec{.name = "milliseconds",
                           .min = 1,
                           .max = 600000,
                           .required = true,
                           .description = "how long to hold it"}},
      .fill_http =
          [](const ActionParams& params, const HttpRequestFacts&, HttpFaultPlan& plan) {
            plan.kind = HttpFaultPlan::Kind::kDelay;
            plan.delay = std::chrono::milliseconds(params.get_unsigned("milliseconds").value_or(0));
          },
  };
}

}  // namespace adbcfault::fault::actions
