#include "fault/text_values.h"

#include <charconv>

namespace adbcfault::fault {

std::string describe_range(uint64_t min, uint64_t max) {
  if (max == kNoUpperLimit) return "at least " + std::to_string(min);
  return std::to_string(min) + "-" + std::to_string(max);
}

std::optional<uint64_t> parse_unsigned(std::string_view text, uint64_t min, uint64_t max,
                                       std::string& error) {
  bool digits_only = !text.empty();
  for (char c : text) digits_only = digits_only && c >= '0' && c <= '9';
  if (!digits_only) {
    error = "must be a non-negative integer";
    return std::nullopt;
  }
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    error = "must be " + describe_range(min, max);
    return std::nullopt;
  }
  return value;
}

std::optional<double> parse_probability(std::string_view text, std::string& error) {
  double value = 0;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
  // Written so that NaN fails too.
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      !(value > 0.0 && value <= 1.0)) {
    error = "must be a number greater than 0 and at most 1";
    return std::nullopt;
  }
  return value;
}

}  // namespace adbcfault::fault
