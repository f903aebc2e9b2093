#include "thrift/text.h"

#include <gtest/gtest.h>

namespace adbcfault::thrift {
namespace {

TEST(TextTest, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("OpenSession"));
  EXPECT_TRUE(is_valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("\xc3"));              // cut
  EXPECT_FALSE(is_valid_utf8("\xc0\x80"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
}

TEST(TextTest, CutKeepsUtf8Boundaries) {
  EXPECT_EQ(cut_text("abc", 3), "abc");
  EXPECT_EQ(cut_text("abcd", 3), "abc...<cut, 4 bytes total>");
  // "é" is two bytes: cutting at 2 would split it, so the cut backs up to 1.
  EXPECT_EQ(cut_text("a\xc3\xa9z", 2), "a...<cut, 4 bytes total>");
}

TEST(TextTest, JournalTextAndHex) {
  EXPECT_EQ(journal_text("plain"), "plain");
  EXPECT_EQ(journal_text("\xff\x01"), "<non-utf8 hex:ff01>");
  EXPECT_EQ(journal_hex(std::string("\x00\xab", 2)), "00ab");
  const std::string long_binary(150, '\x11');
  EXPECT_EQ(journal_hex(long_binary), std::string(200, '1') + "...<cut, 150 bytes total>");
}

}  // namespace
}  // namespace adbcfault::thrift
