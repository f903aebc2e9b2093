#include "thrift/error_replies.h"

#include <thrift/TApplicationException.h>

#include <map>

#include "tcli/TCLIService.h"
#include "thrift/protocol_detect.h"

namespace adbcfault::thrift {

namespace {

using ::apache::thrift::TApplicationException;
using ::apache::thrift::protocol::TProtocol;
namespace tp = ::apache::thrift::protocol;

static_assert(static_cast<int>(StatusCode::kSuccess) == tcli::TStatusCode::SUCCESS_STATUS);
static_assert(static_cast<int>(StatusCode::kSuccessWithInfo) ==
              tcli::TStatusCode::SUCCESS_WITH_INFO_STATUS);
static_assert(static_cast<int>(StatusCode::kStillExecuting) ==
              tcli::TStatusCode::STILL_EXECUTING_STATUS);
static_assert(static_cast<int>(StatusCode::kError) == tcli::TStatusCode::ERROR_STATUS);
static_assert(static_cast<int>(StatusCode::kInvalidHandle) ==
              tcli::TStatusCode::INVALID_HANDLE_STATUS);
static_assert(static_cast<int>(ApplicationExceptionType::kInternalError) ==
              TApplicationException::INTERNAL_ERROR);
static_assert(static_cast<int>(ApplicationExceptionType::kUnsupportedClientType) ==
              TApplicationException::UNSUPPORTED_CLIENT_TYPE);

using ResultWriter = void (*)(TProtocol&, const tcli::TStatus&);

// The generated X_result struct with success = {status, required fields}; written by the
// generated code so the bytes are exactly what a real server's processor sends.
template <typename Result>
void write_result(TProtocol& out, const tcli::TStatus& status) {
  Result result;
  result.success.__set_status(status);
  if constexpr (requires { result.success.serverProtocolVersion; }) {
    result.success.__set_serverProtocolVersion(
        tcli::TProtocolVersion::HIVE_CLI_SERVICE_PROTOCOL_V10);
  }
  result.__isset.success = true;
  result.write(&out);
}

// One entry per service function; error_replies_test checks it covers the whole IDL.
const std::map<std::string_view, ResultWriter>& result_writers() {
  static const std::map<std::string_view, ResultWriter> writers = {
      {"OpenSession", &write_result<tcli::TCLIService_OpenSession_result>},
      {"CloseSession", &write_result<tcli::TCLIService_CloseSession_result>},
      {"ExecuteStatement", &write_result<tcli::TCLIService_ExecuteStatement_result>},
      {"FetchResults", &write_result<tcli::TCLIService_FetchResults_result>},
      {"GetOperationStatus", &write_result<tcli::TCLIService_GetOperationStatus_result>},
      {"CancelOperation", &write_result<tcli::TCLIService_CancelOperation_result>},
      {"CloseOperation", &write_result<tcli::TCLIService_CloseOperation_result>},
      {"GetResultSetMetadata", &write_result<tcli::TCLIService_GetResultSetMetadata_result>},
  };
  return writers;
}

std::string_view unqualified(std::string_view method) {
  // TMultiplexedProtocol prefixes "Service:"; the reply keeps the full name.
  auto colon = method.rfind(':');
  return colon == std::string_view::npos ? method : method.substr(colon + 1);
}

}  // namespace

std::string application_exception_reply(std::string_view method, int32_t seqid, Protocol protocol,
                                        ApplicationExceptionType type, std::string_view message) {
  try {
    ProtocolWriter writer = make_writer(protocol);
    writer.protocol->writeMessageBegin(std::string(method), tp::T_EXCEPTION, seqid);
    TApplicationException exception(
        static_cast<TApplicationException::TApplicationExceptionType>(type), std::string(message));
    exception.write(writer.protocol.get());
    writer.protocol->writeMessageEnd();
    return writer.buffer->getBufferAsString();
  } catch (const std::exception&) {
    return {};
  }
}

std::optional<std::string> status_error_reply(std::string_view method, int32_t seqid,
                                              Protocol protocol, StatusCode code,
                                              std::string_view message, std::string_view sql_state,
                                              std::optional<int32_t> error_code) {
  const auto& writers = result_writers();
  auto it = writers.find(unqualified(method));
  if (it == writers.end()) return std::nullopt;
  try {
    tcli::TStatus status;
    status.__set_statusCode(static_cast<tcli::TStatusCode::type>(code));
    status.__set_errorMessage(std::string(message));
    if (!sql_state.empty()) status.__set_sqlState(std::string(sql_state));
    if (error_code) status.__set_errorCode(*error_code);
    ProtocolWriter writer = make_writer(protocol);
    writer.protocol->writeMessageBegin(std::string(method), tp::T_REPLY, seqid);
    it->second(*writer.protocol, status);
    writer.protocol->writeMessageEnd();
    return writer.buffer->getBufferAsString();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace adbcfault::thrift
