#pragma once
// Encoding and decoding of control protocol lines, shared by the daemon side and the CLI.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "control/dispatcher.h"

namespace adbcfault::control {

inline constexpr int kProtocolVersion = 1;
// Longest request line the server reads, newline excluded.
inline constexpr std::size_t kMaxRequestBytes = 64 * 1024;

// One line, no newline. `id`, when given, is echoed by the daemon.
std::string encode_request(std::string_view op, const Json& args,
                           const std::optional<Json>& id = std::nullopt);
std::string encode_response(const Result& result, const std::optional<Json>& id = std::nullopt);

struct Response {
  Result result;
  std::optional<Json> id;
};

// Decodes a response line; on a malformed one returns nullopt and sets `error` to why.
std::optional<Response> decode_response(std::string_view line, std::string& error);

}  // namespace adbcfault::control
