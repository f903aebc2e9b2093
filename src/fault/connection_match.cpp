#include "fault/connection_match.h"

#include <algorithm>
#include <cctype>

#include "fault/text_values.h"

namespace adbcfault::fault {
namespace {

bool any_contains(const std::vector<PortRange>& ranges, uint16_t port) {
  return std::any_of(ranges.begin(), ranges.end(),
                     [port](const PortRange& range) { return range.contains(port); });
}

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool lower_equals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace

bool ConnectionMatch::matches(const ConnectionFacts& facts) const {
  if (!server_ports.empty() && !any_contains(server_ports, facts.server_port)) return false;
  if (!client_ports.empty() && !any_contains(client_ports, facts.client_port)) return false;
  if (!destinations.empty() &&
      std::none_of(destinations.begin(), destinations.end(),
                   [&](const Ipv4Cidr& net) { return net.contains(facts.server_ip); })) {
    return false;
  }
  // Unknown host (no SNI or Host header seen yet) never matches a host pattern: a scenario meant
  // for one service must not fire on everything that has not said who it is.
  if (!host_globs.empty()) {
    if (!facts.host) return false;
    if (std::none_of(host_globs.begin(), host_globs.end(),
                     [&](const std::string& glob) { return glob_matches(glob, *facts.host); })) {
      return false;
    }
  }
  return true;
}

bool ConnectionMatch::matches_http(const HttpRequestFacts& facts) const {
  ConnectionFacts connection = facts.connection;
  if (!facts.host.empty()) {
    // Host: header may carry a port; patterns name hosts.
    std::string_view host = facts.host;
    if (auto colon = host.rfind(':'); colon != std::string_view::npos && host.find(']') == std::string_view::npos)
      host = host.substr(0, colon);
    connection.host = std::string(host);
  }
  if (!matches(connection)) return false;
  auto in = [](const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  if (!http_methods.empty() && !in(http_methods, facts.method)) return false;
  if (path_glob && !glob_matches(*path_glob, facts.path)) return false;
  if (!thrift_methods.empty()) {
    // `*` means any Thrift call; a request that is not Thrift never matches.
    if (facts.thrift_method.empty()) return false;
    if (std::none_of(thrift_methods.begin(), thrift_methods.end(),
                     [&](const std::string& m) { return glob_matches(m, facts.thrift_method); })) {
      return false;
    }
  }
  for (const auto& [name, value_glob] : header_globs) {
    bool found = false;
    if (facts.headers) {
      for (const auto& [header, value] : *facts.headers) {
        if (lower_equals(header, name) && glob_matches(value_glob, value)) {
          found = true;
          break;
        }
      }
    }
    if (!found) return false;
  }
  return true;
}

std::optional<PortRange> parse_port_range(std::string_view text, std::string& error) {
  std::string_view first = text, last = text;
  if (auto dash = text.find('-'); dash != std::string_view::npos) {
    first = text.substr(0, dash);
    last = text.substr(dash + 1);
  }
  std::string ignored;
  auto low = parse_unsigned(first, 1, 65535, ignored);
  auto high = parse_unsigned(last, 1, 65535, ignored);
  if (!low || !high) {
    error = "must be a port 1-65535 or a range like \"8000-8100\"";
    return std::nullopt;
  }
  if (*high < *low) {
    error = "range " + std::string(text) + " ends before it starts";
    return std::nullopt;
  }
  return PortRange{static_cast<uint16_t>(*low), static_cast<uint16_t>(*high)};
}

}  // namespace adbcfault::fault
