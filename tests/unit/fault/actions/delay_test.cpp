#include <gtest/gtest.h>

#include "action_test_support.h"

namespace adbcfault::fault {
namespace {

using std::chrono::milliseconds;

TEST(DelayAction, DelaysConnectByDefault) {
  auto plan = plan_for("delay", {{"milliseconds", "2000"}});
  EXPECT_EQ(plan.connect_delay, milliseconds(2000));
  EXPECT_EQ(plan.first_response_byte_delay, milliseconds(0));
}

TEST(DelayAction, DelaysFirstResponseByte) {
  auto plan = plan_for("delay", {{"milliseconds", "750"}, {"before", "first_response_byte"}});
  EXPECT_EQ(plan.connect_delay, milliseconds(0));
  EXPECT_EQ(plan.first_response_byte_delay, milliseconds(750));
}

TEST(DelayAction, RangeIsOneMillisecondToTenMinutes) {
  EXPECT_EQ(plan_for("delay", {{"milliseconds", "600000"}}).connect_delay, milliseconds(600000));
  EXPECT_EQ(plan_error("delay", {{"milliseconds", "600001"}}), "milliseconds: must be 1-600000");
  EXPECT_EQ(plan_error("delay", {{"milliseconds", "0"}}), "milliseconds: must be 1-600000");
  EXPECT_EQ(plan_error("delay", {}), "milliseconds: missing (required by action 'delay')");
  EXPECT_EQ(plan_error("delay", {{"milliseconds", "5"}, {"before", "close"}}),
            "before: must be one of: connect, first_response_byte");
}

}  // namespace
}  // namespace adbcfault::fault
