#pragma once
// Which Thrift protocol a message body uses, and Thrift protocol objects over a body in memory
// with every size limit set to the body's own size, so hostile lengths fail before allocating.

#include <thrift/protocol/TProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include <cstdint>
#include <memory>
#include <span>

#include "thrift/message_types.h"

namespace adbcfault::thrift {

// From the first bytes: 0x80 0x01 is strict binary, 0x82 compact, a non-negative big-endian i32
// (the method name's length) old-style binary. kUnknown for anything else or fewer than 4 bytes
// (one byte is enough to recognise compact).
Protocol detect_protocol(std::span<const uint8_t> body);

// The message type from the header bytes alone, so a message whose name is cut still says
// whether it was a call or a reply. kUnknown when the header does not carry it.
MessageType peek_message_type(std::span<const uint8_t> body, Protocol protocol);

struct ProtocolReader {
  std::shared_ptr<::apache::thrift::transport::TMemoryBuffer> buffer;
  std::shared_ptr<::apache::thrift::protocol::TProtocol> protocol;
  std::size_t body_size = 0;

  // Bytes consumed so far: where a decode error happened.
  std::size_t offset() const { return body_size - buffer->available_read(); }
};

// A reader that only observes body (no copy); body must outlive it and be at most INT32_MAX
// bytes. Binary readers accept both strict and old-style headers.
ProtocolReader make_reader(std::span<const uint8_t> body, Protocol protocol);

// A protocol writing into a fresh memory buffer: strict binary, old-style binary or compact.
struct ProtocolWriter {
  std::shared_ptr<::apache::thrift::transport::TMemoryBuffer> buffer;
  std::shared_ptr<::apache::thrift::protocol::TProtocol> protocol;
};
ProtocolWriter make_writer(Protocol protocol);

}  // namespace adbcfault::thrift
