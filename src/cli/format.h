#pragma once
// Text building blocks for human-readable results. They accept any JSON, so a daemon that
// adds or changes a field never makes the CLI fail to print.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/command.h"

namespace adbcfault::cli {

// Strings bare, null "-", booleans yes/no, arrays "a, b", objects "k=v, k=v", else JSON.
std::string value_text(const Json& value);
// "k=v, k=v" for an object, "none" when it is empty or not an object.
std::string key_values(const Json& object);
// "12.5s", "5m 07s", "2h 03m 04s", "1d 00h 00m 09s".
std::string format_duration(double seconds);
// "30 s", "0.25 s": a timeout as the user wrote it.
std::string format_seconds(double seconds);

using Field = std::pair<std::string, std::string>;
// Label column padded so values line up; one line per field.
std::string format_fields(const std::vector<Field>& fields, std::string_view indent = "");
// Columns padded to their widest cell; the last column is not padded.
std::string format_table(const std::vector<std::string>& header,
                         const std::vector<std::vector<std::string>>& rows,
                         std::string_view indent = "");

// value_text of `object[key]`, or `fallback` when absent.
std::string field_text(const Json& object, std::string_view key, std::string_view fallback = "-");

// Fields for every key of `object` not in `known`, so new daemon output is never hidden.
std::vector<Field> extra_fields(const Json& object, const std::vector<std::string_view>& known);

}  // namespace adbcfault::cli
