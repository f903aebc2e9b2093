#pragma once
// An IPv4 network such as 10.200.0.0/16. One type for every place that takes one: --intercept
// targets, TLS interception addresses and the `dst` key of scenarios, so they parse and match
// alike.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace adbcfault {

struct Ipv4Cidr {
  uint32_t network = 0;  // host byte order, already masked
  uint8_t prefix_len = 0;

  bool contains(uint32_t address_host_order) const;
  std::string to_string() const;  // "10.200.0.0/16"
  friend bool operator==(const Ipv4Cidr&, const Ipv4Cidr&) = default;
};

// "10.0.0.0/8", or a bare address (/32); host bits are masked off. On failure returns nullopt
// and sets `error` to what is wrong ("prefix length '33' must be 0-32").
std::optional<Ipv4Cidr> parse_ipv4_cidr(std::string_view text, std::string& error);

}  // namespace adbcfault
