#include <gtest/gtest.h>

#include "action_test_support.h"

namespace adbcfault::fault {
namespace {

TEST(CloseAction, ClosesAfterResponseBytes) {
  auto plan = plan_for("close", {{"after_bytes", "1024"}});
  ASSERT_TRUE(plan.close_after_response_bytes);
  EXPECT_EQ(*plan.close_after_response_bytes, 1024u);
  EXPECT_FALSE(plan.reset_after);
  EXPECT_FALSE(plan.reset_on_accept);
  EXPECT_EQ(plan.action, "close");
}

TEST(CloseAction, ZeroBytesIsAnImmediateFinNotAnEmptyPlan) {
  auto plan = plan_for("close", {{"after_bytes", "0"}});
  EXPECT_FALSE(plan.empty());
  EXPECT_EQ(plan.close_after_response_bytes, 0u);
}

TEST(CloseAction, AfterBytesIsRequired) {
  EXPECT_EQ(plan_error("close", {}), "after_bytes: missing (required by action 'close')");
}

}  // namespace
}  // namespace adbcfault::fault
