#pragma once
// The names a leaf certificate may be minted for. Names come from the network (SNI) or from the
// original destination address, so they are checked before they reach a certificate: a name
// that is neither a DNS name nor an IP literal is refused rather than turned into a SAN that
// clients would reject or misread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace adbcfault::tls {

struct HostName {
  enum class Kind { kDns, kIpv4, kIpv6 };
  Kind kind = Kind::kDns;
  // Canonical text: DNS names lower case without a trailing dot, IP addresses as inet_ntop
  // prints them. Equal names have equal text, so it is the leaf cache key.
  std::string text;
  std::vector<uint8_t> address;  // network-order bytes for kIpv4 (4) and kIpv6 (16)
};

// Accepts a DNS name (at most 253 characters, labels of 1 to 63 letters, digits, '-' or '_',
// no label starting or ending with '-', a last label that is not all digits, one optional
// trailing dot) or an IPv4 / IPv6 literal (IPv6 optionally in brackets, no zone id).
// Otherwise returns nullopt and says why in `error`, without echoing the (untrusted) name.
std::optional<HostName> parse_host_name(std::string_view name, std::string& error);

}  // namespace adbcfault::tls
