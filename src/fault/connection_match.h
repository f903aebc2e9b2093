#pragma once
// Which connections a scenario applies to, decided from what the relay knows at accept. Each
// key that is set must match (AND); within a key's list, any entry may match (OR).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/glob.h"
#include "common/ipv4_cidr.h"
#include "fault/connection_facts.h"
#include "fault/http_fault_plan.h"
#include "fault/http_request_facts.h"

namespace adbcfault::fault {

struct PortRange {
  uint16_t first = 0;
  uint16_t last = 0;  // == first for one port
  bool contains(uint16_t port) const { return first <= port && port <= last; }
  friend bool operator==(const PortRange&, const PortRange&) = default;
};

struct ConnectionMatch {
  std::vector<PortRange> server_ports;    // `port`
  std::vector<Ipv4Cidr> destinations;     // `dst`
  std::vector<PortRange> client_ports;    // `client_port`
  std::vector<std::string> host_globs;    // `host`, lower case; any may match

  // HTTP layer: any of these makes the scenario act per request instead of per connection.
  std::vector<std::string> http_methods;    // `http_method`, upper case
  std::optional<std::string> path_glob;     // `path`, matched without the query string
  std::vector<std::pair<std::string, std::string>> header_globs;  // `header`: name, value glob
  std::vector<std::string> thrift_methods;  // `thrift_method`
  std::optional<Phase> phase;               // `phase`

  bool is_http() const {
    return !http_methods.empty() || path_glob || !header_globs.empty() || !thrift_methods.empty() ||
           phase.has_value();
  }
  bool matches(const ConnectionFacts& facts) const;
  // Connection keys against the request's connection, `host` against the Host header, and the
  // HTTP keys against the request.
  bool matches_http(const HttpRequestFacts& facts) const;
  friend bool operator==(const ConnectionMatch&, const ConnectionMatch&) = default;
};

// "443" or "8000-8100"; ports are 1-65535. Errors fit after "KEY: ".
std::optional<PortRange> parse_port_range(std::string_view text, std::string& error);
using adbcfault::glob_matches;  // common/glob.h
using adbcfault::Ipv4Cidr;      // common/ipv4_cidr.h

}  // namespace adbcfault::fault
