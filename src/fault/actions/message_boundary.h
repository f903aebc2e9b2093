#pragma once
// The `headers` parameter of actions that end a connection at an HTTP message boundary (reset,
// close): before the response headers reach the client, or right after them.

#include <string>

#include "fault/action.h"

namespace adbcfault::fault::actions {

inline ParamSpec headers_param() {
  return ParamSpec{.name = "headers",
                   .type = ParamType::kChoice,
                   .choices = {"before", "after"},
                   .default_value = ParamValue{std::string("before")},
                   .description = "response phase: before or after the response headers reach "
                                  "the client"};
}

inline bool after_headers(const ActionParams& params) {
  return params.get_choice("headers") == "after";
}

}  // namespace adbcfault::fault::actions
