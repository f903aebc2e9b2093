#pragma once
// Where a value came from, so every load error can point at the exact spot in a scenario file.

#include <string>

namespace adbcfault::fault {

struct SourceLocation {
  std::string file;  // as given to the loader, never made absolute: messages echo the user
  int line = 0;      // 1-based; 0 when there is no position (e.g. the file could not be read)
  int column = 0;    // 1-based

  // "scenarios/tcp.yaml:12:5", or just the file when there is no position.
  std::string to_string() const;
  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

}  // namespace adbcfault::fault
