#include "thrift/protocol_detect.h"

#include <thrift/TConfiguration.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/protocol/TCompactProtocol.h>

#include <algorithm>

#include "thrift/checked_binary_protocol.h"

namespace adbcfault::thrift {

namespace {

using ::apache::thrift::TConfiguration;
using ::apache::thrift::protocol::TBinaryProtocolT;
using ::apache::thrift::protocol::TCompactProtocolT;
using ::apache::thrift::transport::TMemoryBuffer;

constexpr uint8_t kBinaryVersionByte0 = 0x80;
constexpr uint8_t kBinaryVersionByte1 = 0x01;
constexpr uint8_t kCompactProtocolId = 0x82;
constexpr uint8_t kCompactVersion = 1;

// Our own depth limit (64) is checked by the decoder; this only has to be above it.
constexpr int kRecursionLimit = 128;

}  // namespace

Protocol detect_protocol(std::span<const uint8_t> body) {
  if (body.empty()) return Protocol::kUnknown;
  if (body[0] == kCompactProtocolId) return Protocol::kCompact;
  if (body.size() < 4) return Protocol::kUnknown;
  if (body[0] == kBinaryVersionByte0 && body[1] == kBinaryVersionByte1) {
    return Protocol::kBinaryStrict;
  }
  if ((body[0] & 0x80) == 0) return Protocol::kBinaryOld;
  return Protocol::kUnknown;
}

MessageType peek_message_type(std::span<const uint8_t> body, Protocol protocol) {
  int type = 0;
  if (protocol == Protocol::kBinaryStrict && body.size() >= 4) {
    type = body[3] & 0x07;
  } else if (protocol == Protocol::kCompact && body.size() >= 2 &&
             (body[1] & 0x1f) == kCompactVersion) {
    type = (body[1] >> 5) & 0x07;
  }
  return type >= 1 && type <= 4 ? static_cast<MessageType>(type) : MessageType::kUnknown;
}

ProtocolReader make_reader(std::span<const uint8_t> body, Protocol protocol) {
  const auto size = static_cast<int32_t>(body.size());
  // static_cast: a prvalue, so the header-only constant is not odr-used (no definition to link).
  auto config = std::make_shared<TConfiguration>(
      std::max(size, 1), static_cast<int>(TConfiguration::DEFAULT_MAX_FRAME_SIZE), kRecursionLimit);
  // OBSERVE never writes to the buffer; the const_cast only satisfies the constructor's type.
  auto buffer = std::make_shared<TMemoryBuffer>(const_cast<uint8_t*>(body.data()),
                                                static_cast<uint32_t>(body.size()),
                                                TMemoryBuffer::OBSERVE, config);
  ProtocolReader reader;
  reader.buffer = buffer;
  reader.body_size = body.size();
  // A string or container can never be longer than the body it came in.
  const int32_t limit = std::max(size, 1);
  if (protocol == Protocol::kCompact) {
    reader.protocol = std::make_shared<TCompactProtocolT<TMemoryBuffer>>(buffer, limit, limit);
  } else {
    reader.protocol = std::make_shared<CheckedBinaryProtocol>(
        buffer, limit, limit, /*strict_read=*/false, /*strict_write=*/true);
  }
  return reader;
}

ProtocolWriter make_writer(Protocol protocol) {
  ProtocolWriter writer;
  writer.buffer = std::make_shared<TMemoryBuffer>();
  if (protocol == Protocol::kCompact) {
    writer.protocol = std::make_shared<TCompactProtocolT<TMemoryBuffer>>(writer.buffer);
  } else {
    writer.protocol = std::make_shared<TBinaryProtocolT<TMemoryBuffer>>(
        writer.buffer, 0, 0, /*strict_read=*/false,
        /*strict_write=*/protocol != Protocol::kBinaryOld);
  }
  return writer;
}

}  // namespace adbcfault::thrift
