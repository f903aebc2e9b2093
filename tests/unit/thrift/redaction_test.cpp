#include "thrift/redaction.h"

#include <gtest/gtest.h>

#include "thrift_test_support.h"

namespace adbcfault::thrift {
namespace {

using namespace test;

TEST(RedactionTest, SecretNames) {
  for (const char* name :
       {"password", "Password", "access_token", "X-Databricks-Token", "client_secret",
        "Authorization", "proxy-authorization", "Set-Cookie", "TOKEN"}) {
    EXPECT_TRUE(is_secret_name(name)) << name;
  }
  for (const char* name : {"username", "configuration", "spark.sql.ansi", "statement", ""}) {
    EXPECT_FALSE(is_secret_name(name)) << name;
  }
}

class RedactionDecodeTest : public ::testing::TestWithParam<Protocol> {};

TEST_P(RedactionDecodeTest, CredentialsNeverReachTheJournal) {
  tcli::TCLIService_OpenSession_args args;
  args.req.client_protocol = tcli::TProtocolVersion::HIVE_CLI_SERVICE_PROTOCOL_V10;
  args.req.__set_username("token");  // a value that looks like a secret word is not a secret
  args.req.__set_password("hunter2-pw");
  args.req.__set_configuration({{"access_token", "dapi-AAAA"},
                                {"spark.databricks.Cookie", "session=BBBB"},
                                {"Authorization", "Bearer CCCC"},
                                {"client_secret", "DDDD"},
                                {"spark.sql.shuffle.partitions", "8"}});
  const DecodedMessage msg = decode(encode(GetParam(), "OpenSession", tp::T_CALL, 1, args));
  ASSERT_TRUE(msg.ok()) << *msg.error;
  EXPECT_EQ(msg.fields["password"], "<redacted>");
  EXPECT_EQ(msg.fields["username"], "token");
  const auto& config = msg.fields["configuration"];
  EXPECT_EQ(config["access_token"], "<redacted>");
  EXPECT_EQ(config["spark.databricks.Cookie"], "<redacted>");
  EXPECT_EQ(config["Authorization"], "<redacted>");
  EXPECT_EQ(config["client_secret"], "<redacted>");
  EXPECT_EQ(config["spark.sql.shuffle.partitions"], "8");
  const std::string journal = to_json(msg).dump();
  for (const char* secret : {"hunter2", "AAAA", "BBBB", "CCCC", "DDDD"}) {
    EXPECT_EQ(journal.find(secret), std::string::npos) << secret;
  }
}

TEST_P(RedactionDecodeTest, ConfOverlayAndHandleSecrets) {
  tcli::TCLIService_ExecuteStatement_args args;
  args.req.sessionHandle = session_handle(guid_bytes(0));
  args.req.statement = "SELECT 1";
  args.req.__set_confOverlay({{"spark.hadoop.fs.azure.account.oauth2.client.secret", "EEEE"}});
  const DecodedMessage msg = decode(encode(GetParam(), "ExecuteStatement", tp::T_CALL, 1, args));
  ASSERT_TRUE(msg.ok()) << *msg.error;
  const std::string journal = to_json(msg).dump();
  EXPECT_EQ(journal.find("EEEE"), std::string::npos);
  // The handle secret is "s3cr3t-handle-secret"; its hex must not appear either.
  EXPECT_EQ(msg.fields["sessionHandle"]["sessionId"]["secret"], "<redacted>");
  EXPECT_EQ(journal.find("73336372337"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(AllProtocols, RedactionDecodeTest, ::testing::ValuesIn(kAllProtocols),
                         [](const auto& info) {
                           std::string name(to_string(info.param));
                           std::erase(name, '-');
                           return name;
                         });

}  // namespace
}  // namespace adbcfault::thrift
