#pragma once
// What traffic adbcfaultd steers: `tcp/PORT[-PORT][@CIDR]`, as given to --intercept.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/ipv4_cidr.h"

namespace adbcfault::steer {

using adbcfault::Ipv4Cidr;
using adbcfault::parse_ipv4_cidr;

struct InterceptTarget {
  uint16_t first_port = 0;
  uint16_t last_port = 0;  // == first_port for a single port
  std::optional<Ipv4Cidr> destination;

  std::string to_string() const;  // canonical spelling, parseable again
  friend bool operator==(const InterceptTarget&, const InterceptTarget&) = default;
};

// Parses "tcp/443", "tcp/8000-8100", "tcp/443@10.0.0.0/8". On failure returns nullopt and sets
// `error` to a reason that fits after "--intercept VALUE: ".
std::optional<InterceptTarget> parse_intercept_target(std::string_view text, std::string& error);

std::vector<InterceptTarget> default_intercept_targets();  // tcp/443 and tcp/80

}  // namespace adbcfault::steer
