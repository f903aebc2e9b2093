#pragma once
// One validated scenario: what to do (action + parameters), to which connections (match), and how
// often (times, skip, probability, duration window). Built only by the loader and by
// apply_overrides, so every Scenario in the program is valid.

#include <cstdint>
#include <optional>
#include <string>

#include "fault/action.h"
#include "fault/connection_match.h"
#include "fault/source_location.h"

namespace adbcfault::fault {

struct Scenario {
  std::string name;
  std::string description;
  std::optional<std::string> reference;  // ticket the scenario reproduces
  SourceLocation where;                  // where its entry starts; `where.file` is its file

  ConnectionMatch match;
  const ActionSpec* action = nullptr;  // entry of action_registry(); never null once loaded
  ActionParams params;                 // complete: defaults applied
  ActionParams written_params;         // as written (file plus --set), before defaults; --set
                                       // starts from these so derived defaults are recomputed

  uint64_t times = 1;  // fires this many times per enable, then disables itself; 0: no limit
  uint64_t skip = 0;   // matches let through (per enable) before it may fire
  double probability = 1.0;
  std::optional<uint64_t> duration_seconds;  // window: disabled this long after enable
};

// True when the two would treat traffic identically: match, action, parameters and counting
// fields. Description, reference and position do not count, so editing prose or moving a
// scenario in its file keeps it enabled across a reload.
bool same_behaviour(const Scenario& a, const Scenario& b);

}  // namespace adbcfault::fault
