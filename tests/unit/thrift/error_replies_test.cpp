// Error replies are read back the way a driver reads them: by the generated TCLIServiceClient.

#include "thrift/error_replies.h"

#include <gtest/gtest.h>
#include <thrift/TApplicationException.h>
#include <thrift/protocol/TProtocolException.h>

#include "thrift/schema.h"
#include "thrift_test_support.h"

namespace adbcfault::thrift {
namespace {

using namespace test;
using ::apache::thrift::TApplicationException;

class ErrorRepliesTest : public ::testing::TestWithParam<Protocol> {};

TEST_P(ErrorRepliesTest, StatusErrorReplyIsReadByTheGeneratedClient) {
  const auto reply = status_error_reply("ExecuteStatement", 17, GetParam(), StatusCode::kError,
                                        "injected by adbcfault", "42000", 1234);
  ASSERT_TRUE(reply);
  ReplyReader reader(*reply, GetParam());
  tcli::TExecuteStatementResp resp;
  reader.client->recv_ExecuteStatement(resp);
  EXPECT_EQ(resp.status.statusCode, tcli::TStatusCode::ERROR_STATUS);
  EXPECT_EQ(resp.status.errorMessage, "injected by adbcfault");
  EXPECT_EQ(resp.status.sqlState, "42000");
  EXPECT_EQ(resp.status.errorCode, 1234);
  EXPECT_FALSE(resp.__isset.operationHandle);

  const DecodedMessage msg = decode(*reply);
  ASSERT_TRUE(msg.ok()) << *msg.error;
  EXPECT_EQ(msg.protocol, GetParam());
  EXPECT_EQ(msg.type, MessageType::kReply);
  EXPECT_EQ(msg.method, "ExecuteStatement");
  EXPECT_EQ(msg.seqid, 17);
  EXPECT_EQ(msg.status_code_name, "ERROR_STATUS");
  EXPECT_EQ(msg.error_message, "injected by adbcfault");
  EXPECT_EQ(msg.sql_state, "42000");
  EXPECT_EQ(msg.error_code, 1234);
}

TEST_P(ErrorRepliesTest, OpenSessionErrorReplyHasItsRequiredFields) {
  const auto reply =
      status_error_reply("OpenSession", 1, GetParam(), StatusCode::kError, "session refused");
  ASSERT_TRUE(reply);
  ReplyReader reader(*reply, GetParam());
  tcli::TOpenSessionResp resp;
  // Strict generated readers throw on a missing required field (serverProtocolVersion).
  ASSERT_NO_THROW(reader.client->recv_OpenSession(resp));
  EXPECT_EQ(resp.status.statusCode, tcli::TStatusCode::ERROR_STATUS);
  EXPECT_EQ(resp.status.errorMessage, "session refused");
  EXPECT_FALSE(resp.status.__isset.sqlState);
  EXPECT_FALSE(resp.status.__isset.errorCode);
  EXPECT_EQ(resp.serverProtocolVersion, tcli::TProtocolVersion::HIVE_CLI_SERVICE_PROTOCOL_V10);
  EXPECT_FALSE(resp.__isset.sessionHandle);
}

TEST_P(ErrorRepliesTest, EveryIdlMethodHasAStatusReply) {
  for (const auto& [name, function] : tcli_schema().functions) {
    const auto reply = status_error_reply(name, 5, GetParam(), StatusCode::kInvalidHandle, "x");
    ASSERT_TRUE(reply) << name;
    const DecodedMessage msg = decode(*reply);
    EXPECT_TRUE(msg.ok()) << name;
    EXPECT_EQ(msg.method, name);
    EXPECT_EQ(msg.status_code_name, "INVALID_HANDLE_STATUS") << name;
  }
}

TEST_P(ErrorRepliesTest, FetchResultsInvalidHandleReadByClient) {
  const auto reply = status_error_reply("FetchResults", 3, GetParam(), StatusCode::kInvalidHandle,
                                        "Invalid OperationHandle");
  ASSERT_TRUE(reply);
  ReplyReader reader(*reply, GetParam());
  tcli::TFetchResultsResp resp;
  reader.client->recv_FetchResults(resp);
  EXPECT_EQ(resp.status.statusCode, tcli::TStatusCode::INVALID_HANDLE_STATUS);
  EXPECT_EQ(resp.status.errorMessage, "Invalid OperationHandle");
}

TEST_P(ErrorRepliesTest, UnknownMethodHasNoStatusReply) {
  EXPECT_FALSE(status_error_reply("GetCatalogs", 1, GetParam(), StatusCode::kError, "x"));
}

TEST_P(ErrorRepliesTest, MultiplexedNameIsKeptInTheReply) {
  const auto reply =
      status_error_reply("TCLIService:CloseSession", 2, GetParam(), StatusCode::kError, "x");
  ASSERT_TRUE(reply);
  EXPECT_EQ(decode(*reply).method, "TCLIService:CloseSession");
}

TEST_P(ErrorRepliesTest, ApplicationExceptionIsRaisedByTheGeneratedClient) {
  const std::string reply = application_exception_reply(
      "FetchResults", 23, GetParam(), ApplicationExceptionType::kInternalError, "injected");
  ReplyReader reader(reply, GetParam());
  tcli::TFetchResultsResp resp;
  try {
    reader.client->recv_FetchResults(resp);
    FAIL() << "no exception";
  } catch (const TApplicationException& e) {
    EXPECT_EQ(e.getType(), TApplicationException::INTERNAL_ERROR);
    EXPECT_STREQ(e.what(), "injected");
  }

  const DecodedMessage msg = decode(reply);
  ASSERT_TRUE(msg.ok()) << *msg.error;
  EXPECT_EQ(msg.type, MessageType::kException);
  EXPECT_EQ(msg.seqid, 23);
  EXPECT_EQ(msg.exception_type, 6);
  EXPECT_EQ(msg.error_message, "injected");
}

TEST_P(ErrorRepliesTest, ApplicationExceptionForAnyMethodName) {
  const std::string reply = application_exception_reply(
      "NoSuchMethod", 1, GetParam(), ApplicationExceptionType::kUnknownMethod, "unknown");
  const DecodedMessage msg = decode(reply);
  ASSERT_TRUE(msg.ok()) << *msg.error;
  EXPECT_EQ(msg.method, "NoSuchMethod");
  EXPECT_EQ(msg.exception_type, 1);
}

INSTANTIATE_TEST_SUITE_P(AllProtocols, ErrorRepliesTest, ::testing::ValuesIn(kAllProtocols),
                         [](const auto& info) {
                           std::string name(to_string(info.param));
                           std::erase(name, '-');
                           return name;
                         });

// The reply's protocol matches the call's: a strict reader rejects an old-style reply, which is
// why status_error_reply takes the protocol the call came in.
TEST(ErrorRepliesProtocolTest, OldStyleReplyIsOldStyle) {
  const auto reply =
      status_error_reply("CloseSession", 1, Protocol::kBinaryOld, StatusCode::kError, "x");
  ASSERT_TRUE(reply);
  EXPECT_EQ(decode(*reply).protocol, Protocol::kBinaryOld);
  ReplyReader strict(*reply, Protocol::kBinaryStrict);
  tcli::TCloseSessionResp resp;
  EXPECT_THROW(strict.client->recv_CloseSession(resp),
               ::apache::thrift::protocol::TProtocolException);
}

}  // namespace
}  // namespace adbcfault::thrift
