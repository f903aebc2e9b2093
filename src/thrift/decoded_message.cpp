#include "thrift/decoded_message.h"

namespace adbcfault::thrift {

namespace {

void put_guid(nlohmann::json& out, const std::string& key,
              const std::optional<RenderedGuid>& guid) {
  if (!guid) return;
  out[key] = guid->text;
  if (!guid->well_formed) {
    out[key + "_note"] = std::to_string(guid->size) + " bytes, expected 16";
  }
}

template <typename T>
void put_optional(nlohmann::json& out, const char* key, const std::optional<T>& value) {
  if (value) out[key] = *value;
}

}  // namespace

nlohmann::json to_json(const DecodedMessage& message) {
  nlohmann::json out = {
      {"protocol", std::string(to_string(message.protocol))},
      {"type", std::string(to_string(message.type))},
      {"method", message.method},
      {"seqid", message.seqid},
      {"known_method", message.known_method},
  };
  put_guid(out, "session_guid", message.session_guid);
  put_guid(out, "operation_guid", message.operation_guid);
  put_optional(out, "status_code", message.status_code);
  if (!message.status_code_name.empty()) out["status"] = message.status_code_name;
  put_optional(out, "error_message", message.error_message);
  put_optional(out, "sql_state", message.sql_state);
  put_optional(out, "error_code", message.error_code);
  put_optional(out, "exception_type", message.exception_type);
  out["fields"] = message.fields;
  put_optional(out, "error", message.error);
  put_optional(out, "error_offset", message.error_offset);
  if (message.trailing_bytes > 0) out["trailing_bytes"] = message.trailing_bytes;
  return out;
}

}  // namespace adbcfault::thrift
