#include "http/message_head.h"

#include <boost/beast/core/string.hpp>

namespace adbcfault::http {

std::optional<std::string_view> MessageHead::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (boost::beast::iequals(key, boost::beast::string_view(name.data(), name.size()))) return value;
  return std::nullopt;
}

std::string MessageHead::path_without_query() const {
  return target.substr(0, target.find_first_of("?#"));
}

bool MessageHead::is_thrift() const {
  std::string lower;
  for (char c : content_type) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("application/x-thrift") != std::string::npos ||
         lower.find("application/vnd.apache.thrift") != std::string::npos;
}

}  // namespace adbcfault::http
