#pragma once
// Collects every load error instead of stopping at the first, so one run of `adbcfault reload`
// shows the author all that is wrong with their files.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "fault/source_location.h"

namespace adbcfault::fault {

class Diagnostics {
 public:
  // Records "FILE:LINE:COL: KEY_PATH: REASON" (KEY_PATH and its colon omitted when empty).
  void error(const SourceLocation& where, std::string_view key_path, std::string_view reason);

  size_t count() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  // Validation visits fields in its own order; authors read files top to bottom. Call once per
  // file (positions of different files do not compare).
  void sort_by_position();
  void append(Diagnostics&& other);
  std::vector<std::string> take();

 private:
  struct Entry {
    int line = 0;
    int column = 0;
    std::string text;
  };
  std::vector<Entry> entries_;
};

}  // namespace adbcfault::fault
