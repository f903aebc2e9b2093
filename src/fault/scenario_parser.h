#pragma once
// Raw tree of one scenario file -> validated Scenarios. Reports every problem, not the first.

#include <vector>

#include "fault/diagnostics.h"
#include "fault/raw_node.h"
#include "fault/scenario.h"

namespace adbcfault::fault {

// Scenarios that validated; when `diag` gained errors the caller must discard the result (a set
// is applied whole or not at all). Names are not checked for uniqueness here (see the loader).
std::vector<Scenario> parse_scenario_file(const RawNode& root, Diagnostics& diag);

}  // namespace adbcfault::fault
