#include <gtest/gtest.h>

#include "action_test_support.h"

namespace adbcfault::fault {
namespace {

TEST(ThrottleAction, ThrottlesResponseByDefault) {
  auto plan = plan_for("throttle", {{"bytes_per_second", "65536"}});
  ASSERT_TRUE(plan.throttle);
  EXPECT_EQ(plan.throttle->bytes_per_second, 65536u);
  EXPECT_EQ(plan.throttle->direction, Direction::kServerToClient);
}

TEST(ThrottleAction, RequestDirection) {
  auto plan = plan_for("throttle", {{"bytes_per_second", "1"}, {"direction", "request"}});
  ASSERT_TRUE(plan.throttle);
  EXPECT_EQ(plan.throttle->bytes_per_second, 1u);
  EXPECT_EQ(plan.throttle->direction, Direction::kClientToServer);
}

TEST(ThrottleAction, RateMustBePositive) {
  EXPECT_EQ(plan_error("throttle", {{"bytes_per_second", "0"}}),
            "bytes_per_second: must be at least 1");
  EXPECT_EQ(plan_error("throttle", {}),
            "bytes_per_second: missing (required by action 'throttle')");
}

}  // namespace
}  // namespace adbcfault::fault
