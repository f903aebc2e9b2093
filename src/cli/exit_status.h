#pragma once
// The CLI's exit statuses; CI scripts branch on them.

namespace adbcfault::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // the daemon answered `failed`: an assertion or wait
inline constexpr int kExitError = 2;   // usage errors and every other daemon or socket error

}  // namespace adbcfault::cli
