#include "thrift/decode_message.h"

#include <thrift/TApplicationException.h>
#include <thrift/protocol/TProtocolException.h>
#include <thrift/transport/TTransportException.h>

#include <limits>

#include "thrift/field_decoder.h"
#include "thrift/protocol_detect.h"
#include "thrift/schema.h"
#include "thrift/text.h"

namespace adbcfault::thrift {

namespace {

using ::apache::thrift::TException;
using ::apache::thrift::protocol::TMessageType;
using ::apache::thrift::protocol::TProtocolException;
using ::apache::thrift::transport::TTransportException;
using nlohmann::json;

void fail(DecodedMessage& msg, std::string reason, std::optional<std::size_t> offset) {
  if (msg.error) return;  // the first problem is the one worth reporting
  if (offset) reason += " at byte " + std::to_string(*offset);
  msg.error = std::move(reason);
  msg.error_offset = offset;
}

std::string reason_for(const TTransportException& e) {
  // The memory transport reports a container that claims more bytes than remain this way.
  if (std::string_view(e.what()).find("MaxMessageSize") != std::string_view::npos) {
    return "size larger than the rest of the body";
  }
  return e.getType() == TTransportException::END_OF_FILE ? "truncated" : e.what();
}

std::string reason_for(const TProtocolException& e) {
  switch (e.getType()) {
    case TProtocolException::NEGATIVE_SIZE:
      return "negative size";
    case TProtocolException::SIZE_LIMIT:
      return "size larger than the body";
    case TProtocolException::BAD_VERSION:
      return "bad protocol version";
    case TProtocolException::DEPTH_LIMIT:
      return "nesting too deep";
    default:
      break;
  }
  // Our own checks (CheckedBinaryProtocol) say what was wrong; the stock ones only the kind.
  const std::string_view what = e.what();
  return what.starts_with("TProtocolException") ? "invalid data" : std::string(what);
}

MessageType message_type(TMessageType type) {
  const int value = static_cast<int>(type);
  return value >= 1 && value <= 4 ? static_cast<MessageType>(value) : MessageType::kUnknown;
}

// Where the method name starts, for the UTF-8 error; compact puts the name last in the header.
std::size_t name_offset(Protocol protocol, std::size_t header_end, std::size_t name_size) {
  switch (protocol) {
    case Protocol::kBinaryStrict:
      return 8;
    case Protocol::kBinaryOld:
      return 4;
    default:
      return header_end - name_size;
  }
}

// The type byte as sent (the protocol objects only return the four valid types).
int raw_message_type(std::span<const uint8_t> body, Protocol protocol, std::size_t name_size) {
  switch (protocol) {
    case Protocol::kBinaryStrict:
      return body[3];
    case Protocol::kBinaryOld:
      return body[4 + name_size];
    default:
      return (body[1] >> 5) & 0x07;
  }
}

// The args/result struct's only field (req / success) is what callers want to see; anything
// else in the envelope (or a partial one) is shown as the envelope itself.
json unwrap(json envelope, const char* key) {
  if (key && envelope.is_object() && envelope.size() == 1 && envelope.contains(key) &&
      envelope[key].is_object()) {
    return std::move(envelope[key]);
  }
  return envelope.is_object() ? std::move(envelope) : json::object();
}

void apply_captures(DecodedMessage& msg, const CapturedValues& captured, const Schema& schema) {
  auto as_span = [](const std::string& bytes) {
    return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  };
  if (captured.session_guid) msg.session_guid = render_guid(as_span(*captured.session_guid));
  if (captured.operation_guid) {
    msg.operation_guid = render_guid(as_span(*captured.operation_guid));
  }
  msg.status_code = captured.status_code;
  if (captured.status_code) {
    msg.status_code_name =
        std::string(schema.enum_name(captured.status_enum, *captured.status_code).value_or(""));
  }
  if (captured.error_message) msg.error_message = journal_text(*captured.error_message);
  if (captured.sql_state) msg.sql_state = journal_text(*captured.sql_state);
  msg.error_code = captured.error_code;
  msg.exception_type = captured.exception_type;
}

void decode_body(DecodedMessage& msg, std::span<const uint8_t> body) {
  msg.protocol = detect_protocol(body);
  if (body.empty()) return fail(msg, "empty body", std::nullopt);
  if (body.size() > static_cast<std::size_t>(std::numeric_limits<int32_t>::max())) {
    return fail(msg, "body larger than 2 GiB", std::nullopt);
  }
  if (msg.protocol == Protocol::kUnknown) {
    return fail(msg, body.size() < 4 ? "too short for a Thrift message" : "not a Thrift message",
                0);
  }
  msg.type = peek_message_type(body, msg.protocol);

  const Schema& schema = tcli_schema();
  ProtocolReader reader = make_reader(body, msg.protocol);
  FieldDecoder decoder(*reader.protocol, schema);
  json envelope = json::object();
  const char* wrapped_field = nullptr;
  try {
    std::string name;
    TMessageType wire_type = ::apache::thrift::protocol::T_CALL;
    int32_t seqid = 0;
    reader.protocol->readMessageBegin(name, wire_type, seqid);
    msg.seqid = seqid;
    msg.type = message_type(wire_type);
    if (!is_valid_utf8(name)) {
      return fail(msg, "method name is not valid UTF-8",
                  name_offset(msg.protocol, reader.offset(), name.size()));
    }
    msg.method = std::move(name);
    if (msg.type == MessageType::kUnknown) {
      return fail(msg,
                  "unknown message type " +
                      std::to_string(raw_message_type(body, msg.protocol, msg.method.size())),
                  std::nullopt);
    }
    const FunctionDef* function = schema.find_function(msg.method);
    msg.known_method = function != nullptr;
    const StructDef* def = nullptr;
    StructRole role = StructRole::kNone;
    if (msg.type == MessageType::kException) {
      def = &application_exception_struct();
      role = StructRole::kApplicationException;
    } else if (function) {
      const bool is_call = msg.type == MessageType::kCall || msg.type == MessageType::kOneway;
      def = is_call ? &function->args : &function->result;
      role = StructRole::kEnvelope;
      wrapped_field = is_call ? "req" : "success";
    }
    decoder.read_struct(envelope, def, role);
    reader.protocol->readMessageEnd();
    msg.trailing_bytes = reader.buffer->available_read();
  } catch (const DecodeError& e) {
    fail(msg, e.what(), reader.offset());
  } catch (const TTransportException& e) {
    fail(msg, reason_for(e), reader.offset());
  } catch (const TProtocolException& e) {
    fail(msg, reason_for(e), reader.offset());
  } catch (const TException& e) {
    fail(msg, e.what(), reader.offset());
  } catch (const std::bad_alloc&) {
    fail(msg, "out of memory", reader.offset());
  }
  apply_captures(msg, decoder.captured(), schema);
  msg.fields = unwrap(std::move(envelope), wrapped_field);
  if (!tcli_schema_error().empty()) fail(msg, tcli_schema_error(), std::nullopt);
}

}  // namespace

DecodedMessage decode_message(std::span<const uint8_t> body) {
  DecodedMessage msg;
  try {
    decode_body(msg, body);
  } catch (const std::exception& e) {
    // Only reachable on allocation failure while recording results; never let it escape.
    fail(msg, std::string("internal: ") + e.what(), std::nullopt);
  } catch (...) {
    fail(msg, "internal error", std::nullopt);
  }
  return msg;
}

}  // namespace adbcfault::thrift
