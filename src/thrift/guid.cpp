#include "thrift/guid.h"

namespace adbcfault::thrift {

namespace {
constexpr char kHexDigits[] = "0123456789abcdef";
constexpr std::size_t kGuidSize = 16;
}  // namespace

std::string to_hex(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t byte : bytes) {
    out.push_back(kHexDigits[byte >> 4]);
    out.push_back(kHexDigits[byte & 0x0f]);
  }
  return out;
}

RenderedGuid render_guid(std::span<const uint8_t> bytes) {
  RenderedGuid guid;
  guid.size = bytes.size();
  guid.well_formed = bytes.size() == kGuidSize;
  if (!guid.well_formed) {
    guid.text = to_hex(bytes);
    return guid;
  }
  for (std::size_t i = 0; i < kGuidSize; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) guid.text.push_back('-');
    guid.text.push_back(kHexDigits[bytes[i] >> 4]);
    guid.text.push_back(kHexDigits[bytes[i] & 0x0f]);
  }
  return guid;
}

}  // namespace adbcfault::thrift
