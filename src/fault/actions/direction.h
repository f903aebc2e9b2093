#pragma once
// The `direction` parameter shared by actions that count or pace bytes one way. Users think in
// request/response, the relay in client-to-server/server-to-client.

#include <string>

#include "fault/action.h"

namespace adbcfault::fault::actions {

inline ParamSpec direction_param(std::string description) {
  return ParamSpec{.name = "direction",
                   .type = ParamType::kChoice,
                   .choices = {"response", "request"},
                   .default_value = ParamValue{std::string("response")},
                   .description = std::move(description)};
}

inline Direction to_direction(const std::string& choice) {
  return choice == "request" ? Direction::kClientToServer : Direction::kServerToClient;
}

}  // namespace adbcfault::fault::actions
