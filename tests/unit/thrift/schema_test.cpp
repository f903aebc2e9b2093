// The embedded schema is the IDL: it loads, and it agrees with the generated C++.

#include "thrift/schema.h"

#include <gtest/gtest.h>

#include "tcli/tcli_service_types.h"
#include "thrift/idl_json.h"

namespace adbcfault::thrift {
namespace {

TEST(SchemaTest, EmbeddedIdlLoads) {
  EXPECT_EQ(tcli_schema_error(), "");
  const Schema& schema = tcli_schema();
  for (const char* method :
       {"OpenSession", "CloseSession", "ExecuteStatement", "FetchResults", "GetOperationStatus",
        "CancelOperation", "CloseOperation", "GetResultSetMetadata"}) {
    const FunctionDef* function = schema.find_function(method);
    ASSERT_NE(function, nullptr) << method;
    ASSERT_NE(function->args.field(1), nullptr);
    EXPECT_EQ(function->args.field(1)->name, "req");
    ASSERT_NE(function->result.field(0), nullptr);
    EXPECT_EQ(function->result.field(0)->name, "success");
  }
}

TEST(SchemaTest, FieldIdsAndNestedTypes) {
  const Schema& schema = tcli_schema();
  const StructDef* fetch = schema.find_struct("TFetchResultsReq");
  ASSERT_NE(fetch, nullptr);
  EXPECT_EQ(fetch->field(1)->name, "operationHandle");
  EXPECT_EQ(fetch->field(1)->type.name, "TOperationHandle");
  EXPECT_EQ(schema.find_struct("TOperationHandle")->field(1)->type.name, "THandleIdentifier");
  EXPECT_EQ(schema.find_struct("THandleIdentifier")->field(1)->name, "guid");
  EXPECT_EQ(schema.find_struct("THandleIdentifier")->field(1)->type.kind, TypeKind::kBinary);
  const FieldDef* config = schema.find_struct("TOpenSessionReq")->field(4);
  EXPECT_EQ(config->type.kind, TypeKind::kMap);
  ASSERT_EQ(config->type.children.size(), 2u);
  EXPECT_EQ(config->type.children[1].kind, TypeKind::kString);
}

// Enum names come from the IDL's annotations; the generated code must agree on every value.
TEST(SchemaTest, EnumsAgreeWithGeneratedCode) {
  const Schema& schema = tcli_schema();
  EXPECT_EQ(schema.find_struct("TStatus")->field(1)->type.name, "TStatusCode");
  for (const auto& [value, name] : tcli::_TStatusCode_VALUES_TO_NAMES) {
    EXPECT_EQ(schema.enum_name("TStatusCode", value), name);
  }
  for (const auto& [value, name] : tcli::_TOperationState_VALUES_TO_NAMES) {
    EXPECT_EQ(schema.enum_name("TOperationState", value), name);
  }
  EXPECT_EQ(schema.enum_name("TProtocolVersion", 0xA505), std::nullopt);
}

TEST(SchemaTest, MultiplexedNamesResolve) {
  EXPECT_NE(tcli_schema().find_function("TCLIService:FetchResults"), nullptr);
  EXPECT_EQ(tcli_schema().find_function("GetCatalogs"), nullptr);
}

TEST(SchemaTest, BadJsonIsAnErrorNotAnException) {
  EXPECT_NE(load_schema("{").error, "");
  EXPECT_NE(load_schema(R"({"enums":[],"structs":[{"name":"A","fields":[
      {"key":1,"name":"b","typeId":"struct","type":{"typeId":"struct","class":"Missing"}}]}],
      "services":[]})")
                .error.find("unknown struct Missing"),
            std::string::npos);
  EXPECT_EQ(load_schema(tcli_service_idl_json()).error, "");
}

}  // namespace
}  // namespace adbcfault::thrift
