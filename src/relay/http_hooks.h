#pragma once
// What the HTTP-aware relay needs from the layers above it, as functions: the journal, the
// scenario engine's per-request decision, and the Thrift codec. The daemon wires them; tests
// can leave any of them empty.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "fault/http_fault_plan.h"
#include "fault/http_request_facts.h"
#include "journal/call_journal.h"

namespace adbcfault::relay {

// What a Thrift request body said that an error reply needs.
struct ThriftCall {
  std::string method;
  int32_t seqid = 0;
  int protocol = 0;  // opaque to the relay; handed back to make_thrift_error
  bool decoded = false;
};

struct HttpHooks {
  journal::CallJournal* journal = nullptr;
  std::function<fault::HttpFaultPlan(const fault::HttpRequestFacts&)> decide;
  // Fills the entry's Thrift fields from a request body and returns what an error reply needs.
  std::function<ThriftCall(std::string_view body, journal::CallEntry& entry)> decode_request;
  // Fills the entry's Thrift status from a reply body.
  std::function<void(std::string_view body, journal::CallEntry& entry)> decode_reply;
  // A Thrift reply body for `call` carrying the error; nullopt if it cannot be built.
  std::function<std::optional<std::string>(const ThriftCall& call,
                                           const fault::ThriftErrorSpec& spec)>
      make_thrift_error;
  size_t thrift_body_cap = 16u << 20;  // larger Thrift bodies are relayed, not decoded
};

}  // namespace adbcfault::relay
