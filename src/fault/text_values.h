#pragma once
// Text-to-value conversions shared by scenario files and `enable --set`, so a value is accepted
// in one place exactly when it is accepted in the other. Errors are reasons that fit after
// "KEY: ".

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace adbcfault::fault {

inline constexpr uint64_t kNoUpperLimit = std::numeric_limits<uint64_t>::max();

// Decimal digits only: no sign, no spaces, no hex, no fractions.
std::optional<uint64_t> parse_unsigned(std::string_view text, uint64_t min, uint64_t max,
                                       std::string& error);

// A decimal number with 0 < p <= 1.
std::optional<double> parse_probability(std::string_view text, std::string& error);

// "1-600000", or "at least 1" when there is no upper limit; used in range messages and docs.
std::string describe_range(uint64_t min, uint64_t max);

}  // namespace adbcfault::fault
