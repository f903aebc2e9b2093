#include "http/response_writer.h"

#include <ostream>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/status.hpp>

namespace adbcfault::http {

std::string make_response(int status, const std::vector<std::pair<std::string, std::string>>& headers,
                          const std::string& body) {
  auto reason = boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
  std::string text = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason.data(), reason.size()) + "\r\n";
  bool has_type = false;
  for (const auto& [name, value] : headers) {
    if (boost::beast::iequals(name, "content-length")) continue;  // we set it from the body
    if (boost::beast::iequals(name, "content-type")) has_type = true;
    text += name + ": " + value + "\r\n";
  }
  if (!has_type && !body.empty()) text += "Content-Type: text/plain\r\n";
  text += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  text += body;
  return text;
}

}  // namespace adbcfault::http
