// The one pattern rule shared by scenario matches and the TLS interception policy.

#include "common/glob.h"

#include <gtest/gtest.h>

#include <string>

namespace adbcfault {
namespace {

TEST(Glob, StarMatchesAnyRunIncludingDots) {
  EXPECT_TRUE(glob_matches("*.amazonaws.com", "b.s3.us-west-2.amazonaws.com"));
  EXPECT_TRUE(glob_matches("*", "anything.at.all"));
  EXPECT_TRUE(glob_matches("*", ""));
  EXPECT_TRUE(glob_matches("a*b*c", "a.x.b.y.c"));
  EXPECT_TRUE(glob_matches("a*b*c", "aXXbYYbZc"));
  EXPECT_TRUE(glob_matches("*s3*", "s3"));
  EXPECT_TRUE(glob_matches("db-*-prod.example.com", "db-eu-west-prod.example.com"));
  EXPECT_FALSE(glob_matches("db-*-prod.example.com", "db-eu-west-prod.example.org"));
  EXPECT_FALSE(glob_matches("a*b*c", "a.x.b.y"));
}

TEST(Glob, CaseDoesNotMatterButEveryCharacterDoes) {
  EXPECT_TRUE(glob_matches("exact.example.com", "EXACT.example.COM"));
  EXPECT_TRUE(glob_matches("*.example.com", "a.b.Example.COM"));
  EXPECT_FALSE(glob_matches("*.example.com", "example.com"));
  EXPECT_FALSE(glob_matches("example.com", "example.com.evil"));
  EXPECT_FALSE(glob_matches("exact.host", "exact.hostx"));
  EXPECT_FALSE(glob_matches("", "a"));
}

TEST(Glob, PathologicalBacktrackingStaysCheap) {
  EXPECT_FALSE(glob_matches("*a*a*a*a*a*a*b", std::string(255, 'a')));
}

}  // namespace
}  // namespace adbcfault
