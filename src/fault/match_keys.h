#pragma once
// The keys a scenario's `match` map may hold, as a table: adding a key (the HTTP and Thrift keys
// of the upper layers) is one entry, and unknown-key errors list the table.

#include <string_view>
#include <vector>

#include "fault/connection_match.h"
#include "fault/diagnostics.h"
#include "fault/raw_node.h"

namespace adbcfault::fault {

struct MatchKeySpec {
  std::string_view key;
  std::string_view syntax;   // for docs: what a value looks like
  std::string_view meaning;  // for docs: what it matches
  // Reads `value` into `match`; problems go to `diag` under `path` (e.g. "match.port").
  void (*parse)(const RawNode& value, const std::string& path, ConnectionMatch& match,
                Diagnostics& diag);
};

const std::vector<MatchKeySpec>& match_keys();

// Validates a scenario's `match` node (a map; null means "everything").
ConnectionMatch parse_match(const RawNode& node, Diagnostics& diag);

}  // namespace adbcfault::fault
