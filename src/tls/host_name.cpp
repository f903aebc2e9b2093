#include "tls/host_name.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace adbcfault::tls {
namespace {

constexpr size_t kMaxDnsName = 253;
constexpr size_t kMaxLabel = 63;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_label_char(char c) {
  // '_' is not in the hostname grammar, but real hosts carry it (legacy S3 bucket names) and
  // their clients send it in SNI; OpenSSL, curl and Node match it byte for byte.
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

std::optional<HostName> parse_ip(std::string_view name) {
  if (name.size() >= 2 && name.front() == '[' && name.back() == ']')
    name = name.substr(1, name.size() - 2);
  if (name.empty() || name.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char text[INET6_ADDRSTRLEN] = {};
  std::memcpy(text, name.data(), name.size());
  unsigned char bytes[16];
  HostName host;
  if (inet_pton(AF_INET, text, bytes) == 1) {
    host.kind = HostName::Kind::kIpv4;
    host.address.assign(bytes, bytes + 4);
  } else if (inet_pton(AF_INET6, text, bytes) == 1) {
    host.kind = HostName::Kind::kIpv6;
    host.address.assign(bytes, bytes + 16);
  } else {
    return std::nullopt;
  }
  char canonical[INET6_ADDRSTRLEN] = {};
  int family = host.kind == HostName::Kind::kIpv4 ? AF_INET : AF_INET6;
  if (inet_ntop(family, bytes, canonical, sizeof canonical) == nullptr) return std::nullopt;
  host.text = canonical;
  return host;
}

}  // namespace

std::optional<HostName> parse_host_name(std::string_view name, std::string& error) {
  if (name.empty()) {
    error = "empty host name";
    return std::nullopt;
  }
  if (auto ip = parse_ip(name)) return ip;

  if (name.back() == '.') name.remove_suffix(1);  // absolute form names the same host
  if (name.empty()) {
    error = "host name is only a dot";
    return std::nullopt;
  }
  if (name.size() > kMaxDnsName) {
    error = "host name of " + std::to_string(name.size()) + " characters (at most 253)";
    return std::nullopt;
  }
  std::string_view last_label;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = std::min(name.find('.', start), name.size());
    std::string_view label = name.substr(start, end - start);
    if (label.empty()) {
      error = "host name has an empty label";
      return std::nullopt;
    }
    if (label.size() > kMaxLabel) {
      error = "host name label of " + std::to_string(label.size()) + " characters (at most 63)";
      return std::nullopt;
    }
    if (!std::all_of(label.begin(), label.end(), is_label_char)) {
      error = "host name has a character other than letters, digits, '-', '_' and '.'";
      return std::nullopt;
    }
    if (label.front() == '-' || label.back() == '-') {
      error = "host name label starts or ends with '-'";
      return std::nullopt;
    }
    last_label = label;
    start = end + 1;
  }
  // An all-digit last label is a malformed IP address (such as 1.2.3.256), not a DNS name.
  if (std::all_of(last_label.begin(), last_label.end(), is_digit)) {
    error = "host name looks like an IP address but is not a valid one";
    return std::nullopt;
  }
  HostName host;
  host.kind = HostName::Kind::kDns;
  host.text.assign(name);
  std::transform(host.text.begin(), host.text.end(), host.text.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return host;
}

}  // namespace adbcfault::tls
