// Hostile and broken bodies: every one must set error, keep what was decoded, stay within a
// small multiple of its own size in memory, and never crash or throw.

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <vector>

#include "alloc_counter.h"
#include "thrift/schema.h"
#include "thrift_test_support.h"

namespace adbcfault::thrift {
namespace {

using namespace test;
using Bytes = std::vector<uint8_t>;

void append(Bytes& out, std::string_view text) { out.insert(out.end(), text.begin(), text.end()); }

// Strict binary call header for method, seqid 1.
Bytes strict_call(std::string_view method) {
  Bytes b = {0x80, 0x01, 0x00, 0x01, 0, 0, 0, static_cast<uint8_t>(method.size())};
  append(b, method);
  b.insert(b.end(), {0, 0, 0, 1});
  return b;
}

// Decodes body, requiring an error and bounded memory; returns the message for more checks.
DecodedMessage decode_hostile(const Bytes& body) {
  (void)tcli_schema();  // the schema is parsed once per process; not part of the measurement
  start_counting_allocations();
  DecodedMessage msg = decode_message(body);
  const std::size_t peak = peak_allocated_bytes();
  EXPECT_FALSE(msg.ok()) << "decoded without error";
  // Fixed overhead (protocol objects, JSON nodes) plus a small factor of the body.
  EXPECT_LE(peak, 4096 + 32 * body.size()) << "peak " << peak << " for " << body.size();
  (void)to_json(msg).dump();
  return msg;
}

TEST(MalformedTest, AllocationCounterSeesAllocations) {
  start_counting_allocations();
  auto block = std::make_unique<char[]>(1 << 20);
  block[0] = 1;
  EXPECT_GE(peak_allocated_bytes(), 1u << 20);
}

TEST(MalformedTest, EmptyAndTinyBodies) {
  EXPECT_EQ(*decode_hostile({}).error, "empty body");
  EXPECT_EQ(decode_hostile({0x80}).protocol, Protocol::kUnknown);
  EXPECT_EQ(decode_hostile({0x82}).protocol, Protocol::kCompact);
  EXPECT_NE(decode_hostile({0xff, 0xff, 0xff, 0xff, 0}).error->find("not a Thrift message"),
            std::string::npos);
}

TEST(MalformedTest, MethodNameClaiming2GiB) {
  const DecodedMessage strict =
      decode_hostile({0x80, 0x01, 0x00, 0x01, 0x7f, 0xff, 0xff, 0xff, 'a'});
  EXPECT_EQ(*strict.error, "size larger than the body at byte 8");
  EXPECT_EQ(strict.type, MessageType::kCall);  // from the header, before the name failed

  const DecodedMessage old = decode_hostile({0x7f, 0xff, 0xff, 0xff, 'a', 'b'});
  EXPECT_EQ(old.protocol, Protocol::kBinaryOld);
  EXPECT_EQ(*old.error, "size larger than the body at byte 4");

  // compact: id, version|call, seqid 1, name length varint 0x7fffffff
  const DecodedMessage compact = decode_hostile({0x82, 0x21, 0x01, 0xff, 0xff, 0xff, 0xff, 0x07});
  EXPECT_EQ(compact.protocol, Protocol::kCompact);
  EXPECT_NE(compact.error->find("size larger than the body"), std::string::npos);
}

TEST(MalformedTest, StringFieldClaiming2GiB) {
  Bytes b = strict_call("ExecuteStatement");
  b.insert(b.end(), {0x0c, 0x00, 0x01});                          // req
  b.insert(b.end(), {0x0b, 0x00, 0x02, 0x7f, 0xff, 0xff, 0xff});  // statement, 2 GiB
  append(b, "SELECT");
  const DecodedMessage msg = decode_hostile(b);
  EXPECT_EQ(msg.method, "ExecuteStatement");
  EXPECT_NE(msg.error->find("size larger than the body"), std::string::npos) << *msg.error;
  EXPECT_EQ(msg.error_offset, b.size() - 6);
}

TEST(MalformedTest, NegativeStringLength) {
  Bytes b = strict_call("ExecuteStatement");
  b.insert(b.end(), {0x0c, 0x00, 0x01, 0x0b, 0x00, 0x02, 0xff, 0xff, 0xff, 0xfe, 0, 0});
  EXPECT_NE(decode_hostile(b).error->find("negative size"), std::string::npos);
}

TEST(MalformedTest, ContainersClaimingBillionsOfElements) {
  for (uint8_t elem : {0x08 /*i32*/, 0x0c /*struct*/, 0x02 /*bool*/}) {
    Bytes list = strict_call("Anything");
    list.insert(list.end(), {0x0f, 0x00, 0x01, elem, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0});
    EXPECT_FALSE(decode_hostile(list).ok());
  }
  Bytes map = strict_call("OpenSession");
  map.insert(map.end(), {0x0c, 0x00, 0x01, 0x0d, 0x00, 0x04, 0x0b, 0x0b, 0x40, 0, 0, 0, 0, 0, 0});
  EXPECT_NE(decode_hostile(map).error->find("size"), std::string::npos);

  // compact list<i32> header with the long size form: 0xf5 then varint 0x7fffffff.
  Bytes compact = {0x82, 0x21, 0x01, 0x01, 'x', 0x19, 0xf5, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00};
  EXPECT_FALSE(decode_hostile(compact).ok());
}

TEST(MalformedTest, ElementsThatTakeNoBytesAreRejected) {
  // T_STOP "elements" would each consume no input: a billion of them, each passing the size
  // check against the remaining bytes (minimum size 0), would spin without end.
  Bytes b = strict_call("Anything");
  b.insert(b.end(), {0x0f, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00});
  EXPECT_NE(decode_hostile(b).error->find("invalid element type 0"), std::string::npos);
}

TEST(MalformedTest, InvalidFieldType) {
  Bytes b = strict_call("OpenSession");
  b.insert(b.end(), {0x1f, 0x00, 0x01, 0x00});
  EXPECT_NE(decode_hostile(b).error->find("invalid field type 31"), std::string::npos);
}

TEST(MalformedTest, StructsNestedDeeperThan64) {
  Bytes b = strict_call("FetchResults");
  for (int i = 0; i < 100; ++i) b.insert(b.end(), {0x0c, 0x00, 0x01});
  b.insert(b.end(), 101, 0x00);
  const DecodedMessage msg = decode_hostile(b);
  EXPECT_NE(msg.error->find("nesting deeper than 64"), std::string::npos) << *msg.error;
  EXPECT_EQ(msg.method, "FetchResults");
}

TEST(MalformedTest, ListsNestedDeeperThan64) {
  Bytes b = strict_call("Anything");
  b.insert(b.end(), {0x0f, 0x00, 0x01});
  for (int i = 0; i < 100; ++i) b.insert(b.end(), {0x0f, 0x00, 0x00, 0x00, 0x01});
  b.insert(b.end(), {0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
  EXPECT_NE(decode_hostile(b).error->find("nesting deeper than 64"), std::string::npos);
}

TEST(MalformedTest, MethodNameThatIsNotUtf8) {
  Bytes strict = {0x80, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0xff, 0xfe, 0, 0, 0, 1, 0};
  const DecodedMessage msg = decode_hostile(strict);
  EXPECT_EQ(*msg.error, "method name is not valid UTF-8 at byte 8");
  EXPECT_EQ(msg.method, "");
  EXPECT_EQ(msg.seqid, 1);

  Bytes old = {0x00, 0x00, 0x00, 0x02, 0xc0, 0x80, 0x01, 0, 0, 0, 1, 0};  // overlong NUL
  EXPECT_EQ(*decode_hostile(old).error, "method name is not valid UTF-8 at byte 4");

  Bytes compact = {0x82, 0x21, 0x01, 0x02, 0xed, 0xa0, 0x00};  // truncated surrogate
  EXPECT_NE(decode_hostile(compact).error->find("not valid UTF-8"), std::string::npos);
}

TEST(MalformedTest, UnknownMessageTypeAndBadVersion) {
  Bytes type7 = {0x80, 0x01, 0x00, 0x07, 0, 0, 0, 1, 'x', 0, 0, 0, 1, 0};
  const DecodedMessage msg = decode_hostile(type7);
  EXPECT_EQ(*msg.error, "unknown message type 7");
  EXPECT_EQ(msg.method, "x");
  Bytes compact_v2 = {0x82, 0x22, 0x01, 0x01, 'x', 0x00};
  EXPECT_FALSE(decode_hostile(compact_v2).ok());
}

// Every prefix of generated messages in every protocol, requests and replies.
TEST(MalformedTest, EveryPrefixOfGeneratedMessagesIsAnError) {
  for (Protocol protocol : kAllProtocols) {
    tcli::TCLIService_OpenSession_args open;
    open.req.__set_password("pw");
    open.req.__set_configuration({{"a", "b"}, {"access_token", "t"}});
    tcli::TCLIService_FetchResults_result fetch;
    fetch.success.status.__set_errorMessage("nope");
    fetch.success.__set_hasMoreRows(true);
    fetch.success.__set_results(tcli::TRowSet{});
    fetch.__isset.success = true;
    for (const std::string& full : {encode(protocol, "OpenSession", tp::T_CALL, 300, open),
                                    encode(protocol, "FetchResults", tp::T_REPLY, 300, fetch)}) {
      for (std::size_t length = 0; length < full.size(); ++length) {
        const DecodedMessage msg = decode(full.substr(0, length));
        ASSERT_FALSE(msg.ok()) << to_string(protocol) << " prefix " << length;
        (void)to_json(msg).dump();
      }
      EXPECT_TRUE(decode(full).ok());
    }
  }
}

// Seeded random corruption of valid messages: a cheap stand-in for the fuzz target.
TEST(MalformedTest, RandomCorruptionNeverCrashes) {
  std::mt19937 random(20240601);
  tcli::TCLIService_ExecuteStatement_args args;
  args.req.sessionHandle = session_handle(guid_bytes(1));
  args.req.statement = "SELECT * FROM t";
  args.req.__set_confOverlay({{"k", "v"}});
  for (Protocol protocol : kAllProtocols) {
    const std::string valid = encode(protocol, "ExecuteStatement", tp::T_CALL, 1, args);
    for (int round = 0; round < 3000; ++round) {
      std::string body = valid;
      const int flips = 1 + static_cast<int>(random() % 4);
      for (int i = 0; i < flips; ++i) {
        body[random() % body.size()] = static_cast<char>(random() & 0xff);
      }
      const DecodedMessage msg = decode(body);
      (void)to_json(msg).dump();
    }
  }
}

}  // namespace
}  // namespace adbcfault::thrift
