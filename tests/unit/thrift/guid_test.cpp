#include "thrift/guid.h"

#include <gtest/gtest.h>

#include <vector>

#include "thrift_test_support.h"

namespace adbcfault::thrift {
namespace {

using namespace test;

std::vector<uint8_t> sequence(uint8_t first, std::size_t size) {
  std::vector<uint8_t> out;
  for (std::size_t i = 0; i < size; ++i) out.push_back(static_cast<uint8_t>(first + i));
  return out;
}

TEST(GuidTest, SixteenBytesAreCanonicalLowercase) {
  const RenderedGuid guid = render_guid(sequence(0xf0, 16));
  EXPECT_EQ(guid.text, "f0f1f2f3-f4f5-f6f7-f8f9-fafbfcfdfeff");
  EXPECT_TRUE(guid.well_formed);
  EXPECT_EQ(guid.size, 16u);
}

TEST(GuidTest, NullBytesAreKeptNotTrimmed) {
  std::vector<uint8_t> bytes = {'o', 'p', '-', 'a', 'a', 'a', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(render_guid(bytes).text, "6f702d61-6161-0000-0000-000000000000");
}

TEST(GuidTest, ShortGuidIsHexAndFlaggedNeverPadded) {
  const RenderedGuid guid = render_guid(sequence(0x01, 5));
  EXPECT_EQ(guid.text, "0102030405");
  EXPECT_FALSE(guid.well_formed);
  EXPECT_EQ(guid.size, 5u);
}

TEST(GuidTest, LongGuidIsHexAndFlaggedNeverTruncated) {
  const RenderedGuid guid = render_guid(sequence(0x00, 36));
  EXPECT_EQ(guid.text.size(), 72u);
  EXPECT_EQ(guid.text, to_hex(sequence(0x00, 36)));
  EXPECT_EQ(guid.text.substr(64), "20212223");  // bytes 32..35: nothing after 16 is dropped
  EXPECT_FALSE(guid.well_formed);
}

TEST(GuidTest, EmptyGuidIsFlagged) {
  const RenderedGuid guid = render_guid({});
  EXPECT_EQ(guid.text, "");
  EXPECT_FALSE(guid.well_formed);
}

// The same rules through the decoder: the driver's bytes, exactly.
TEST(GuidTest, DecodedShortAndLongOperationGuids) {
  for (std::size_t size : {0u, 13u, 15u, 17u, 36u}) {
    tcli::TCLIService_FetchResults_args args;
    args.req.operationHandle = operation_handle(guid_bytes(0x41, size));
    const DecodedMessage msg =
        decode(encode(Protocol::kBinaryStrict, "FetchResults", tp::T_CALL, 1, args));
    ASSERT_TRUE(msg.ok()) << *msg.error;
    ASSERT_TRUE(msg.operation_guid);
    EXPECT_FALSE(msg.operation_guid->well_formed);
    EXPECT_EQ(msg.operation_guid->size, size);
    EXPECT_EQ(msg.operation_guid->text.size(), 2 * size);
  }
}

}  // namespace
}  // namespace adbcfault::thrift
