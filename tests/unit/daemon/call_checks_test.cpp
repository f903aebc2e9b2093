#include "daemon/call_checks.h"

#include <gtest/gtest.h>

namespace adbcfault::daemon {
namespace {

journal::CallEntry call(uint64_t id, std::string method, std::string operation_guid = "") {
  journal::CallEntry e;
  e.id = id;
  e.thrift_method = std::move(method);
  e.http_method = "POST";
  e.operation_guid = std::move(operation_guid);
  return e;
}

const std::string kGuidA = "01234567-89ab-cdef-0123-456789abcdef";
const std::string kGuidB = "fedcba98-7654-3210-fedc-ba9876543210";

TEST(CallChecks, ExactSequence) {
  std::vector<journal::CallEntry> calls = {call(1, "OpenSession"), call(2, "CloseSession")};
  EXPECT_FALSE(check_exact_sequence(calls, {"OpenSession", "CloseSession"}));
  auto failure = check_exact_sequence(calls, {"OpenSession"});
  ASSERT_TRUE(failure);
  EXPECT_NE(failure->find("saw OpenSession,CloseSession"), std::string::npos);
}

TEST(CallChecks, ContainsSequenceAllowsCallsBetween) {
  std::vector<journal::CallEntry> calls = {call(1, "OpenSession"), call(2, "GetInfo"),
                                           call(3, "ExecuteStatement"), call(4, "CloseSession")};
  EXPECT_FALSE(check_contains_sequence(calls, {"OpenSession", "CloseSession"}));
  auto failure = check_contains_sequence(calls, {"CloseSession", "OpenSession"});
  ASSERT_TRUE(failure);
  EXPECT_NE(failure->find("first missing: OpenSession"), std::string::npos);
}

TEST(CallChecks, CountAndExists) {
  std::vector<journal::CallEntry> calls = {call(1, "OpenSession"), call(2, "OpenSession")};
  EXPECT_FALSE(check_count(calls, "OpenSession", 2));
  EXPECT_NE(check_count(calls, "OpenSession", 1)->find("expected 1 OpenSession call(s), saw 2"),
            std::string::npos);
  EXPECT_FALSE(check_exists(calls, "OpenSession"));
  EXPECT_TRUE(check_exists(calls, "FetchResults"));
}

TEST(CallChecks, SameOperationPassesOnARealRetry) {
  std::vector<journal::CallEntry> calls = {call(1, "FetchResults", kGuidB), call(5, "FetchResults", kGuidA),
                                           call(9, "FetchResults", kGuidA)};
  EXPECT_FALSE(check_same_operation(calls, "FetchResults", 2));
}

TEST(CallChecks, DifferentOperationsExplainThemselvesCallByCall) {
  std::vector<journal::CallEntry> calls = {call(5, "FetchResults", kGuidA), call(9, "FetchResults", kGuidB)};
  auto failure = check_same_operation(calls, "FetchResults", 2);
  ASSERT_TRUE(failure);
  EXPECT_NE(failure->find("DIFFERENT operation handles"), std::string::npos);
  EXPECT_NE(failure->find("First Call (journal id 5)"), std::string::npos);
  EXPECT_NE(failure->find("Second Call (journal id 9)"), std::string::npos);
  EXPECT_NE(failure->find("Operation GUID: '" + kGuidB + "'"), std::string::npos);
  EXPECT_NE(failure->find("GUID length: 36 chars"), std::string::npos);
  EXPECT_NE(failure->find("GUID is empty: False"), std::string::npos);
}

TEST(CallChecks, EmptyGuidIsCalledOut) {
  std::vector<journal::CallEntry> calls = {call(1, "FetchResults", ""), call(2, "FetchResults", "")};
  auto failure = check_same_operation(calls, "FetchResults", 2);
  ASSERT_TRUE(failure);
  EXPECT_NE(failure->find("EMPTY operation handle"), std::string::npos);
  EXPECT_NE(failure->find("GUID is empty: True"), std::string::npos);
}

TEST(CallChecks, TooFewCallsToCompare) {
  auto failure = check_same_operation({call(1, "FetchResults", kGuidA)}, "FetchResults", 2);
  ASSERT_TRUE(failure);
  EXPECT_NE(failure->find("expected at least 2 FetchResults calls to compare, saw 1"), std::string::npos);
}

TEST(CallChecks, RestCallsAreFoundByHttpMethod) {
  journal::CallEntry rest;
  rest.http_method = "GET";
  EXPECT_EQ(method_of(rest), "GET");
  EXPECT_EQ(method_of(call(1, "OpenSession")), "OpenSession");
}

}  // namespace
}  // namespace adbcfault::daemon
