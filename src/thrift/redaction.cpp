#include "thrift/redaction.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace adbcfault::thrift {

namespace {

bool contains_ignore_case(std::string_view haystack, std::string_view needle) {
  const auto it =
      std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                  [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  return it != haystack.end();
}

}  // namespace

bool is_secret_name(std::string_view name) {
  static constexpr std::array<std::string_view, 5> kSecretWords = {"token", "secret", "password",
                                                                   "authorization", "cookie"};
  return std::any_of(kSecretWords.begin(), kSecretWords.end(),
                     [&](std::string_view word) { return contains_ignore_case(name, word); });
}

}  // namespace adbcfault::thrift
