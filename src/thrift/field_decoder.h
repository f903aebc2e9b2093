#pragma once
// Walks one Thrift struct off a protocol, guided by the IDL where it knows the fields, and
// renders it as JSON by field name. Also picks out the values the journal needs (handle GUIDs,
// the TStatus) by their place in the IDL, never by guessing from names.
//
// Throws Thrift exceptions and DecodeError on malformed input; decode_message() is the boundary
// that catches them. Whatever was rendered before the failure stays in the output.

#include <thrift/protocol/TProtocol.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "thrift/schema.h"

namespace adbcfault::thrift {

inline constexpr int kMaxNestingDepth = 64;
// Container elements beyond this are still decoded (to validate and find the end) but not shown.
inline constexpr std::size_t kMaxRenderedElements = 100;

struct DecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What the decoder found at the IDL's handle and status positions, as raw wire values.
struct CapturedValues {
  std::optional<std::string> session_guid;
  std::optional<std::string> operation_guid;
  std::optional<int32_t> status_code;
  std::string status_enum;  // the enum that names status_code, from the IDL
  std::optional<std::string> error_message;
  std::optional<std::string> sql_state;
  std::optional<int32_t> error_code;
  std::optional<int32_t> exception_type;  // TApplicationException.type
};

// Where a struct sits relative to the request or response: drives the captures above.
enum class StructRole {
  kNone,
  kEnvelope,         // X_args / X_result: field "req" or "success" is the top struct
  kTop,              // TXReq / TXResp
  kSessionHandle,    // TSessionHandle directly in the top struct
  kOperationHandle,  // TOperationHandle directly in the top struct
  kSessionId,        // its THandleIdentifier
  kOperationId,
  kStatus,  // TStatus directly in the top struct
  kApplicationException,
};

class FieldDecoder {
 public:
  FieldDecoder(::apache::thrift::protocol::TProtocol& in, const Schema& schema)
      : in_(in), schema_(schema) {}

  // Reads a struct (up to and including its T_STOP) into out. def may be null: fields are then
  // named "field_<id>" and decoded by their wire type.
  void read_struct(nlohmann::json& out, const StructDef* def, StructRole role);

  const CapturedValues& captured() const { return captured_; }

 private:
  void read_struct_at(nlohmann::json* out, const StructDef* def, StructRole role, int depth);
  void read_value(nlohmann::json* out, ::apache::thrift::protocol::TType wire, const TypeRef* type,
                  int depth);
  void read_list(nlohmann::json* out, bool is_set, const TypeRef* type, int depth);
  void read_map(nlohmann::json* out, const TypeRef* type, int depth);
  bool capture_field(nlohmann::json* slot, ::apache::thrift::protocol::TType wire,
                     const FieldDef& field, StructRole role);

  ::apache::thrift::protocol::TProtocol& in_;
  const Schema& schema_;
  CapturedValues captured_;
};

}  // namespace adbcfault::thrift
