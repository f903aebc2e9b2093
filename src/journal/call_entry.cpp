#include "journal/call_entry.h"

#include <ctime>

namespace adbcfault::journal {

std::string format_time(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(time.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(ms % 1000));
  return text;
}

nlohmann::json to_json(const CallEntry& e) {
  auto optional = [](const auto& value) -> nlohmann::json {
    if (value) return *value;
    return nullptr;
  };
  nlohmann::json j = {
      {"id", e.id},
      {"time", format_time(e.time)},
      {"flow", e.flow_id},
      {"client", e.client},
      {"server", e.server},
      {"host", e.host},
      {"http_method", e.http_method},
      {"path", e.path},
      {"thrift_method", e.thrift_method},
      {"message_type", e.message_type},
      {"seqid", optional(e.seqid)},
      {"session_guid", e.session_guid},
      {"operation_guid", e.operation_guid},
      {"http_status", optional(e.http_status)},
      {"thrift_status", e.thrift_status},
      {"thrift_error", e.thrift_error},
      {"latency_ms", optional(e.latency_ms)},
      {"response_bytes", optional(e.response_bytes)},
      {"scenario", e.scenario},
      {"note", e.note},
  };
  if (!e.fields.is_null()) j["fields"] = e.fields;
  return j;
}

}  // namespace adbcfault::journal
