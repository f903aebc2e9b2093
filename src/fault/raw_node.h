#pragma once
// A scenario file as a plain tree that remembers where each node was written. Validation works
// on this tree, never on yaml-cpp types, so the rules can be read (and tested) apart from the
// YAML library, and every error can name file, line and column.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fault/diagnostics.h"
#include "fault/source_location.h"

namespace adbcfault::fault {

struct RawEntry;

struct RawNode {
  enum class Kind { kNull, kScalar, kSequence, kMap };

  Kind kind = Kind::kNull;
  SourceLocation where;
  std::string scalar;             // kScalar: the text as written, quotes removed
  std::vector<RawNode> items;     // kSequence
  std::vector<RawEntry> entries;  // kMap, in file order; keys are unique

  bool is_scalar() const { return kind == Kind::kScalar; }
  bool is_sequence() const { return kind == Kind::kSequence; }
  bool is_map() const { return kind == Kind::kMap; }
  const RawEntry* find(std::string_view key) const;  // kMap only; nullptr when absent
};

struct RawEntry {
  std::string key;
  SourceLocation key_where;
  RawNode value;
};

// Parses YAML text holding at most one document. Syntax errors (with yaml-cpp's position),
// several documents, non-scalar keys and repeated keys go to `diag` and give nullopt. An empty
// file gives a kNull node at 1:1.
std::optional<RawNode> parse_yaml(std::string_view text, const std::string& file,
                                  Diagnostics& diag);

}  // namespace adbcfault::fault
