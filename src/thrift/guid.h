#pragma once
// Session and operation GUIDs as the journal shows them. A handle's guid is 16 raw bytes; we
// render exactly the bytes received: never trimmed, padded or cut, so two calls compare equal
// only if the driver really sent the same handle.

#include <cstdint>
#include <span>
#include <string>

namespace adbcfault::thrift {

struct RenderedGuid {
  std::string text;          // 8-4-4-4-12 lowercase hex, or plain hex when not 16 bytes
  bool well_formed = false;  // exactly 16 bytes
  std::size_t size = 0;      // bytes received

  bool operator==(const RenderedGuid&) const = default;
};

RenderedGuid render_guid(std::span<const uint8_t> bytes);

// Lowercase hex of every byte.
std::string to_hex(std::span<const uint8_t> bytes);

}  // namespace adbcfault::thrift
