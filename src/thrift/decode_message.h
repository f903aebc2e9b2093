#pragma once
// Decoding one Thrift message body (one HTTP POST or reply body) for the journal and matchers.

#include <cstdint>
#include <span>

#include "thrift/decoded_message.h"

namespace adbcfault::thrift {

// Detects the protocol (strict binary, old-style binary, compact), reads the envelope and the
// args/result struct. Never throws; on malformed input sets error and keeps what was decoded.
// Allocates at most a small multiple of body.size().
DecodedMessage decode_message(std::span<const uint8_t> body);

}  // namespace adbcfault::thrift
