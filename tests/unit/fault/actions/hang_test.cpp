#include <gtest/gtest.h>

#include "action_test_support.h"

namespace adbcfault::fault {
namespace {

TEST(HangAction, WithoutDurationHoldsUntilDisabled) {
  auto plan = plan_for("hang");
  ASSERT_TRUE(plan.hang);
  EXPECT_FALSE(plan.hang->duration);
  EXPECT_EQ(plan.hang->end, HangEnd::kHold);
}

TEST(HangAction, WithDurationClosesByDefault) {
  auto plan = plan_for("hang", {{"duration_seconds", "30"}});
  ASSERT_TRUE(plan.hang);
  EXPECT_EQ(plan.hang->duration, std::chrono::milliseconds(30000));
  EXPECT_EQ(plan.hang->end, HangEnd::kClose);
}

TEST(HangAction, ThenReset) {
  auto plan = plan_for("hang", {{"duration_seconds", "5"}, {"then", "reset"}});
  ASSERT_TRUE(plan.hang);
  EXPECT_EQ(plan.hang->end, HangEnd::kReset);
}

TEST(HangAction, HoldCannotFollowADuration) {
  EXPECT_EQ(plan_error("hang", {{"duration_seconds", "5"}, {"then", "hold"}}),
            "then: 'hold' lasts until the scenario is disabled, so it cannot follow "
            "duration_seconds; use close or reset, or drop duration_seconds");
  EXPECT_EQ(plan_error("hang", {{"duration_seconds", "0"}}), "duration_seconds: must be 1-86400");
}

}  // namespace
}  // namespace adbcfault::fault
