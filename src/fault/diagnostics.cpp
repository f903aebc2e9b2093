#include "fault/diagnostics.h"

#include <algorithm>

namespace adbcfault::fault {

std::string SourceLocation::to_string() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

void Diagnostics::error(const SourceLocation& where, std::string_view key_path,
                        std::string_view reason) {
  std::string text = where.to_string() + ": ";
  if (!key_path.empty()) {
    text += key_path;
    text += ": ";
  }
  text += reason;
  entries_.push_back(Entry{where.line, where.column, std::move(text)});
}

void Diagnostics::sort_by_position() {
  std::stable_sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
}

void Diagnostics::append(Diagnostics&& other) {
  for (auto& entry : other.entries_) entries_.push_back(std::move(entry));
  other.entries_.clear();
}

std::vector<std::string> Diagnostics::take() {
  std::vector<std::string> texts;
  for (auto& entry : entries_) texts.push_back(std::move(entry.text));
  entries_.clear();
  return texts;
}

}  // namespace adbcfault::fault
