#pragma once
// The IDL as data: structs, enums and service functions read from `thrift --gen json` output.
// The decoder walks messages with it, so field names and types always come from
// tcli_service.thrift itself.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace adbcfault::thrift {

enum class TypeKind {
  kBool,
  kByte,
  kI16,
  kI32,
  kI64,
  kDouble,
  kString,
  kBinary,
  kStruct,
  kMap,
  kSet,
  kList
};

struct TypeRef {
  TypeKind kind = TypeKind::kI32;
  std::string name;               // struct class, or enum name for an annotated i32
  std::vector<TypeRef> children;  // list/set: {element}; map: {key, value}
};

struct FieldDef {
  int16_t id = 0;
  std::string name;
  TypeRef type;
};

struct StructDef {
  std::string name;
  std::map<int16_t, FieldDef> fields;

  const FieldDef* field(int16_t id) const;
  const FieldDef* field_named(std::string_view name) const;
};

struct EnumDef {
  std::string name;
  std::map<int32_t, std::string> names;
};

struct FunctionDef {
  std::string name;
  bool oneway = false;
  StructDef args;    // the wire "X_args" struct: {1: req}
  StructDef result;  // the wire "X_result" struct: {0: success}
};

struct Schema {
  std::map<std::string, StructDef, std::less<>> structs;
  std::map<std::string, EnumDef, std::less<>> enums;
  std::map<std::string, FunctionDef, std::less<>> functions;

  const StructDef* find_struct(std::string_view name) const;
  const EnumDef* find_enum(std::string_view name) const;
  // Accepts a multiplexed name ("TCLIService:OpenSession") as well as the plain one.
  const FunctionDef* find_function(std::string_view method) const;
  // The enum member's name, or nullopt when enum_name or the value is not declared.
  std::optional<std::string_view> enum_name(std::string_view enum_name, int32_t value) const;
};

struct SchemaLoad {
  Schema schema;
  std::string error;  // empty on success
};

// Parses `thrift --gen json` output. Never throws.
SchemaLoad load_schema(std::string_view idl_json);

// The embedded TCLIService schema, parsed once. A load error (a build problem, covered by a unit
// test) leaves it empty and is reported by tcli_schema_error().
const Schema& tcli_schema();
const std::string& tcli_schema_error();

// TApplicationException {1: string message, 2: i32 type}: part of Thrift, not of the IDL.
const StructDef& application_exception_struct();

}  // namespace adbcfault::thrift
