#pragma once
// What the scenario engine asks the relay to do to one HTTP exchange. Request phase: the server
// never sees the request. Response phase: the server handled it; the client gets the fault
// instead of (or in the middle of) the real response. Filled by actions, carried out by
// relay/http_exchange.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fault/connection_fault_plan.h"

namespace adbcfault::fault {

enum class Phase { kRequest, kResponse };

struct ThriftErrorSpec {
  enum class Form { kStatus, kApplicationException };
  Form form = Form::kStatus;
  std::string status_code = "ERROR_STATUS";  // a TStatusCode name, for Form::kStatus
  std::string message;
  std::string sql_state;
  int32_t error_code = 0;
  int32_t exception_type = 6;  // TApplicationException::INTERNAL_ERROR, for kApplicationException
};

struct HttpFaultPlan {
  enum class Kind {
    kNone,
    kRespond,      // answer with status/headers/body (http_error)
    kThriftError,  // answer 200 with a Thrift reply for the request's method and seqid
    kDelay,        // hold the request (request phase) or the response head (response phase)
    kHang,         // never answer
    kReset,        // RST to the client
    kClose,        // FIN to the client
    kTruncate,     // response phase: forward the head and N body bytes, then FIN
  };

  std::string scenario;
  std::string action;
  Phase phase = Phase::kRequest;
  Kind kind = Kind::kNone;

  int status = 0;  // kRespond
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  ThriftErrorSpec thrift;                                  // kThriftError
  std::chrono::milliseconds delay{0};                      // kDelay
  std::optional<std::chrono::milliseconds> hang_duration;  // kHang; nullopt: until disabled
  HangEnd hang_end = HangEnd::kHold;
  bool after_headers = false;   // kReset/kClose in the response phase: after the head went out
  uint64_t truncate_after = 0;  // kTruncate: body bytes let through
  bool truncate_with_reset = false;  // kTruncate: RST instead of FIN after the cut

  bool empty() const { return kind == Kind::kNone; }
};

}  // namespace adbcfault::fault
