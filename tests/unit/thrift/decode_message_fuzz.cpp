// libFuzzer target for the decoder of untrusted bytes. Built only with clang and
// -DADBCFAULT_FUZZ=ON (see CMakeLists.txt); run: decode_message_fuzz -max_total_time=60
// Any crash, sanitizer report, exception or non-serialisable result is a bug.

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "thrift/decode_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const adbcfault::thrift::DecodedMessage msg =
      adbcfault::thrift::decode_message(std::span<const uint8_t>(data, size));
  // The journal writes every message as JSON: that must always work (valid UTF-8 only).
  (void)adbcfault::thrift::to_json(msg).dump();
  if (msg.error_offset && *msg.error_offset > size) std::abort();
  return 0;
}
