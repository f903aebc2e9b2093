// Replies built with the generated classes, in every protocol.

#include <gtest/gtest.h>
#include <thrift/TApplicationException.h>

#include "alloc_counter.h"
#include "thrift/schema.h"
#include "thrift_test_support.h"

namespace adbcfault::thrift {
namespace {

using namespace test;

class DecodeReplyTest : public ::testing::TestWithParam<Protocol> {};

TEST_P(DecodeReplyTest, OpenSessionReplyCarriesNewSessionGuid) {
  tcli::TCLIService_OpenSession_result result;
  result.success.status = success_status();
  result.success.serverProtocolVersion = tcli::TProtocolVersion::HIVE_CLI_SERVICE_PROTOCOL_V10;
  result.success.__set_sessionHandle(session_handle(guid_bytes(0x50)));
  result.__isset.success = true;
  const DecodedMessage msg = decode(encode(GetParam(), "OpenSession", tp::T_REPLY, 41, result));

  ASSERT_TRUE(msg.ok()) << *msg.error;
  EXPECT_EQ(msg.type, MessageType::kReply);
  EXPECT_EQ(msg.seqid, 41);
  ASSERT_TRUE(msg.session_guid);
  EXPECT_EQ(msg.session_guid->text, "50515253-5455-5657-5859-5a5b5c5d5e5f");
  EXPECT_EQ(msg.status_code, 0);
  EXPECT_EQ(msg.status_code_name, "SUCCESS_STATUS");
  EXPECT_FALSE(msg.error_message);
  EXPECT_EQ(msg.fields["serverProtocolVersion"], "HIVE_CLI_SERVICE_PROTOCOL_V10");
  EXPECT_EQ(msg.fields["status"]["statusCode"], "SUCCESS_STATUS");
  // The handle's secret is a credential for the session.
  EXPECT_EQ(msg.fields["sessionHandle"]["sessionId"]["secret"], "<redacted>");
}

TEST_P(DecodeReplyTest, ExecuteStatementReplyCarriesNewOperationGuid) {
  tcli::TCLIService_ExecuteStatement_result result;
  result.success.status = success_status();
  result.success.__set_operationHandle(operation_handle(guid_bytes(0x60)));
  result.__isset.success = true;
  const DecodedMessage msg = decode(encode(GetParam(), "ExecuteStatement", tp::T_REPLY, 2, result));

  ASSERT_TRUE(msg.ok()) << *msg.error;
  ASSERT_TRUE(msg.operation_guid);
  EXPECT_EQ(msg.operation_guid->text, "60616263-6465-6667-6869-6a6b6c6d6e6f");
  EXPECT_FALSE(msg.session_guid);
  EXPECT_EQ(msg.status_code_name, "SUCCESS_STATUS");
}

TEST_P(DecodeReplyTest, FetchResultsErrorReplyCarriesStatusAndMessage) {
  tcli::TCLIService_FetchResults_result result;
  result.success.status.statusCode = tcli::TStatusCode::ERROR_STATUS;
  result.success.status.__set_errorMessage("Operation handle expired");
  result.success.status.__set_sqlState("HY000");
  result.success.status.__set_errorCode(500051);
  result.success.status.__set_infoMessages({"*java.lang.Exception:1:0"});
  result.success.__set_hasMoreRows(false);
  tcli::TRowSet rows;
  rows.startRowOffset = 10;
  rows.rows.resize(3);
  result.success.__set_results(rows);
  result.__isset.success = true;
  const DecodedMessage msg = decode(encode(GetParam(), "FetchResults", tp::T_REPLY, 4, result));

  ASSERT_TRUE(msg.ok()) << *msg.error;
  EXPECT_EQ(msg.status_code, 3);
  EXPECT_EQ(msg.status_code_name, "ERROR_STATUS");
  EXPECT_EQ(msg.error_message, "Operation handle expired");
  EXPECT_EQ(msg.sql_state, "HY000");
  EXPECT_EQ(msg.error_code, 500051);
  EXPECT_EQ(msg.fields["hasMoreRows"], false);
  EXPECT_EQ(msg.fields["results"]["startRowOffset"], 10);
  EXPECT_EQ(msg.fields["results"]["rows"].size(), 3u);
  EXPECT_EQ(msg.fields["status"]["infoMessages"][0], "*java.lang.Exception:1:0");
}

TEST_P(DecodeReplyTest, GetOperationStatusReplyNamesTheState) {
  tcli::TCLIService_GetOperationStatus_result result;
  result.success.status = success_status();
  result.success.__set_operationState(tcli::TOperationState::FINISHED_STATE);
  result.__isset.success = true;
  const DecodedMessage msg =
      decode(encode(GetParam(), "GetOperationStatus", tp::T_REPLY, 4, result));
  ASSERT_TRUE(msg.ok()) << *msg.error;
  EXPECT_EQ(msg.fields["operationState"], "FINISHED_STATE");
}

TEST_P(DecodeReplyTest, ExceptionMessageCarriesTypeAndMessage) {
  ProtocolWriter writer = make_writer(GetParam());
  writer.protocol->writeMessageBegin("FetchResults", tp::T_EXCEPTION, 4);
  ::apache::thrift::TApplicationException(::apache::thrift::TApplicationException::INTERNAL_ERROR,
                                          "server fell over")
      .write(writer.protocol.get());
  writer.protocol->writeMessageEnd();
  const DecodedMessage msg = decode(writer.buffer->getBufferAsString());

  ASSERT_TRUE(msg.ok()) << *msg.error;
  EXPECT_EQ(msg.type, MessageType::kException);
  EXPECT_EQ(msg.method, "FetchResults");
  EXPECT_EQ(msg.exception_type, 6);
  EXPECT_EQ(msg.error_message, "server fell over");
  EXPECT_FALSE(msg.status_code);
  EXPECT_EQ(msg.fields["message"], "server fell over");
  EXPECT_EQ(msg.fields["type"], 6);
}

TEST_P(DecodeReplyTest, ToJsonHasTheJournalFields) {
  tcli::TCLIService_ExecuteStatement_result result;
  result.success.status = success_status();
  result.success.__set_operationHandle(operation_handle(guid_bytes(0x60, 15)));
  result.__isset.success = true;
  const nlohmann::json out =
      to_json(decode(encode(GetParam(), "ExecuteStatement", tp::T_REPLY, 2, result)));
  EXPECT_EQ(out["method"], "ExecuteStatement");
  EXPECT_EQ(out["type"], "reply");
  EXPECT_EQ(out["status"], "SUCCESS_STATUS");
  EXPECT_EQ(out["operation_guid"], "606162636465666768696a6b6c6d6e");
  EXPECT_EQ(out["operation_guid_note"], "15 bytes, expected 16");
  EXPECT_FALSE(out.contains("error"));
}

TEST_P(DecodeReplyTest, LongListsAreSummarisedAndMemoryStaysBounded) {
  tcli::TCLIService_FetchResults_result result;
  result.success.status = success_status();
  result.success.status.__set_infoMessages(std::vector<std::string>(20000, "warning"));
  tcli::TRowSet rows;
  rows.rows.resize(50000);
  result.success.__set_results(rows);
  result.__isset.success = true;
  const std::string body = encode(GetParam(), "FetchResults", tp::T_REPLY, 4, result);

  (void)tcli_schema();
  start_counting_allocations();
  const DecodedMessage msg = decode(body);
  const std::size_t peak = peak_allocated_bytes();
  ASSERT_TRUE(msg.ok()) << *msg.error;
  const auto& info = msg.fields["status"]["infoMessages"];
  ASSERT_EQ(info.size(), 101u);
  EXPECT_EQ(info[100], "...<19900 more elements>");
  EXPECT_EQ(msg.fields["results"]["rows"][100], "...<49900 more elements>");
  EXPECT_LE(peak, 64 * 1024 + 4 * body.size()) << "peak " << peak << " for " << body.size();
}

INSTANTIATE_TEST_SUITE_P(AllProtocols, DecodeReplyTest, ::testing::ValuesIn(kAllProtocols),
                         [](const auto& info) {
                           std::string name(to_string(info.param));
                           std::erase(name, '-');
                           return name;
                         });

}  // namespace
}  // namespace adbcfault::thrift
