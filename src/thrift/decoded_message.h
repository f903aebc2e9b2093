#pragma once
// One Thrift message as the journal sees it.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "thrift/guid.h"
#include "thrift/message_types.h"

namespace adbcfault::thrift {

struct DecodedMessage {
  Protocol protocol = Protocol::kUnknown;
  MessageType type = MessageType::kUnknown;
  std::string method;  // as sent; empty when it could not be read or was not valid UTF-8
  int32_t seqid = 0;
  bool known_method = false;  // declared in tcli_service.thrift

  // From the IDL's handle positions: TXReq.sessionHandle.sessionId.guid and
  // TXReq.operationHandle.operationId.guid (likewise in replies, e.g.
  // TOpenSessionResp.sessionHandle, TExecuteStatementResp.operationHandle).
  std::optional<RenderedGuid> session_guid;
  std::optional<RenderedGuid> operation_guid;

  // A reply's TStatus, or for an EXCEPTION message the TApplicationException.
  std::optional<int32_t> status_code;
  std::string status_code_name;  // e.g. "ERROR_STATUS"; empty when the IDL has no name for it
  std::optional<std::string> error_message;  // cut to 200 characters, valid UTF-8
  std::optional<std::string> sql_state;
  std::optional<int32_t> error_code;
  std::optional<int32_t> exception_type;  // TApplicationException type of an EXCEPTION message

  // The request struct (calls) or response struct (replies) by IDL field name; see
  // docs/thrift.md for the rendering and redaction rules.
  nlohmann::json fields = nlohmann::json::object();

  // Set when the body is not one complete, well-formed message: a short reason, with
  // "at byte N" when the position is known (also in error_offset). Everything decoded before
  // the problem is kept above.
  std::optional<std::string> error;
  std::optional<std::size_t> error_offset;
  std::size_t trailing_bytes = 0;  // bytes after the end of the message (not an error)

  bool ok() const { return !error.has_value(); }
};

// For the journal and logs: every member above, GUIDs as text with their well-formed flag.
nlohmann::json to_json(const DecodedMessage& message);

}  // namespace adbcfault::thrift
