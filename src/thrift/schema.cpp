#include "thrift/schema.h"

#include <nlohmann/json.hpp>

#include "thrift/idl_json.h"

namespace adbcfault::thrift {

namespace {

using nlohmann::json;

// Throws (nlohmann exceptions or std::runtime_error) on anything unexpected; load_schema catches.
TypeRef parse_type(const std::string& type_id, const json* spec, const json* annotations) {
  static const std::map<std::string, TypeKind, std::less<>> kScalars = {
      {"bool", TypeKind::kBool},     {"i8", TypeKind::kByte},       {"byte", TypeKind::kByte},
      {"i16", TypeKind::kI16},       {"i32", TypeKind::kI32},       {"i64", TypeKind::kI64},
      {"double", TypeKind::kDouble}, {"string", TypeKind::kString}, {"binary", TypeKind::kBinary}};
  TypeRef type;
  if (auto it = kScalars.find(type_id); it != kScalars.end()) {
    type.kind = it->second;
    if (type.kind == TypeKind::kI32 && annotations && annotations->contains("adbcfault.enum")) {
      type.name = annotations->at("adbcfault.enum").get<std::string>();
    }
    return type;
  }
  if (!spec) throw std::runtime_error("type " + type_id + " without a type spec");
  if (type_id == "struct" || type_id == "exception" || type_id == "union") {
    type.kind = TypeKind::kStruct;
    type.name = spec->at("class").get<std::string>();
  } else if (type_id == "list" || type_id == "set") {
    type.kind = type_id == "list" ? TypeKind::kList : TypeKind::kSet;
    type.children.push_back(parse_type(spec->at("elemTypeId").get<std::string>(),
                                       spec->contains("elemType") ? &spec->at("elemType") : nullptr,
                                       nullptr));
  } else if (type_id == "map") {
    type.kind = TypeKind::kMap;
    type.children.push_back(parse_type(spec->at("keyTypeId").get<std::string>(),
                                       spec->contains("keyType") ? &spec->at("keyType") : nullptr,
                                       nullptr));
    type.children.push_back(
        parse_type(spec->at("valueTypeId").get<std::string>(),
                   spec->contains("valueType") ? &spec->at("valueType") : nullptr, nullptr));
  } else {
    throw std::runtime_error("unsupported type " + type_id);
  }
  return type;
}

FieldDef parse_field(const json& node) {
  FieldDef field;
  field.id = node.at("key").get<int16_t>();
  field.name = node.at("name").get<std::string>();
  field.type = parse_type(node.at("typeId").get<std::string>(),
                          node.contains("type") ? &node.at("type") : nullptr,
                          node.contains("annotations") ? &node.at("annotations") : nullptr);
  return field;
}

void check_references(const Schema& schema, const TypeRef& type, const std::string& where) {
  if (type.kind == TypeKind::kStruct && !schema.find_struct(type.name)) {
    throw std::runtime_error(where + ": unknown struct " + type.name);
  }
  if (type.kind == TypeKind::kI32 && !type.name.empty() && !schema.find_enum(type.name)) {
    throw std::runtime_error(where + ": adbcfault.enum names unknown enum " + type.name);
  }
  for (const auto& child : type.children) check_references(schema, child, where);
}

Schema parse_schema(std::string_view idl_json) {
  const json doc = json::parse(idl_json);
  Schema schema;
  for (const auto& node : doc.at("enums")) {
    EnumDef def;
    def.name = node.at("name").get<std::string>();
    for (const auto& member : node.at("members")) {
      def.names.emplace(member.at("value").get<int32_t>(), member.at("name").get<std::string>());
    }
    schema.enums.emplace(def.name, std::move(def));
  }
  for (const auto& node : doc.at("structs")) {
    StructDef def;
    def.name = node.at("name").get<std::string>();
    for (const auto& field_node : node.at("fields")) {
      FieldDef field = parse_field(field_node);
      def.fields.emplace(field.id, std::move(field));
    }
    schema.structs.emplace(def.name, std::move(def));
  }
  for (const auto& service : doc.at("services")) {
    for (const auto& node : service.at("functions")) {
      FunctionDef def;
      def.name = node.at("name").get<std::string>();
      def.oneway = node.value("oneway", false);
      def.args.name = service.at("name").get<std::string>() + "_" + def.name + "_args";
      for (const auto& arg : node.at("arguments")) {
        FieldDef field = parse_field(arg);
        def.args.fields.emplace(field.id, std::move(field));
      }
      def.result.name = service.at("name").get<std::string>() + "_" + def.name + "_result";
      const std::string return_type = node.at("returnTypeId").get<std::string>();
      if (return_type != "void") {
        FieldDef success;
        success.id = 0;
        success.name = "success";
        success.type = parse_type(
            return_type, node.contains("returnType") ? &node.at("returnType") : nullptr, nullptr);
        def.result.fields.emplace(0, std::move(success));
      }
      schema.functions.emplace(def.name, std::move(def));
    }
  }
  for (const auto& [name, def] : schema.structs) {
    for (const auto& [id, field] : def.fields) check_references(schema, field.type, name);
  }
  for (const auto& [name, def] : schema.functions) {
    for (const auto& [id, field] : def.args.fields) check_references(schema, field.type, name);
    for (const auto& [id, field] : def.result.fields) check_references(schema, field.type, name);
  }
  return schema;
}

struct EmbeddedSchema {
  Schema schema;
  std::string error;
};

const EmbeddedSchema& embedded() {
  static const EmbeddedSchema instance = [] {
    SchemaLoad load = load_schema(tcli_service_idl_json());
    return EmbeddedSchema{std::move(load.schema), std::move(load.error)};
  }();
  return instance;
}

}  // namespace

const FieldDef* StructDef::field(int16_t id) const {
  auto it = fields.find(id);
  return it == fields.end() ? nullptr : &it->second;
}

const FieldDef* StructDef::field_named(std::string_view wanted) const {
  for (const auto& [id, def] : fields) {
    if (def.name == wanted) return &def;
  }
  return nullptr;
}

const StructDef* Schema::find_struct(std::string_view name) const {
  auto it = structs.find(name);
  return it == structs.end() ? nullptr : &it->second;
}

const EnumDef* Schema::find_enum(std::string_view name) const {
  auto it = enums.find(name);
  return it == enums.end() ? nullptr : &it->second;
}

const FunctionDef* Schema::find_function(std::string_view method) const {
  if (auto colon = method.rfind(':'); colon != std::string_view::npos) {
    method = method.substr(colon + 1);
  }
  auto it = functions.find(method);
  return it == functions.end() ? nullptr : &it->second;
}

std::optional<std::string_view> Schema::enum_name(std::string_view name, int32_t value) const {
  const EnumDef* def = find_enum(name);
  if (!def) return std::nullopt;
  auto it = def->names.find(value);
  if (it == def->names.end()) return std::nullopt;
  return it->second;
}

SchemaLoad load_schema(std::string_view idl_json) {
  SchemaLoad load;
  try {
    load.schema = parse_schema(idl_json);
  } catch (const std::exception& e) {
    load.schema = Schema{};
    load.error = std::string("IDL JSON: ") + e.what();
  }
  return load;
}

const Schema& tcli_schema() { return embedded().schema; }

const std::string& tcli_schema_error() { return embedded().error; }

const StructDef& application_exception_struct() {
  static const StructDef def = [] {
    StructDef s;
    s.name = "TApplicationException";
    s.fields.emplace(1, FieldDef{1, "message", TypeRef{TypeKind::kString, "", {}}});
    s.fields.emplace(2, FieldDef{2, "type", TypeRef{TypeKind::kI32, "", {}}});
    return s;
  }();
  return def;
}

}  // namespace adbcfault::thrift
