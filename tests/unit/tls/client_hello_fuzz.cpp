// libFuzzer target for the ClientHello parser, which reads the first bytes of every flow on an
// intercepted port. Built only with clang and -DADBCFAULT_FUZZ=ON; run:
//   client_hello_fuzz -max_total_time=60 -max_len=70000
// Any crash, sanitizer report or broken promise of client_hello.h below is a bug.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "tls/client_hello.h"

namespace {

using adbcfault::tls::HelloResult;
using adbcfault::tls::HelloStatus;
using adbcfault::tls::kMaxClientHelloBytes;

void check(bool ok) {
  if (!ok) std::abort();
}

void check_result(const HelloResult& result, size_t size) {
  // Errors go to logs: printable ASCII only, never the client's bytes.
  for (char c : result.error) check(c >= 0x20 && c < 0x7f);
  switch (result.status) {
    case HelloStatus::kNeedMore:
      check(result.bytes_needed == 0 || result.bytes_needed > size);
      check(result.bytes_needed <= kMaxClientHelloBytes);
      break;
    case HelloStatus::kComplete:
      if (result.hello.sni) {
        check(!result.hello.sni->empty() && result.hello.sni->size() <= 255);
        for (char c : *result.hello.sni) {
          check((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                c == '.');
        }
      }
      break;
    case HelloStatus::kNotTls:
    case HelloStatus::kMalformed:
      check(!result.error.empty());
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::span<const uint8_t> input(data, size);
  const HelloResult full = adbcfault::tls::parse_client_hello(input);
  check_result(full, size);
  // Peeking a shorter prefix never decides differently, only earlier: a prefix that is complete,
  // not TLS or malformed stays so when more bytes arrive.
  const size_t half = size / 2;
  const HelloResult prefix = adbcfault::tls::parse_client_hello(input.first(half));
  check_result(prefix, half);
  if (prefix.status != HelloStatus::kNeedMore) check(prefix.status == full.status);
  // looks_like_tls agrees with the parser's first verdict.
  if (size >= 3 && !adbcfault::tls::looks_like_tls(input))
    check(full.status == HelloStatus::kNotTls);
  return 0;
}
