#pragma once
// Turning untrusted wire strings into text that is safe to journal: valid UTF-8 only (the JSON
// writer throws on anything else) and bounded in length.

#include <cstddef>
#include <string>
#include <string_view>

namespace adbcfault::thrift {

// Strings and hex renderings longer than this are cut; a marker says how long they were.
inline constexpr std::size_t kMaxTextChars = 200;

bool is_valid_utf8(std::string_view text);

// text cut to at most max_chars bytes on a UTF-8 boundary, followed by
// "...<cut, N bytes total>" when anything was removed. text must be valid UTF-8.
std::string cut_text(std::string_view text, std::size_t max_chars = kMaxTextChars);

// A wire string for the journal: itself (cut) when valid UTF-8, else "<non-utf8 hex:...>" (cut).
std::string journal_text(std::string_view bytes);

// Binary as lowercase hex, cut like text.
std::string journal_hex(std::string_view bytes);

}  // namespace adbcfault::thrift
