#pragma once
// Host, path and method patterns: `*` matches any run of characters (dots and slashes
// included), ASCII case-insensitive. Shared by the scenario matcher and the TLS policy, so a
// pattern means the same thing in both.

#include <string_view>

namespace adbcfault {

bool glob_matches(std::string_view glob, std::string_view text);

}  // namespace adbcfault
