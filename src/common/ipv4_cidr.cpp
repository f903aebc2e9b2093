#include "common/ipv4_cidr.h"

#include <arpa/inet.h>

#include <charconv>

namespace adbcfault {
namespace {

uint32_t mask_for(uint8_t prefix_len) {
  return prefix_len == 0 ? 0 : ~uint32_t{0} << (32 - prefix_len);
}

}  // namespace

bool Ipv4Cidr::contains(uint32_t address_host_order) const {
  return (address_host_order & mask_for(prefix_len)) == network;
}

std::string Ipv4Cidr::to_string() const {
  in_addr addr{htonl(network)};
  char buf[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &addr, buf, sizeof buf);
  return std::string(buf) + "/" + std::to_string(prefix_len);
}

std::optional<Ipv4Cidr> parse_ipv4_cidr(std::string_view text, std::string& error) {
  std::string_view address_part = text;
  uint8_t prefix_len = 32;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    address_part = text.substr(0, slash);
    std::string_view len_text = text.substr(slash + 1);
    unsigned len = 0;
    auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
    if (len_text.empty() || ec != std::errc() || end != len_text.data() + len_text.size() ||
        len > 32) {
      error = "prefix length '" + std::string(len_text) + "' must be 0-32";
      return std::nullopt;
    }
    prefix_len = static_cast<uint8_t>(len);
  }
  in_addr addr{};
  if (inet_pton(AF_INET, std::string(address_part).c_str(), &addr) != 1) {
    error = "'" + std::string(address_part) + "' is not an IPv4 address";
    return std::nullopt;
  }
  return Ipv4Cidr{ntohl(addr.s_addr) & mask_for(prefix_len), prefix_len};
}

}  // namespace adbcfault
