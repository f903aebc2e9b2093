#include "thrift/message_types.h"

namespace adbcfault::thrift {

std::string_view to_string(Protocol protocol) {
  switch (protocol) {
    case Protocol::kBinaryStrict:
      return "binary";
    case Protocol::kBinaryOld:
      return "binary-old";
    case Protocol::kCompact:
      return "compact";
    case Protocol::kUnknown:
      break;
  }
  return "unknown";
}

std::string_view to_string(MessageType type) {
  switch (type) {
    case MessageType::kCall:
      return "call";
    case MessageType::kReply:
      return "reply";
    case MessageType::kException:
      return "exception";
    case MessageType::kOneway:
      return "oneway";
    case MessageType::kUnknown:
      break;
  }
  return "unknown";
}

}  // namespace adbcfault::thrift
