// Walks every registered action, so a new action cannot skip the basics.

#include "fault/action_registry.h"

#include <gtest/gtest.h>

namespace adbcfault::fault {
namespace {

TEST(ActionRegistry, ListsTheActionsSortedByType) {
  EXPECT_EQ(known_action_types(), "close, delay, hang, refuse_upstream, reset, throttle");
  EXPECT_EQ(find_action("hang")->type, "hang");
  EXPECT_EQ(find_action("explode"), nullptr);
}

TEST(ActionRegistry, EveryActionIsComplete) {
  for (const auto& action : action_registry()) {
    SCOPED_TRACE(action.type);
    EXPECT_NE(action.fill, nullptr);
    EXPECT_EQ(action.layer, "tcp");
    EXPECT_FALSE(action.summary.empty());
    for (const auto& param : action.params) {
      SCOPED_TRACE(param.name);
      EXPECT_FALSE(param.description.empty());
      EXPECT_NE(param.name, "type") << "`type` names the action itself";
      if (param.default_value) {
        EXPECT_FALSE(param.required) << "a required parameter never uses its default";
      }
      if (param.type == ParamType::kChoice) {
        EXPECT_FALSE(param.choices.empty());
      }
    }
  }
}

TEST(ActionRegistry, EveryActionMakesANonEmptyPlanFromMinimalParameters) {
  for (const auto& action : action_registry()) {
    SCOPED_TRACE(action.type);
    ActionParams params;
    for (const auto& param : action.params) {
      if (!param.required) continue;
      std::string error;
      auto value = param.parse(std::to_string(param.min == 0 ? 1 : param.min), error);
      ASSERT_TRUE(value) << error;
      params.set(param.name, *value);
    }
    ASSERT_FALSE(complete_params(action, params));
    auto plan = make_plan(action, params, "walk");
    EXPECT_FALSE(plan.empty()) << "an action that plans nothing would fire and inject nothing";
    EXPECT_EQ(plan.scenario, "walk");
    EXPECT_EQ(plan.action, action.type);
  }
}

}  // namespace
}  // namespace adbcfault::fault
