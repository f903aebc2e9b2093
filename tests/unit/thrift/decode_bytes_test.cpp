// Messages written byte by byte from the protocol specs, independent of Thrift's own writers.

#include <gtest/gtest.h>

#include <vector>

#include "thrift_test_support.h"

namespace adbcfault::thrift {
namespace {

using Bytes = std::vector<uint8_t>;

void append(Bytes& out, std::string_view text) { out.insert(out.end(), text.begin(), text.end()); }

DecodedMessage decode_bytes(const Bytes& body) { return decode_message(body); }

const Bytes kGuid = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                     0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10};

// Strict binary FetchResults call, seqid 7.
Bytes strict_fetch_results() {
  Bytes b = {0x80, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0c};
  append(b, "FetchResults");
  b.insert(b.end(), {0x00, 0x00, 0x00, 0x07});
  b.insert(b.end(), {0x0c, 0x00, 0x01});                          // args.req: struct, id 1
  b.insert(b.end(), {0x0c, 0x00, 0x01});                          //  operationHandle: struct, id 1
  b.insert(b.end(), {0x0c, 0x00, 0x01});                          //   operationId: struct, id 1
  b.insert(b.end(), {0x0b, 0x00, 0x01, 0x00, 0x00, 0x00, 0x10});  // guid: binary, 16 bytes
  b.insert(b.end(), kGuid.begin(), kGuid.end());
  b.insert(b.end(), {0x0b, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 's', 'k'});  // secret
  b.push_back(0x00);                                                        //   stop
  b.insert(b.end(), {0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00});            //  operationType = 0
  b.insert(b.end(), {0x02, 0x00, 0x03, 0x01});                              //  hasResultSet = true
  b.push_back(0x00);                                                        //  stop
  b.insert(b.end(), {0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00});  // orientation = FETCH_NEXT
  b.insert(b.end(), {0x0a, 0x00, 0x03, 0, 0, 0, 0, 0, 0x01, 0x86, 0xa0});  // maxRows = 100000
  b.push_back(0x00);                                                       // req stop
  b.push_back(0x00);                                                       // args stop
  return b;
}

// Old-style binary (no version header) OpenSession call, seqid 1, with credentials.
Bytes old_binary_open_session() {
  Bytes b = {0x00, 0x00, 0x00, 0x0b};
  append(b, "OpenSession");
  b.insert(b.end(), {0x01, 0x00, 0x00, 0x00, 0x01});              // type call, seqid 1
  b.insert(b.end(), {0x0c, 0x00, 0x01});                          // args.req
  b.insert(b.end(), {0x08, 0x00, 0x01, 0x00, 0x00, 0xa5, 0x05});  // client_protocol 0xA505
  b.insert(b.end(), {0x0b, 0x00, 0x03, 0x00, 0x00, 0x00, 0x07});  // password
  append(b, "hunter2");
  b.insert(b.end(), {0x0d, 0x00, 0x04, 0x0b, 0x0b, 0x00, 0x00, 0x00, 0x02});  // configuration
  b.insert(b.end(), {0x00, 0x00, 0x00, 0x0c});
  append(b, "access_token");
  b.insert(b.end(), {0x00, 0x00, 0x00, 0x03});
  append(b, "abc");
  b.insert(b.end(), {0x00, 0x00, 0x00, 0x05});
  append(b, "queue");
  b.insert(b.end(), {0x00, 0x00, 0x00, 0x02});
  append(b, "q1");
  b.push_back(0x00);  // req stop
  b.push_back(0x00);  // args stop
  return b;
}

// Compact ExecuteStatement reply, seqid 7, ERROR_STATUS "boom" with an operation handle.
Bytes compact_execute_statement_reply() {
  Bytes b = {0x82, 0x41, 0x07, 0x10};  // protocol id, version 1 | reply << 5, seqid, name length
  append(b, "ExecuteStatement");
  b.insert(b.end(), {0x0c, 0x00});  // result.success: struct, id 0 (long form: delta 0)
  b.push_back(0x1c);                //  status: struct, delta 1
  b.insert(b.end(), {0x15, 0x06});  //   statusCode: i32, delta 1, zigzag(3)
  b.insert(b.end(), {0x48, 0x04});  //   errorMessage: binary, delta 4, length 4
  append(b, "boom");
  b.push_back(0x00);                //   stop
  b.push_back(0x1c);                //  operationHandle: struct, delta 1
  b.push_back(0x1c);                //   operationId: struct, delta 1
  b.insert(b.end(), {0x18, 0x10});  //    guid: binary, delta 1, 16 bytes
  b.insert(b.end(), kGuid.begin(), kGuid.end());
  b.insert(b.end(), {0x18, 0x02, 'x', 'x'});  // secret
  b.push_back(0x00);                          //    stop
  b.insert(b.end(), {0x15, 0x00});            //   operationType: i32 0
  b.push_back(0x11);                          //   hasResultSet: bool true, delta 1
  b.push_back(0x00);                          //   stop
  b.push_back(0x00);                          //  stop
  b.push_back(0x00);                          // result stop
  return b;
}

TEST(DecodeBytesTest, StrictBinaryFetchResults) {
  const DecodedMessage msg = decode_bytes(strict_fetch_results());
  ASSERT_TRUE(msg.ok()) << *msg.error;
  EXPECT_EQ(msg.protocol, Protocol::kBinaryStrict);
  EXPECT_EQ(msg.type, MessageType::kCall);
  EXPECT_EQ(msg.method, "FetchResults");
  EXPECT_EQ(msg.seqid, 7);
  ASSERT_TRUE(msg.operation_guid);
  EXPECT_EQ(msg.operation_guid->text, "01234567-89ab-cdef-fedc-ba9876543210");
  EXPECT_EQ(msg.fields["maxRows"], 100000);
  EXPECT_EQ(msg.fields["operationHandle"]["operationId"]["secret"], "<redacted>");
}

TEST(DecodeBytesTest, OldStyleBinaryOpenSessionIsRedacted) {
  const DecodedMessage msg = decode_bytes(old_binary_open_session());
  ASSERT_TRUE(msg.ok()) << *msg.error;
  EXPECT_EQ(msg.protocol, Protocol::kBinaryOld);
  EXPECT_EQ(msg.method, "OpenSession");
  EXPECT_EQ(msg.seqid, 1);
  EXPECT_EQ(msg.fields["client_protocol"], 0xa505);
  EXPECT_EQ(msg.fields["password"], "<redacted>");
  EXPECT_EQ(msg.fields["configuration"]["access_token"], "<redacted>");
  EXPECT_EQ(msg.fields["configuration"]["queue"], "q1");
  const std::string journal = to_json(msg).dump();
  EXPECT_EQ(journal.find("hunter2"), std::string::npos);
  EXPECT_EQ(journal.find("\"abc\""), std::string::npos);
}

TEST(DecodeBytesTest, CompactExecuteStatementReply) {
  const DecodedMessage msg = decode_bytes(compact_execute_statement_reply());
  ASSERT_TRUE(msg.ok()) << *msg.error;
  EXPECT_EQ(msg.protocol, Protocol::kCompact);
  EXPECT_EQ(msg.type, MessageType::kReply);
  EXPECT_EQ(msg.seqid, 7);
  EXPECT_EQ(msg.status_code, 3);
  EXPECT_EQ(msg.status_code_name, "ERROR_STATUS");
  EXPECT_EQ(msg.error_message, "boom");
  ASSERT_TRUE(msg.operation_guid);
  EXPECT_EQ(msg.operation_guid->text, "01234567-89ab-cdef-fedc-ba9876543210");
  EXPECT_EQ(msg.fields["operationHandle"]["hasResultSet"], true);
}

// Every proper prefix of a valid message is malformed: decoding must report it, keep what it
// had, and never crash (run under ASan/valgrind in CI for the "never" part).
TEST(DecodeBytesTest, EveryPrefixOfEveryHandWrittenMessageIsAnError) {
  for (const Bytes& full :
       {strict_fetch_results(), old_binary_open_session(), compact_execute_statement_reply()}) {
    for (std::size_t length = 0; length < full.size(); ++length) {
      const Bytes prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(length));
      const DecodedMessage msg = decode_bytes(prefix);
      ASSERT_FALSE(msg.ok()) << "prefix of " << length << " bytes decoded as complete";
      if (msg.error_offset) {
        EXPECT_LE(*msg.error_offset, length);
      }
      (void)to_json(msg).dump();  // always serialisable (valid UTF-8)
    }
  }
}

TEST(DecodeBytesTest, TruncationKeepsWhatWasDecoded) {
  Bytes body = strict_fetch_results();
  body.resize(body.size() - 5);  // cut inside maxRows
  const DecodedMessage msg = decode_bytes(body);
  ASSERT_FALSE(msg.ok());
  EXPECT_NE(msg.error->find("truncated"), std::string::npos) << *msg.error;
  EXPECT_EQ(msg.method, "FetchResults");
  ASSERT_TRUE(msg.operation_guid);
  EXPECT_EQ(msg.operation_guid->text, "01234567-89ab-cdef-fedc-ba9876543210");
  EXPECT_EQ(msg.fields["orientation"], "FETCH_NEXT");
}

}  // namespace
}  // namespace adbcfault::thrift
