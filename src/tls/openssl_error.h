#pragma once
// OpenSSL reports failures on a thread-local queue. Callers turn them into one-line messages
// and must empty the queue, or a stale entry would be blamed on the next unrelated failure.

#include <string>

namespace adbcfault::tls {

// Empties this thread's OpenSSL error queue and returns the reason of its most recent entry
// ("" when it was empty). Reasons never contain key material.
std::string take_openssl_error();

// "what: reason", or just "what" when OpenSSL gave no reason; empties the queue.
std::string openssl_failure(const std::string& what);

}  // namespace adbcfault::tls
