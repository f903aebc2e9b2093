// Requests built with the generated classes, in every protocol a driver may use.

#include <gtest/gtest.h>

#include "thrift_test_support.h"

namespace adbcfault::thrift {
namespace {

using namespace test;

class DecodeRequestTest : public ::testing::TestWithParam<Protocol> {};

TEST_P(DecodeRequestTest, OpenSessionRequest) {
  tcli::TCLIService_OpenSession_args args;
  args.req.client_protocol = 0xA505;  // a Databricks version: an i32 field, not an enum
  args.req.__set_username("alice");
  args.req.__set_configuration({{"spark.sql.ansi", "true"}});
  const std::string body = encode(GetParam(), "OpenSession", tp::T_CALL, 41, args);

  const DecodedMessage msg = decode(body);
  ASSERT_TRUE(msg.ok()) << *msg.error;
  EXPECT_EQ(msg.protocol, GetParam());
  EXPECT_EQ(msg.type, MessageType::kCall);
  EXPECT_EQ(msg.method, "OpenSession");
  EXPECT_EQ(msg.seqid, 41);
  EXPECT_TRUE(msg.known_method);
  EXPECT_FALSE(msg.session_guid);
  EXPECT_FALSE(msg.operation_guid);
  EXPECT_FALSE(msg.status_code);
  // Databricks protocol versions are not in the enum: shown as the number.
  EXPECT_EQ(msg.fields["client_protocol"], 0xA505);
  EXPECT_EQ(msg.fields["username"], "alice");
  EXPECT_EQ(msg.fields["configuration"]["spark.sql.ansi"], "true");
  EXPECT_EQ(msg.trailing_bytes, 0u);
}

TEST_P(DecodeRequestTest, ExecuteStatementRequestCarriesSessionGuid) {
  tcli::TCLIService_ExecuteStatement_args args;
  args.req.sessionHandle = session_handle(guid_bytes(0x00));
  args.req.statement = "SELECT 1";
  args.req.__set_runAsync(true);
  const DecodedMessage msg = decode(encode(GetParam(), "ExecuteStatement", tp::T_CALL, 2, args));

  ASSERT_TRUE(msg.ok()) << *msg.error;
  ASSERT_TRUE(msg.session_guid);
  EXPECT_EQ(msg.session_guid->text, "00010203-0405-0607-0809-0a0b0c0d0e0f");
  EXPECT_TRUE(msg.session_guid->well_formed);
  EXPECT_FALSE(msg.operation_guid);
  EXPECT_EQ(msg.fields["statement"], "SELECT 1");
  EXPECT_EQ(msg.fields["runAsync"], true);
  EXPECT_EQ(msg.fields["sessionHandle"]["sessionId"]["guid"], "000102030405060708090a0b0c0d0e0f");
}

TEST_P(DecodeRequestTest, FetchResultsRequestNamesNestedFieldsByTheirOwnNames) {
  tcli::TCLIService_FetchResults_args args;
  args.req.operationHandle = operation_handle(guid_bytes(0xa0));
  args.req.orientation = tcli::TFetchOrientation::FETCH_NEXT;
  args.req.maxRows = 100000;
  const DecodedMessage msg = decode(encode(GetParam(), "FetchResults", tp::T_CALL, 9, args));

  ASSERT_TRUE(msg.ok()) << *msg.error;
  ASSERT_TRUE(msg.operation_guid);
  EXPECT_EQ(msg.operation_guid->text, "a0a1a2a3-a4a5-a6a7-a8a9-aaabacadaeaf");
  EXPECT_FALSE(msg.session_guid);

  // TFetchResultsReq.operationHandle (TOperationHandle) .operationId (THandleIdentifier) .guid:
  // each level named from its own struct, never the parent's field name (the old tool's bug).
  const auto& handle = msg.fields.at("operationHandle");
  EXPECT_FALSE(handle.contains("operationHandle"));
  const auto& id = handle.at("operationId");
  EXPECT_FALSE(id.contains("operationHandle"));
  EXPECT_FALSE(id.contains("operationId"));
  EXPECT_EQ(id.at("guid"), "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
  EXPECT_EQ(handle.at("operationType"), "EXECUTE_STATEMENT");
  EXPECT_EQ(handle.at("hasResultSet"), true);
  EXPECT_EQ(msg.fields.at("orientation"), "FETCH_NEXT");
  EXPECT_EQ(msg.fields.at("maxRows"), 100000);
}

TEST_P(DecodeRequestTest, OperationRequestsCarryOperationGuid) {
  tcli::TCLIService_CloseOperation_args close;
  close.req.operationHandle = operation_handle(guid_bytes(0x10));
  tcli::TCLIService_GetOperationStatus_args status;
  status.req.operationHandle = operation_handle(guid_bytes(0x10));
  tcli::TCLIService_CancelOperation_args cancel;
  cancel.req.operationHandle = operation_handle(guid_bytes(0x10));
  for (const std::string& body : {encode(GetParam(), "CloseOperation", tp::T_CALL, 1, close),
                                  encode(GetParam(), "GetOperationStatus", tp::T_CALL, 1, status),
                                  encode(GetParam(), "CancelOperation", tp::T_CALL, 1, cancel)}) {
    const DecodedMessage msg = decode(body);
    ASSERT_TRUE(msg.ok()) << *msg.error;
    ASSERT_TRUE(msg.operation_guid) << msg.method;
    EXPECT_EQ(msg.operation_guid->text, "10111213-1415-1617-1819-1a1b1c1d1e1f");
  }
}

TEST_P(DecodeRequestTest, CloseSessionRequestCarriesSessionGuid) {
  tcli::TCLIService_CloseSession_args args;
  args.req.sessionHandle = session_handle(guid_bytes(0x30));
  const DecodedMessage msg = decode(encode(GetParam(), "CloseSession", tp::T_CALL, 3, args));
  ASSERT_TRUE(msg.ok()) << *msg.error;
  ASSERT_TRUE(msg.session_guid);
  EXPECT_EQ(msg.session_guid->text, "30313233-3435-3637-3839-3a3b3c3d3e3f");
}

TEST_P(DecodeRequestTest, UnknownMethodIsJournaledAndDecodedById) {
  // Same shape as CloseSession, but a method our IDL does not declare: no GUIDs are guessed.
  tcli::TCLIService_CloseSession_args args;
  args.req.sessionHandle = session_handle(guid_bytes(0x30));
  const DecodedMessage msg = decode(encode(GetParam(), "GetCatalogs", tp::T_CALL, 5, args));
  ASSERT_TRUE(msg.ok()) << *msg.error;
  EXPECT_EQ(msg.method, "GetCatalogs");
  EXPECT_FALSE(msg.known_method);
  EXPECT_FALSE(msg.session_guid);
  EXPECT_FALSE(msg.operation_guid);
  // Without a schema a string is shown as text when it is valid UTF-8, else as marked hex.
  EXPECT_EQ(msg.fields["field_1"]["field_1"]["field_1"]["field_1"], "0123456789:;<=>?");

  args.req.sessionHandle = session_handle(guid_bytes(0x90));
  const DecodedMessage binary = decode(encode(GetParam(), "GetCatalogs", tp::T_CALL, 5, args));
  EXPECT_EQ(binary.fields["field_1"]["field_1"]["field_1"]["field_1"],
            "<non-utf8 hex:909192939495969798999a9b9c9d9e9f>");
}

TEST_P(DecodeRequestTest, MultiplexedMethodNameIsKnown) {
  tcli::TCLIService_CloseSession_args args;
  args.req.sessionHandle = session_handle(guid_bytes(0x30));
  const DecodedMessage msg =
      decode(encode(GetParam(), "TCLIService:CloseSession", tp::T_CALL, 3, args));
  ASSERT_TRUE(msg.ok()) << *msg.error;
  EXPECT_EQ(msg.method, "TCLIService:CloseSession");
  EXPECT_TRUE(msg.known_method);
  EXPECT_TRUE(msg.session_guid);
}

TEST_P(DecodeRequestTest, UnknownFieldIdsAreKeptWithTheirValues) {
  // A Databricks-style extension field (high id) between known fields, written by hand.
  ProtocolWriter writer = make_writer(GetParam());
  auto& out = *writer.protocol;
  out.writeMessageBegin("ExecuteStatement", tp::T_CALL, 8);
  out.writeStructBegin("args");
  out.writeFieldBegin("req", tp::T_STRUCT, 1);
  out.writeStructBegin("TExecuteStatementReq");
  out.writeFieldBegin("sessionHandle", tp::T_STRUCT, 1);
  session_handle(guid_bytes(0x40)).write(&out);
  out.writeFieldEnd();
  out.writeFieldBegin("ext", tp::T_I64, 1281);
  out.writeI64(77);
  out.writeFieldEnd();
  out.writeFieldBegin("ext2", tp::T_LIST, 1282);
  out.writeListBegin(tp::T_STRING, 2);
  out.writeString("a");
  out.writeString("b");
  out.writeListEnd();
  out.writeFieldEnd();
  // statement (id 2) sent with the wrong wire type: a generated reader skips it, so do we.
  out.writeFieldBegin("statement", tp::T_I32, 2);
  out.writeI32(5);
  out.writeFieldEnd();
  out.writeFieldStop();
  out.writeStructEnd();
  out.writeFieldEnd();
  out.writeFieldStop();
  out.writeStructEnd();
  out.writeMessageEnd();

  const DecodedMessage msg = decode(writer.buffer->getBufferAsString());
  ASSERT_TRUE(msg.ok()) << *msg.error;
  EXPECT_EQ(msg.fields["field_1281"], 77);
  EXPECT_EQ(msg.fields["field_1282"], nlohmann::json({"a", "b"}));
  EXPECT_EQ(msg.fields["field_2"], 5);
  EXPECT_FALSE(msg.fields.contains("statement"));
  ASSERT_TRUE(msg.session_guid);
  EXPECT_EQ(msg.session_guid->text, "40414243-4445-4647-4849-4a4b4c4d4e4f");
}

TEST_P(DecodeRequestTest, LongStringsAreCutWithAMarker) {
  tcli::TCLIService_ExecuteStatement_args args;
  args.req.sessionHandle = session_handle(guid_bytes(0));
  args.req.statement = "SELECT '" + std::string(1000, 'x') + "'";
  const DecodedMessage msg = decode(encode(GetParam(), "ExecuteStatement", tp::T_CALL, 1, args));
  ASSERT_TRUE(msg.ok()) << *msg.error;
  const std::string statement = msg.fields["statement"];
  EXPECT_EQ(statement.substr(0, 200), args.req.statement.substr(0, 200));
  EXPECT_EQ(statement.substr(200), "...<cut, 1009 bytes total>");
}

TEST_P(DecodeRequestTest, TrailingBytesAreCountedNotFatal) {
  tcli::TCLIService_CloseSession_args args;
  args.req.sessionHandle = session_handle(guid_bytes(0x30));
  const DecodedMessage msg =
      decode(encode(GetParam(), "CloseSession", tp::T_CALL, 3, args) + "xyz");
  EXPECT_TRUE(msg.ok());
  EXPECT_EQ(msg.trailing_bytes, 3u);
}

INSTANTIATE_TEST_SUITE_P(AllProtocols, DecodeRequestTest, ::testing::ValuesIn(kAllProtocols),
                         [](const auto& info) {
                           std::string name(to_string(info.param));
                           std::erase(name, '-');
                           return name;
                         });

}  // namespace
}  // namespace adbcfault::thrift
