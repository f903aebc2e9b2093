#pragma once
// Which TLS flows adbcfaultd terminates with a leaf from its own CA. Everything else on an
// intercepted port is relayed byte for byte, so traffic that does not trust our CA (apt, git,
// pip) keeps working: the policy must stay narrow.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "steer/intercept_target.h"

namespace adbcfault::tls {

struct InterceptPolicy {
  // Matched against the SNI: ASCII case-insensitive, `*` matches any run of characters, dots
  // included (so `*.s3.*.amazonaws.com` covers `b.s3.dualstack.us-west-2.amazonaws.com`).
  // Stored lower case.
  std::vector<std::string> host_globs;
  // Matched against the original destination, only for flows without a usable SNI (clients
  // given an IP address, such as the Node.js Databricks driver, send none).
  std::vector<steer::Ipv4Cidr> addresses;
  friend bool operator==(const InterceptPolicy&, const InterceptPolicy&) = default;
};

// With an SNI: intercept iff it matches a policy glob or one of `extra_globs` (the host matches
// of enabled scenarios, so enabling a scenario for a host is enough to see its traffic). Without
// one (nullopt or empty): intercept iff `dst_ip_host_order` is in a policy address or CIDR.
bool should_intercept(const InterceptPolicy& policy, const std::optional<std::string>& sni,
                      uint32_t dst_ip_host_order, const std::vector<std::string>& extra_globs);

// Databricks workspaces and the three storage providers' download hosts; no addresses, so a
// flow without SNI is never intercepted unless configured. intercept_policy.cpp says why each
// glob is there.
InterceptPolicy default_intercept_policy();

// One `tls_intercept` entry from the configuration: a host glob ("*.example.com") or an IPv4
// address or CIDR ("10.200.1.2", "10.200.0.0/16").
using InterceptEntry = std::variant<std::string, steer::Ipv4Cidr>;

// On failure returns nullopt and sets `error` to a reason that fits after "tls_intercept VALUE: ".
std::optional<InterceptEntry> parse_intercept_entry(std::string_view text, std::string& error);
// Every entry of a `tls_intercept` list; the error names the first bad entry and its position.
std::optional<InterceptPolicy> parse_intercept_policy(const std::vector<std::string>& entries,
                                                      std::string& error);

}  // namespace adbcfault::tls
