#pragma once
// Serialises the responses adbcfault answers with itself (injected errors).

#include <string>
#include <utility>
#include <vector>

namespace adbcfault::http {

// A complete HTTP/1.1 response with Content-Length; the reason phrase is the standard one.
std::string make_response(int status, const std::vector<std::pair<std::string, std::string>>& headers,
                          const std::string& body);

}  // namespace adbcfault::http
