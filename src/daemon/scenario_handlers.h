#pragma once
// The control ops that list, inspect, enable, disable and reload scenarios: a thin JSON skin
// over fault::ScenarioEngine. Result shapes are in docs/scenarios.md; the CLI prints them.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "control/dispatcher.h"
#include "fault/scenario_engine.h"

namespace adbcfault::daemon {

// Adds ops `scenarios`, `scenario_status`, `enable`, `disable` and `reload`. `engine` must
// outlive the dispatcher. `journal_cursor` gives the id the next journal entry will get, reported by
// `enable` so a test counts calls after it. `reload` reads `scenario_paths` again.
void register_scenario_handlers(control::Dispatcher& dispatcher, fault::ScenarioEngine& engine,
                                std::function<uint64_t()> journal_cursor,
                                std::vector<std::string> scenario_paths);

}  // namespace adbcfault::daemon
