#pragma once
// The checks users of the old proxy relied on, as pure functions over journal entries, so they
// are unit-tested without a daemon. Each returns nullopt when the check holds, else the
// diagnostics a driver developer needs to see why it did not.

#include <optional>
#include <string>
#include <vector>

#include "journal/call_entry.h"

namespace adbcfault::daemon {

std::string method_of(const journal::CallEntry& entry);  // Thrift method, else HTTP method

std::optional<std::string> check_exact_sequence(const std::vector<journal::CallEntry>& calls,
                                                const std::vector<std::string>& expected);
std::optional<std::string> check_contains_sequence(const std::vector<journal::CallEntry>& calls,
                                                   const std::vector<std::string>& expected);
std::optional<std::string> check_count(const std::vector<journal::CallEntry>& calls,
                                       const std::string& method, size_t expected);
std::optional<std::string> check_exists(const std::vector<journal::CallEntry>& calls,
                                        const std::string& method);
// The last `last` calls of `method` (already filtered) have non-empty, identical operation GUIDs.
std::optional<std::string> check_same_operation(const std::vector<journal::CallEntry>& calls,
                                                const std::string& method, size_t last);

}  // namespace adbcfault::daemon
