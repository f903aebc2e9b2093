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
                if (auto network = adbcfault::parse_ipv4_cidr(item.scalar, error)) {
                  match.destinations.push_back(*network);
                } else {
                  diag.error(item.where, item_path,
                             "must be an IPv4 address or CIDR like \"10.0.0.0/8\"");
                }
              });
}

void parse_host(const RawNode& value, const std::string& path, ConnectionMatch& match,
                Diagnostics& diag) {
  constexpr std::string_view kShape =
      "must be a host name pattern like \"*.example.com\", or a list of them";
  each_scalar(value, path, true, kShape, diag, [&](const RawNode& item, const std::string& item_path) {
    bool ok = !item.scalar.empty() &&
              std::none_of(item.scalar.begin(), item.scalar.end(),
                           [](unsigned char c) { return std::isspace(c) || std::iscntrl(c); });
    if (!ok) {
      diag.error(item.where, item_path, std::string(kShape));
      return;
    }
    std::string glob = item.scalar;
    std::transform(glob.begin(), glob.end(), glob.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    match.host_globs.push_back(std::move(glob));
  });
}

// A word or a list of words, each checked by `valid`, stored through `store`.
template <typename Valid, typename Store>
void parse_words(const RawNode& value, const std::string& path, std::string_view shape,
                 Diagnostics& diag, Valid valid, Store store) {
  each_scalar(value, path, true, shape, diag, [&](const RawNode& item, const std::string& item_path) {
    if (item.scalar.empty() || !valid(item.scalar)) {
      diag.error(item.where, item_path, std::string(shape));
      return;
    }
    store(item.scalar);
  });
}

bool is_token(const std::string& word) {
  return std::all_of(word.begin(), word.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-';
  });
}

void parse_http_method(const RawNode& value, const std::string& path, ConnectionMatch& match,
                       Diagnostics& diag) {
  parse_words(value, path, "must be an HTTP method like POST, or a list of them", diag, is_token,
              [&](std::string word) {
                std::transform(word.begin(), word.end(), word.begin(),
                               [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
                match.http_methods.push_back(std::move(word));
              });
}

void parse_thrift_method(const RawNode& value, const std::string& path, ConnectionMatch& match,
                         Diagnostics& diag) {
  auto method_or_pattern = [](const std::string& word) {
    return std::all_of(word.begin(), word.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '*'; });
  };
  parse_words(value, path,
              "must be a Thrift method name like OpenSession (or \"*\" for any), or a list of them",
              diag, method_or_pattern,
              [&](std::string word) { match.thrift_methods.push_back(std::move(word)); });
}

void parse_path(const RawNode& value, const std::string& path, ConnectionMatch& match,
                Diagnostics& diag) {
  if (!value.is_scalar() || value.scalar.empty() || value.scalar[0] != '/') {
    diag.error(value.where, path, "must be a path pattern starting with /, like \"/sql/1.0/*\"");
    return;
  }
  match.path_glob = value.scalar;
}

void parse_header(const RawNode& value, const std::string& path, ConnectionMatch& match,
                  Diagnostics& diag) {
  constexpr std::string_view kShape = "must be \"Name: value-pattern\", or a list of them";
  each_scalar(value, path, true, kShape, diag, [&](const RawNode& item, const std::string& item_path) {
    auto colon = item.scalar.find(':');
    std::string name = item.scalar.substr(0, colon);
    if (colon == std::string::npos || name.empty() || !is_token(name)) {
      diag.error(item.where, item_path, std::string(kShape));
      return;
    }
    std::string glob = item.scalar.substr(colon + 1);
    glob.erase(0, glob.find_first_not_of(' '));
    match.header_globs.emplace_back(std::move(name), std::move(glob));
  });
}

void parse_phase(const RawNode& value, const std::string& path, ConnectionMatch& match,
                 Diagnostics& diag) {
  if (value.is_scalar() && value.scalar == "request") {
    match.phase = Phase::kRequest;
  } else if (value.is_scalar() && value.scalar == "response") {
    match.phase = Phase::kResponse;
  } else {
    diag.error(value.where, path,
               "must be request (the server never sees the request) or response (the server "
               "handled it; the client gets the fault instead)");
  }
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
      {"host", "\"*.cloud.databricks.com\" or a list",
       "SNI or HTTP Host, `*` wildcard, case-insensitive; never matches while unknown", parse_host},
      {"http_method", "POST or [GET, HEAD]", "the request method (makes the scenario per request)",
       parse_http_method},
      {"path", "\"/sql/1.0/*\"", "the request path without its query string, `*` wildcard",
       parse_path},
      {"header", "\"X-Request-Kind: batch*\"", "a request header (name case-insensitive, value "
       "pattern); all listed must be present", parse_header},
      {"thrift_method", "OpenSession, [FetchResults, GetOperationStatus] or \"*\"",
       "the Thrift method of the request body (`*`: any Thrift call)", parse_thrift_method},
      {"phase", "request or response",
       "when an HTTP fault hits: before the server sees the request, or on its answer", parse_phase},
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
