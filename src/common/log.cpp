#include "common/log.h"

#include <unistd.h>

#include <atomic>

namespace adbcfault::log {
namespace {
std::atomic<Level> current{Level::kInfo};
constexpr std::string_view kNames[] = {"debug", "info", "warn", "error"};
}  // namespace

void set_level(Level level) { current = level; }
bool enabled(Level level) { return level >= current.load(std::memory_order_relaxed); }

bool parse_level(std::string_view text, Level& out) {
  for (int i = 0; i < 4; ++i) {
    if (kNames[i] == text) {
      out = static_cast<Level>(i);
      return true;
    }
  }
  return false;
}

void write(Level level, std::string_view line) {
  // One write(2) per line so concurrent writers never interleave inside a line.
  std::string text = "level=";
  text += kNames[static_cast<int>(level)];
  text += ' ';
  text += line;
  text += '\n';
  ssize_t ignored = ::write(STDERR_FILENO, text.data(), text.size());
  (void)ignored;
}

}  // namespace adbcfault::log
