#include "thrift/text.h"

#include <cstdint>
#include <span>

#include "thrift/guid.h"

namespace adbcfault::thrift {

namespace {

std::span<const uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

std::string cut_marker(std::size_t total) {
  return "...<cut, " + std::to_string(total) + " bytes total>";
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  const auto bytes = as_bytes(text);
  std::size_t i = 0;
  while (i < bytes.size()) {
    const uint8_t lead = bytes[i];
    std::size_t extra = 0;
    uint32_t code = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead & 0xe0) == 0xc0) {
      extra = 1;
      code = lead & 0x1f;
    } else if ((lead & 0xf0) == 0xe0) {
      extra = 2;
      code = lead & 0x0f;
    } else if ((lead & 0xf8) == 0xf0) {
      extra = 3;
      code = lead & 0x07;
    } else {
      return false;
    }
    if (bytes.size() - i <= extra) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      if ((bytes[i + k] & 0xc0) != 0x80) return false;
      code = (code << 6) | (bytes[i + k] & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid UTF-8 too.
    static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (code < kMinForLength[extra] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

std::string cut_text(std::string_view text, std::size_t max_chars) {
  if (text.size() <= max_chars) return std::string(text);
  std::size_t end = max_chars;
  // Back up to the start of a code point so the cut text stays valid UTF-8.
  while (end > 0 && (static_cast<uint8_t>(text[end]) & 0xc0) == 0x80) --end;
  return std::string(text.substr(0, end)) + cut_marker(text.size());
}

std::string journal_text(std::string_view bytes) {
  if (is_valid_utf8(bytes)) return cut_text(bytes);
  return "<non-utf8 hex:" + journal_hex(bytes) + ">";
}

std::string journal_hex(std::string_view bytes) {
  const std::size_t shown_bytes = kMaxTextChars / 2;
  if (bytes.size() <= shown_bytes) return to_hex(as_bytes(bytes));
  return to_hex(as_bytes(bytes.substr(0, shown_bytes))) + cut_marker(bytes.size());
}

}  // namespace adbcfault::thrift
