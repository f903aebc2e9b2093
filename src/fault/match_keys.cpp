#include "fault/match_keys.h"

#include <algorithm>
#include <cctype>

namespace adbcfault::fault {
namespace {

// Calls `one` for a scalar, or for each scalar of a list; anything else is `reason`.
template <typename One>
void each_scalar(const RawNode& value, const std::string& path, bool list_allowed,
                 std::string_view reason, Diagnostics& diag, One one) {
  if (value.is_scalar()) {
    one(value, path);
    return;
  }
  if (list_allowed && value.is_sequence() && !value.items.empty()) {
    for (size_t i = 0; i < value.items.size(); ++i) {
      std::string item_path = path + "[" + std::to_string(i) + "]";
      if (value.items[i].is_scalar()) {
        one(value.items[i], item_path);
      } else {
        diag.error(value.items[i].where, item_path, reason);
      }
    }
    return;
  }
  diag.error(value.where, path, reason);
}

void parse_ports(const RawNode& value, const std::string& path, std::vector<PortRange>& out,
                 bool list_allowed, Diagnostics& diag) {
  std::string_view shape = list_allowed
                               ? "must be a port, a range like \"8000-8100\", or a list of them"
                               : "must be a port or a range like \"8000-8100\"";
  each_scalar(value, path, list_allowed, shape, diag,
              [&](const RawNode& item, const std::string& item_path) {
                std::string error;
                if (auto range = parse_port_range(item.scalar, error)) {
                  out.push_back(*range);
                } else {
                  diag.error(item.where, item_path, error);
                }
              });
}

void parse_port(const RawNode& value, const std::string& path, ConnectionMatch& match,
                Diagnostics& diag) {
  parse_ports(value, path, match.server_ports, true, diag);
}

void parse_client_port(const RawNode& value, const std::string& path, ConnectionMatch& match,
                       Diagnostics& diag) {
  parse_ports(value, path, match.client_ports, false, diag);
}

void parse_dst(const RawNode& value, const std::string& path, ConnectionMatch& match,
               Diagnostics& diag) {
  each_scalar(value, path, true, "must be an IPv4 CIDR like \"10.0.0.0/8\" or a list of them", diag,
              [&](const RawNode& item, const std::string& item_path) {
                std::string error;
                if (auto network = parse_ipv4_network(item.scalar, error)) {
                  match.destinations.push_back(*network);
                } else {
                  diag.error(item.where, item_path, error);
                }
              });
}

void parse_host(const RawNode& value, const std::string& path, ConnectionMatch& match,
                Diagnostics& diag) {
  constexpr std::string_view kShape = "must be a host name pattern like \"*.example.com\"";
  bool ok = value.is_scalar() && !value.scalar.empty() &&
            std::none_of(value.scalar.begin(), value.scalar.end(),
                         [](unsigned char c) { return std::isspace(c) || std::iscntrl(c); });
  if (!ok) {
    diag.error(value.where, path, kShape);
    return;
  }
  std::string glob = value.scalar;
  std::transform(glob.begin(), glob.end(), glob.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  match.host_glob = std::move(glob);
}

std::string key_list() {
  std::string text;
  for (const auto& spec : match_keys()) {
    if (!text.empty()) text += ", ";
    text += spec.key;
  }
  return text;
}

}  // namespace

const std::vector<MatchKeySpec>& match_keys() {
  static const std::vector<MatchKeySpec> table = {
      {"port", "443, [80, 443] or \"8000-8100\"", "the original destination port", parse_port},
      {"dst", "\"10.0.0.0/8\" or a list", "the original destination address", parse_dst},
      {"client_port", "51000 or \"51000-52000\"", "the client's source port", parse_client_port},
      {"host", "\"*.cloud.databricks.com\"",
       "SNI or HTTP Host, `*` wildcard, case-insensitive; never matches while unknown", parse_host},
  };
  return table;
}

ConnectionMatch parse_match(const RawNode& node, Diagnostics& diag) {
  ConnectionMatch match;
  if (node.kind == RawNode::Kind::kNull) return match;
  if (!node.is_map()) {
    diag.error(node.where, "match", "must be a map of match keys (" + key_list() + ")");
    return match;
  }
  for (const auto& entry : node.entries) {
    auto spec = std::find_if(match_keys().begin(), match_keys().end(),
                             [&](const MatchKeySpec& s) { return s.key == entry.key; });
    if (spec == match_keys().end()) {
      diag.error(entry.key_where, "match." + entry.key,
                 "unknown match key (allowed: " + key_list() + ")");
      continue;
    }
    spec->parse(entry.value, "match." + entry.key, match, diag);
  }
  return match;
}

}  // namespace adbcfault::fault
