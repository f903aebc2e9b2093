#include "daemon/thrift_hooks.h"

#include <span>

#include "thrift/decode_message.h"
#include "thrift/error_replies.h"

namespace adbcfault::daemon {
namespace {

std::span<const uint8_t> bytes_of(std::string_view body) {
  return {reinterpret_cast<const uint8_t*>(body.data()), body.size()};
}

std::optional<thrift::StatusCode> status_code_named(const std::string& name) {
  if (name == "ERROR_STATUS") return thrift::StatusCode::kError;
  if (name == "INVALID_HANDLE_STATUS") return thrift::StatusCode::kInvalidHandle;
  if (name == "STILL_EXECUTING_STATUS") return thrift::StatusCode::kStillExecuting;
  if (name == "SUCCESS_WITH_INFO_STATUS") return thrift::StatusCode::kSuccessWithInfo;
  if (name == "SUCCESS_STATUS") return thrift::StatusCode::kSuccess;
  return std::nullopt;
}

relay::ThriftCall decode_request(std::string_view body, journal::CallEntry& entry) {
  thrift::DecodedMessage message = thrift::decode_message(bytes_of(body));
  entry.thrift_method = message.method;
  entry.message_type = std::string(thrift::to_string(message.type));
  if (!message.method.empty()) entry.seqid = message.seqid;
  if (message.session_guid) entry.session_guid = message.session_guid->text;
  if (message.operation_guid) entry.operation_guid = message.operation_guid->text;
  entry.fields = message.fields;
  if (message.error) entry.note = "Thrift request could not be fully decoded: " + *message.error;
  relay::ThriftCall call;
  call.method = message.method;
  call.seqid = message.seqid;
  call.protocol = static_cast<int>(message.protocol);
  call.decoded = !message.method.empty() && message.type == thrift::MessageType::kCall;
  return call;
}

void decode_reply(std::string_view body, journal::CallEntry& entry) {
  thrift::DecodedMessage message = thrift::decode_message(bytes_of(body));
  if (message.type == thrift::MessageType::kException) {
    entry.thrift_status = "TApplicationException";
  } else if (!message.status_code_name.empty()) {
    entry.thrift_status = message.status_code_name;
  } else if (message.status_code) {
    entry.thrift_status = std::to_string(*message.status_code);
  }
  if (message.error_message) entry.thrift_error = *message.error_message;
  // A reply names the handle the server created (OpenSession, ExecuteStatement): show it.
  if (entry.session_guid.empty() && message.session_guid) entry.session_guid = message.session_guid->text;
  if (entry.operation_guid.empty() && message.operation_guid) {
    entry.operation_guid = message.operation_guid->text;
  }
  if (message.error && entry.note.empty()) {
    entry.note = "Thrift reply could not be fully decoded: " + *message.error;
  }
}

std::optional<std::string> make_thrift_error(const relay::ThriftCall& call,
                                             const fault::ThriftErrorSpec& spec) {
  auto protocol = static_cast<thrift::Protocol>(call.protocol);
  if (spec.form == fault::ThriftErrorSpec::Form::kApplicationException) {
    return thrift::application_exception_reply(
        call.method, call.seqid, protocol,
        static_cast<thrift::ApplicationExceptionType>(spec.exception_type), spec.message);
  }
  auto code = status_code_named(spec.status_code);
  if (!code) return std::nullopt;
  return thrift::status_error_reply(call.method, call.seqid, protocol, *code, spec.message,
                                    spec.sql_state,
                                    spec.error_code ? std::optional<int32_t>(spec.error_code)
                                                    : std::nullopt);
}

}  // namespace

void install_thrift_hooks(relay::HttpHooks& hooks) {
  hooks.decode_request = decode_request;
  hooks.decode_reply = decode_reply;
  hooks.make_thrift_error = make_thrift_error;
}

}  // namespace adbcfault::daemon
