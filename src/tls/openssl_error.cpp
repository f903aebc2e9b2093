#include "tls/openssl_error.h"

#include <openssl/err.h>

namespace adbcfault::tls {

std::string take_openssl_error() {
  unsigned long last = 0;
  while (unsigned long code = ERR_get_error()) last = code;
  if (last == 0) return {};
  const char* reason = ERR_reason_error_string(last);
  return reason != nullptr ? reason : "error code " + std::to_string(last);
}

std::string openssl_failure(const std::string& what) {
  std::string reason = take_openssl_error();
  return reason.empty() ? what : what + ": " + reason;
}

}  // namespace adbcfault::tls
