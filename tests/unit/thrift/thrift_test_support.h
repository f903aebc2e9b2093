#pragma once
// Building test messages with the classes generated from tcli_service.thrift, and reading replies
// the way a generated TCLIServiceClient does.

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "tcli/TCLIService.h"
#include "thrift/decode_message.h"
#include "thrift/protocol_detect.h"

namespace adbcfault::thrift::test {

namespace tp = ::apache::thrift::protocol;
namespace tt = ::apache::thrift::transport;

inline constexpr Protocol kAllProtocols[] = {Protocol::kBinaryStrict, Protocol::kBinaryOld,
                                             Protocol::kCompact};

inline std::span<const uint8_t> bytes_of(const std::string& body) {
  return {reinterpret_cast<const uint8_t*>(body.data()), body.size()};
}

inline DecodedMessage decode(const std::string& body) { return decode_message(bytes_of(body)); }

// method + one generated args/result struct, as one message in the given protocol.
template <typename Struct>
std::string encode(Protocol protocol, const std::string& method, tp::TMessageType type,
                   int32_t seqid, const Struct& body) {
  ProtocolWriter writer = make_writer(protocol);
  writer.protocol->writeMessageBegin(method, type, seqid);
  body.write(writer.protocol.get());
  writer.protocol->writeMessageEnd();
  return writer.buffer->getBufferAsString();
}

inline std::string guid_bytes(uint8_t first, std::size_t size = 16) {
  std::string out;
  for (std::size_t i = 0; i < size; ++i) out.push_back(static_cast<char>(first + i));
  return out;
}

inline tcli::THandleIdentifier handle_id(const std::string& guid) {
  tcli::THandleIdentifier id;
  id.guid = guid;
  id.secret = "s3cr3t-handle-secret";
  return id;
}

inline tcli::TSessionHandle session_handle(const std::string& guid) {
  tcli::TSessionHandle handle;
  handle.sessionId = handle_id(guid);
  return handle;
}

inline tcli::TOperationHandle operation_handle(const std::string& guid) {
  tcli::TOperationHandle handle;
  handle.operationId = handle_id(guid);
  handle.operationType = tcli::TOperationType::EXECUTE_STATEMENT;
  handle.hasResultSet = true;
  return handle;
}

inline tcli::TStatus success_status() {
  tcli::TStatus status;
  status.statusCode = tcli::TStatusCode::SUCCESS_STATUS;
  return status;
}

// A generated client whose input is the given reply bytes: recv_X() parses them exactly as a
// driver built on Thrift C++ would.
struct ReplyReader {
  explicit ReplyReader(const std::string& reply, Protocol protocol)
      : bytes(reply.begin(), reply.end()),
        buffer(std::make_shared<tt::TMemoryBuffer>(bytes.data(),
                                                   static_cast<uint32_t>(bytes.size()))) {
    std::shared_ptr<tp::TProtocol> in;
    if (protocol == Protocol::kCompact) {
      in = std::make_shared<tp::TCompactProtocolT<tt::TMemoryBuffer>>(buffer);
    } else {
      // strict_read only for strict binary: an old-style reply must be rejected by a strict
      // reader, and accepted by a lenient one.
      in = std::make_shared<tp::TBinaryProtocolT<tt::TMemoryBuffer>>(
          buffer, 0, 0, protocol == Protocol::kBinaryStrict, true);
    }
    client = std::make_unique<tcli::TCLIServiceClient>(in);
  }

  std::vector<uint8_t> bytes;
  std::shared_ptr<tt::TMemoryBuffer> buffer;
  std::unique_ptr<tcli::TCLIServiceClient> client;
};

}  // namespace adbcfault::thrift::test
