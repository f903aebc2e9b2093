#pragma once
// Levelled, one line per event, key=value. Data-path callers put flow=<id> first; debug lines
// are cheap to skip (the level check happens before any formatting).

#include <sstream>
#include <string>
#include <string_view>

namespace adbcfault::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

void set_level(Level level);
bool enabled(Level level);
bool parse_level(std::string_view text, Level& out);
void write(Level level, std::string_view line);

}  // namespace adbcfault::log

#define ADBCF_LOG(level, expr)                                             \
  do {                                                                     \
    if (::adbcfault::log::enabled(level)) {                                \
      std::ostringstream adbcf_log_line;                                   \
      adbcf_log_line << expr;                                              \
      ::adbcfault::log::write(level, adbcf_log_line.str());                \
    }                                                                      \
  } while (0)
#define LOG_DEBUG(expr) ADBCF_LOG(::adbcfault::log::Level::kDebug, expr)
#define LOG_INFO(expr) ADBCF_LOG(::adbcfault::log::Level::kInfo, expr)
#define LOG_WARN(expr) ADBCF_LOG(::adbcfault::log::Level::kWarn, expr)
#define LOG_ERROR(expr) ADBCF_LOG(::adbcfault::log::Level::kError, expr)
