#include "steer/intercept_target.h"

#include <charconv>

namespace adbcfault::steer {
namespace {

std::optional<uint16_t> parse_port(std::string_view text, std::string& error) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    error = "port '" + std::string(text) + "' is not a number";
    return std::nullopt;
  }
  if (value < 1 || value > 65535) {
    error = "port " + std::string(text) + " is out of range 1-65535";
    return std::nullopt;
  }
  return static_cast<uint16_t>(value);
}

}  // namespace

std::optional<InterceptTarget> parse_intercept_target(std::string_view text, std::string& error) {
  constexpr std::string_view kTcp = "tcp/";
  if (!text.starts_with(kTcp)) {
    error = "must look like tcp/PORT[-PORT][@CIDR] (only tcp is supported)";
    return std::nullopt;
  }
  std::string_view rest = text.substr(kTcp.size());
  InterceptTarget target;
  if (auto at = rest.find('@'); at != std::string_view::npos) {
    auto cidr = parse_ipv4_cidr(rest.substr(at + 1), error);
    if (!cidr) return std::nullopt;
    target.destination = *cidr;
    rest = rest.substr(0, at);
  }
  std::string_view first = rest, last = rest;
  if (auto dash = rest.find('-'); dash != std::string_view::npos) {
    first = rest.substr(0, dash);
    last = rest.substr(dash + 1);
  }
  auto first_port = parse_port(first, error);
  if (!first_port) return std::nullopt;
  auto last_port = parse_port(last, error);
  if (!last_port) return std::nullopt;
  if (*last_port < *first_port) {
    error = "port range " + std::string(rest) + " ends before it starts";
    return std::nullopt;
  }
  if (*first_port <= 22 && 22 <= *last_port) {
    error = "port 22 is never intercepted (it would cut off ssh); choose a range without it";
    return std::nullopt;
  }
  target.first_port = *first_port;
  target.last_port = *last_port;
  return target;
}

std::string InterceptTarget::to_string() const {
  std::string text = "tcp/" + std::to_string(first_port);
  if (last_port != first_port) text += "-" + std::to_string(last_port);
  if (destination) text += "@" + destination->to_string();
  return text;
}

std::vector<InterceptTarget> default_intercept_targets() {
  return {InterceptTarget{443, 443, std::nullopt}, InterceptTarget{80, 80, std::nullopt}};
}

}  // namespace adbcfault::steer
