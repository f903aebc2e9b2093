// hang: accept and then say nothing, the server that never answers. Without a duration it holds
// until the scenario is disabled, so a test controls exactly when the client is released.

#include <chrono>

#include "fault/action.h"

namespace adbcfault::fault::actions {
namespace {

std::optional<ParamError> finish(ActionParams& params) {
  bool timed = params.has("duration_seconds");
  if (!params.has("then")) {
    params.set("then", std::string(timed ? "close" : "hold"));
  } else if (timed && params.get_choice("then") == "hold") {
    return ParamError{"then",
                      "'hold' lasts until the scenario is disabled, so it cannot follow "
                      "duration_seconds; use close or reset, or drop duration_seconds"};
  }
  return std::nullopt;
}

HangEnd to_end(const std::string& then) {
  if (then == "reset") return HangEnd::kReset;
  if (then == "close") return HangEnd::kClose;
  return HangEnd::kHold;
}

}  // namespace

ActionSpec hang() {
  return ActionSpec{
      .type = "hang",
      .layer = "tcp",
      .summary = "accept, never connect upstream, never answer",
      .params = {ParamSpec{.name = "duration_seconds",
                           .min = 1,
                           .max = 86400,
                           .description = "how long to hang; absent: until the scenario is "
                                          "disabled"},
                 ParamSpec{.name = "then",
                           .type = ParamType::kChoice,
                           .choices = {"close", "reset", "hold"},
                           .description = "how the hang ends: FIN, RST, or hold until disabled; "
                                          "default hold without duration_seconds, close with it"}},
      .finish = finish,
      .fill =
          [](const ActionParams& params, ConnectionFaultPlan& plan) {
            ConnectionFaultPlan::Hang hang;
            if (auto seconds = params.get_unsigned("duration_seconds")) {
              hang.duration = std::chrono::seconds(*seconds);
            }
            hang.end = to_end(params.get_choice("then"));
            plan.hang = hang;
          },
  };
}

// At the HTTP layer: the request is taken, and its answer never comes (request phase: the
// server never sees it; response phase: the server answered, the client never hears).
ActionSpec hang_http() {
  ActionSpec spec = hang();
  spec.layer = "http";
  spec.summary = "never answer this request (the connection stays open)";
  spec.fill = nullptr;
  spec.fill_http = [](const ActionParams& params, const HttpRequestFacts&, HttpFaultPlan& plan) {
    plan.kind = HttpFaultPlan::Kind::kHang;
    if (auto seconds = params.get_unsigned("duration_seconds")) {
      plan.hang_duration = std::chrono::seconds(*seconds);
    }
    plan.hang_end = to_end(params.get_choice("then"));
  };
  return spec;
}

}  // namespace adbcfault::fault::actions
