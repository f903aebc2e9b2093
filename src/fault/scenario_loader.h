#pragma once
// Loads scenario files and directories as one set: every scenario or, when anything is wrong,
// none of them and every error found.

#include <string>
#include <string_view>
#include <vector>

#include "fault/scenario.h"

namespace adbcfault::fault {

struct LoadResult {
  std::vector<Scenario> scenarios;  // in file order; empty whenever `errors` is not
  std::vector<std::string> files;   // every file read, in load order
  // "scenarios/tcp.yaml:12:5: action.after_bytes: must be a non-negative integer", ...
  std::vector<std::string> errors;

  bool ok() const { return errors.empty(); }
};

// Each argument is a file (read whatever its name) or a directory (its *.yaml and *.yml files,
// sorted by name, not recursive). A missing path is an error. Names must be unique across all.
LoadResult load_scenarios(const std::vector<std::string>& paths_or_dirs);

// The same rules for text already in memory; `file` is the name used in messages.
LoadResult load_scenarios_from_text(std::string_view yaml, const std::string& file);

}  // namespace adbcfault::fault
