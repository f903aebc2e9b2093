#pragma once
// Wire-level vocabulary shared by the decoder and the error replies. Plain enums with the
// protocol's numeric values, so callers need no Thrift headers.

#include <cstdint>
#include <string_view>

namespace adbcfault::thrift {

enum class Protocol {
  kBinaryStrict,  // TBinaryProtocol with the version header (the default of every driver)
  kBinaryOld,     // TBinaryProtocol without version header (method name length first)
  kCompact,       // TCompactProtocol
  kUnknown,
};

// Values are the Thrift wire values of TMessageType.
enum class MessageType : int8_t {
  kUnknown = 0,
  kCall = 1,
  kReply = 2,
  kException = 3,
  kOneway = 4,
};

// TCLIService's TStatusCode (tcli_service.thrift); checked against the generated enum.
enum class StatusCode : int32_t {
  kSuccess = 0,
  kSuccessWithInfo = 1,
  kStillExecuting = 2,
  kError = 3,
  kInvalidHandle = 4,
};

// Thrift's TApplicationException::TApplicationExceptionType wire values.
enum class ApplicationExceptionType : int32_t {
  kUnknown = 0,
  kUnknownMethod = 1,
  kInvalidMessageType = 2,
  kWrongMethodName = 3,
  kBadSequenceId = 4,
  kMissingResult = 5,
  kInternalError = 6,
  kProtocolError = 7,
  kInvalidTransform = 8,
  kInvalidProtocol = 9,
  kUnsupportedClientType = 10,
};

std::string_view to_string(Protocol protocol);
std::string_view to_string(MessageType type);

}  // namespace adbcfault::thrift
