#include "thrift/field_decoder.h"

#include "thrift/redaction.h"
#include "thrift/text.h"
#include "thrift/wire_type.h"

namespace adbcfault::thrift {

namespace {

using ::apache::thrift::protocol::TType;
using nlohmann::json;
namespace tp = ::apache::thrift::protocol;

TType wire_type(TypeKind kind) {
  switch (kind) {
    case TypeKind::kBool:
      return tp::T_BOOL;
    case TypeKind::kByte:
      return tp::T_BYTE;
    case TypeKind::kI16:
      return tp::T_I16;
    case TypeKind::kI32:
      return tp::T_I32;
    case TypeKind::kI64:
      return tp::T_I64;
    case TypeKind::kDouble:
      return tp::T_DOUBLE;
    case TypeKind::kString:
    case TypeKind::kBinary:
      return tp::T_STRING;
    case TypeKind::kStruct:
      return tp::T_STRUCT;
    case TypeKind::kMap:
      return tp::T_MAP;
    case TypeKind::kSet:
      return tp::T_SET;
    case TypeKind::kList:
      return tp::T_LIST;
  }
  return tp::T_STOP;
}

// The IDL's type for a child when the wire agrees with it; otherwise decode by wire type only,
// as a generated reader would skip it.
const TypeRef* agreeing(const TypeRef* type, std::size_t child, TType wire) {
  if (!type || type->children.size() <= child) return nullptr;
  const TypeRef* candidate = &type->children[child];
  return wire_type(candidate->kind) == wire ? candidate : nullptr;
}

void check_depth(int depth) {
  if (depth > kMaxNestingDepth) {
    throw DecodeError("nesting deeper than " + std::to_string(kMaxNestingDepth));
  }
}

void check_value_type(TType wire, std::string_view what) {
  if (!is_value_type(wire)) {
    throw DecodeError("invalid " + std::string(what) + " type " +
                      std::to_string(static_cast<int>(wire)));
  }
}

std::string more_marker(std::size_t remaining, std::string_view what) {
  return "...<" + std::to_string(remaining) + " more " + std::string(what) + ">";
}

StructRole child_role(StructRole parent, const FieldDef& field) {
  if (field.type.kind != TypeKind::kStruct) return StructRole::kNone;
  const std::string& cls = field.type.name;
  switch (parent) {
    case StructRole::kEnvelope:
      return StructRole::kTop;
    case StructRole::kTop:
      if (cls == "TSessionHandle") return StructRole::kSessionHandle;
      if (cls == "TOperationHandle") return StructRole::kOperationHandle;
      if (cls == "TStatus") return StructRole::kStatus;
      return StructRole::kNone;
    case StructRole::kSessionHandle:
      return cls == "THandleIdentifier" ? StructRole::kSessionId : StructRole::kNone;
    case StructRole::kOperationHandle:
      return cls == "THandleIdentifier" ? StructRole::kOperationId : StructRole::kNone;
    default:
      return StructRole::kNone;
  }
}

}  // namespace

void FieldDecoder::read_struct(json& out, const StructDef* def, StructRole role) {
  read_struct_at(&out, def, role, 1);
}

void FieldDecoder::read_struct_at(json* out, const StructDef* def, StructRole role, int depth) {
  check_depth(depth);
  if (out) *out = json::object();
  std::string unused_name;
  in_.readStructBegin(unused_name);
  while (true) {
    TType wire = tp::T_STOP;
    int16_t id = 0;
    in_.readFieldBegin(unused_name, wire, id);
    if (wire == tp::T_STOP) break;
    check_value_type(wire, "field");
    const FieldDef* field = def ? def->field(id) : nullptr;
    if (field && wire_type(field->type.kind) != wire) field = nullptr;
    json* slot = out ? &(*out)[field ? field->name : "field_" + std::to_string(id)] : nullptr;
    if (field && is_secret_name(field->name)) {
      if (slot) *slot = kRedacted;
      read_value(nullptr, wire, &field->type, depth + 1);
    } else if (field && field->type.kind == TypeKind::kStruct) {
      read_struct_at(slot, schema_.find_struct(field->type.name), child_role(role, *field),
                     depth + 1);
    } else if (!(field && capture_field(slot, wire, *field, role))) {
      read_value(slot, wire, field ? &field->type : nullptr, depth + 1);
    }
    in_.readFieldEnd();
  }
  in_.readStructEnd();
}

bool FieldDecoder::capture_field(json* slot, TType wire, const FieldDef& field, StructRole role) {
  std::optional<std::string>* text_target = nullptr;
  std::optional<int32_t>* i32_target = nullptr;
  bool text_is_binary = false;
  switch (role) {
    case StructRole::kSessionId:
    case StructRole::kOperationId:
      if (field.name == "guid") {
        text_target =
            role == StructRole::kSessionId ? &captured_.session_guid : &captured_.operation_guid;
        text_is_binary = true;
      }
      break;
    case StructRole::kStatus:
      if (field.name == "statusCode") {
        i32_target = &captured_.status_code;
        captured_.status_enum = field.type.name;
      } else if (field.name == "errorMessage") {
        text_target = &captured_.error_message;
      } else if (field.name == "sqlState") {
        text_target = &captured_.sql_state;
      } else if (field.name == "errorCode") {
        i32_target = &captured_.error_code;
      }
      break;
    case StructRole::kApplicationException:
      if (field.name == "message") text_target = &captured_.error_message;
      if (field.name == "type") i32_target = &captured_.exception_type;
      break;
    default:
      break;
  }
  if (text_target && wire == tp::T_STRING) {
    std::string raw;
    in_.readBinary(raw);
    if (slot) *slot = text_is_binary ? journal_hex(raw) : journal_text(raw);
    *text_target = std::move(raw);
    return true;
  }
  if (i32_target && wire == tp::T_I32) {
    int32_t value = 0;
    in_.readI32(value);
    if (slot) {
      auto name = schema_.enum_name(field.type.name, value);
      *slot = name ? json(std::string(*name)) : json(value);
    }
    *i32_target = value;
    return true;
  }
  return false;
}

void FieldDecoder::read_value(json* out, TType wire, const TypeRef* type, int depth) {
  switch (wire) {
    case tp::T_STRUCT:
      read_struct_at(out, type ? schema_.find_struct(type->name) : nullptr, StructRole::kNone,
                     depth);
      return;
    case tp::T_LIST:
    case tp::T_SET:
      read_list(out, wire == tp::T_SET, type, depth);
      return;
    case tp::T_MAP:
      read_map(out, type, depth);
      return;
    case tp::T_BOOL: {
      bool value = false;
      in_.readBool(value);
      if (out) *out = value;
      return;
    }
    case tp::T_BYTE: {
      int8_t value = 0;
      in_.readByte(value);
      if (out) *out = value;
      return;
    }
    case tp::T_I16: {
      int16_t value = 0;
      in_.readI16(value);
      if (out) *out = value;
      return;
    }
    case tp::T_I32: {
      int32_t value = 0;
      in_.readI32(value);
      if (out) {
        auto name = type ? schema_.enum_name(type->name, value) : std::nullopt;
        *out = name ? json(std::string(*name)) : json(value);
      }
      return;
    }
    case tp::T_I64: {
      int64_t value = 0;
      in_.readI64(value);
      if (out) *out = value;
      return;
    }
    case tp::T_DOUBLE: {
      double value = 0;
      in_.readDouble(value);
      if (out) *out = value;
      return;
    }
    case tp::T_STRING: {
      std::string raw;
      in_.readBinary(raw);
      if (out) {
        *out = type && type->kind == TypeKind::kBinary ? journal_hex(raw) : journal_text(raw);
      }
      return;
    }
    default:
      check_value_type(wire, "value");
  }
}

void FieldDecoder::read_list(json* out, bool is_set, const TypeRef* type, int depth) {
  check_depth(depth);
  TType elem = tp::T_STOP;
  uint32_t size = 0;
  if (is_set) {
    in_.readSetBegin(elem, size);
  } else {
    in_.readListBegin(elem, size);
  }
  // Every element of a valid type takes at least one byte, so size is bounded by the body.
  if (size > 0) check_value_type(elem, "element");
  const TypeRef* elem_type = agreeing(type, 0, elem);
  if (out) *out = json::array();
  for (uint32_t i = 0; i < size; ++i) {
    json* slot = out && i < kMaxRenderedElements ? &out->emplace_back() : nullptr;
    read_value(slot, elem, elem_type, depth + 1);
  }
  if (out && size > kMaxRenderedElements) {
    out->push_back(more_marker(size - kMaxRenderedElements, "elements"));
  }
  if (is_set) {
    in_.readSetEnd();
  } else {
    in_.readListEnd();
  }
}

void FieldDecoder::read_map(json* out, const TypeRef* type, int depth) {
  check_depth(depth);
  TType key = tp::T_STOP;
  TType value = tp::T_STOP;
  uint32_t size = 0;
  in_.readMapBegin(key, value, size);
  if (size > 0) {
    check_value_type(key, "map key");
    check_value_type(value, "map value");
  }
  const TypeRef* key_type = agreeing(type, 0, key);
  const TypeRef* value_type = agreeing(type, 1, value);
  const bool string_keys = key == tp::T_STRING;
  if (out) *out = string_keys ? json::object() : json::array();
  for (uint32_t i = 0; i < size; ++i) {
    const bool shown = out && i < kMaxRenderedElements;
    if (string_keys) {
      // A string-keyed map is a JSON object; an entry whose key names a credential is redacted.
      std::string raw_key;
      in_.readBinary(raw_key);
      json* slot = shown ? &(*out)[journal_text(raw_key)] : nullptr;
      if (is_secret_name(raw_key)) {
        if (slot) *slot = kRedacted;
        slot = nullptr;
      }
      read_value(slot, value, value_type, depth + 1);
    } else {
      json* pair = shown ? &out->emplace_back(json::array({nullptr, nullptr})) : nullptr;
      read_value(pair ? &(*pair)[0] : nullptr, key, key_type, depth + 1);
      read_value(pair ? &(*pair)[1] : nullptr, value, value_type, depth + 1);
    }
  }
  if (out && size > kMaxRenderedElements) {
    const std::string marker = more_marker(size - kMaxRenderedElements, "entries");
    if (string_keys) {
      (*out)["..."] = marker;
    } else {
      out->push_back(marker);
    }
  }
  in_.readMapEnd();
}

}  // namespace adbcfault::thrift
