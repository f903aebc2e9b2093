#pragma once
// What the relay needs to know about an HTTP/1.x message once its header is complete. Header
// values are kept for matching only; they are never journaled or logged (they hold secrets).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace adbcfault::http {

enum class BodyFraming {
  kNone,           // no body (GET without length, 204, 304, 1xx, response to HEAD)
  kContentLength,  // exactly content_length bytes follow
  kChunked,        // chunked transfer coding
  kUntilClose,     // response delimited by the connection closing
};

struct MessageHead {
  // Request line (requests only).
  std::string method;
  std::string target;
  // Status line (responses only).
  int status = 0;

  int version = 11;  // 10 or 11
  BodyFraming framing = BodyFraming::kNone;
  std::optional<uint64_t> content_length;
  bool keep_alive = true;
  bool expect_continue = false;
  bool upgrade = false;
  std::string host;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;

  // Case-insensitive header lookup; nullopt when absent.
  std::optional<std::string_view> header(std::string_view name) const;
  // The target without its query string or fragment: safe to journal (presigned URLs carry
  // their signature in the query).
  std::string path_without_query() const;
  bool is_thrift() const;  // Content-Type application/x-thrift (or vnd.apache.thrift.*)
};

}  // namespace adbcfault::http
