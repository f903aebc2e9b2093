// throttle: a slow link, for download progress and read-timeout logic.

#include "fault/actions/direction.h"

namespace adbcfault::fault::actions {

ActionSpec throttle() {
  return ActionSpec{
      .type = "throttle",
      .layer = "tcp",
      .summary = "limit the connection to a number of bytes per second one way",
      .params = {ParamSpec{.name = "bytes_per_second",
                           .min = 1,
                           .required = true,
                           .description = "the rate limit"},
                 direction_param("which way is slowed")},
      .fill =
          [](const ActionParams& params, ConnectionFaultPlan& plan) {
            plan.throttle =
                ConnectionFaultPlan::Throttle{to_direction(params.get_choice("direction")),
                                              params.get_unsigned("bytes_per_second").value_or(1)};
          },
  };
}

}  // namespace adbcfault::fault::actions
