#pragma once
// One journaled call: an HTTP request on an intercepted flow, with what its Thrift body said.
// Never holds a secret: headers are not kept, paths lose their query string before they get here.

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace adbcfault::journal {

struct CallEntry {
  uint64_t id = 0;  // assigned by the journal, monotonic, never reused (not even after reset)
  std::chrono::system_clock::time_point time;
  uint64_t flow_id = 0;
  std::string client;  // "10.200.1.1:41234"
  std::string server;  // original destination
  std::string host;    // SNI or Host header
  std::string http_method;
  std::string path;  // query string removed
  std::string thrift_method;
  std::string message_type;
  std::optional<int32_t> seqid;
  std::string session_guid;    // 8-4-4-4-12 hex, or empty
  std::string operation_guid;  // 8-4-4-4-12 hex, or empty
  std::optional<int> http_status;
  std::string thrift_status;  // e.g. "SUCCESS_STATUS", "ERROR_STATUS"
  std::string thrift_error;   // the reply's errorMessage, if any
  std::optional<double> latency_ms;
  std::optional<uint64_t> response_bytes;
  std::string scenario;  // the scenario that fired on this call, if any
  std::string note;      // decode errors, a fault that could not be injected, ...
  nlohmann::json fields;  // the decoded request, by field name, secrets removed (may be null)
};

nlohmann::json to_json(const CallEntry& entry);
std::string format_time(std::chrono::system_clock::time_point time);  // ISO 8601 UTC, ms

}  // namespace adbcfault::journal
