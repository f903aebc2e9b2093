#include <gtest/gtest.h>

#include "action_test_support.h"

namespace adbcfault::fault {
namespace {

TEST(ResetAction, WithoutAfterBytesResetsOnAccept) {
  auto plan = plan_for("reset");
  EXPECT_TRUE(plan.reset_on_accept);
  EXPECT_FALSE(plan.reset_after);
  EXPECT_EQ(plan.scenario, "test_scenario");
  EXPECT_EQ(plan.action, "reset");
}

TEST(ResetAction, AfterBytesCountsResponseByDefault) {
  auto plan = plan_for("reset", {{"after_bytes", "65536"}});
  EXPECT_FALSE(plan.reset_on_accept);
  ASSERT_TRUE(plan.reset_after);
  EXPECT_EQ(plan.reset_after->bytes, 65536u);
  EXPECT_EQ(plan.reset_after->direction, Direction::kServerToClient);
}

TEST(ResetAction, RequestDirection) {
  auto plan = plan_for("reset", {{"after_bytes", "0"}, {"direction", "request"}});
  ASSERT_TRUE(plan.reset_after);
  EXPECT_EQ(plan.reset_after->bytes, 0u);
  EXPECT_EQ(plan.reset_after->direction, Direction::kClientToServer);
}

TEST(ResetAction, RefusesBadValues) {
  EXPECT_EQ(plan_error("reset", {{"after_bytes", "-1"}}),
            "after_bytes: must be a non-negative integer");
  EXPECT_EQ(plan_error("reset", {{"direction", "sideways"}}),
            "direction: must be one of: response, request");
}

}  // namespace
}  // namespace adbcfault::fault
