#include <gtest/gtest.h>

#include "action_test_support.h"

namespace adbcfault::fault {
namespace {

TEST(RefuseUpstreamAction, SetsOnlyRefuseUpstream) {
  auto plan = plan_for("refuse_upstream");
  EXPECT_TRUE(plan.refuse_upstream);
  EXPECT_FALSE(plan.reset_on_accept);
  EXPECT_FALSE(plan.hang);
  EXPECT_EQ(plan.action, "refuse_upstream");
}

TEST(RefuseUpstreamAction, TakesNoParameters) {
  EXPECT_EQ(plan_error("refuse_upstream", {{"after_bytes", "1"}}), "after_bytes: unknown");
  EXPECT_EQ(find_action("refuse_upstream")->param_names(), "no parameters");
}

}  // namespace
}  // namespace adbcfault::fault
