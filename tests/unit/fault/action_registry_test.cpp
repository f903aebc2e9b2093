// Walks every registered action, so a new action cannot skip the basics.

#include "fault/action_registry.h"

#include <gtest/gtest.h>

namespace adbcfault::fault {
namespace {

TEST(ActionRegistry, ListsEachTypeOnceSortedByType) {
  EXPECT_EQ(known_action_types(),
            "close, delay, hang, http_error, observe, refuse_upstream, reset, thrift_error, "
            "throttle, truncate");
  EXPECT_EQ(find_action("hang")->type, "hang");
  EXPECT_EQ(find_action("explode"), nullptr);
}

TEST(ActionRegistry, TypeAloneFindsTheConnectionFormFirst) {
  EXPECT_EQ(find_action("reset")->layer, "tcp");
  EXPECT_EQ(find_action("reset", "http")->layer, "http");
  EXPECT_EQ(find_action("http_error")->layer, "http");
  EXPECT_EQ(find_action("throttle", "http"), nullptr) << "throttle is per connection only";
}

TEST(ActionRegistry, EveryActionIsComplete) {
  for (const auto& action : action_registry()) {
    SCOPED_TRACE(action.type + "/" + action.layer);
    ASSERT_TRUE(action.layer == "tcp" || action.layer == "http");
    if (action.layer == "tcp") {
      EXPECT_NE(action.fill, nullptr);
      EXPECT_EQ(action.fill_http, nullptr);
    } else {
      EXPECT_NE(action.fill_http, nullptr);
      EXPECT_EQ(action.fill, nullptr);
    }
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

ActionParams minimal_params(const ActionSpec& action) {
  ActionParams params;
  for (const auto& param : action.params) {
    if (!param.required) continue;
    std::string error;
    auto value = param.parse(std::to_string(param.min == 0 ? 1 : param.min), error);
    EXPECT_TRUE(value) << error;
    if (value) params.set(param.name, *value);
  }
  EXPECT_FALSE(complete_params(action, params));
  return params;
}

TEST(ActionRegistry, EveryActionMakesANonEmptyPlanFromMinimalParameters) {
  for (const auto& action : action_registry()) {
    SCOPED_TRACE(action.type + "/" + action.layer);
    ActionParams params = minimal_params(action);
    if (action.layer == "tcp") {
      auto plan = make_plan(action, params, "walk");
      EXPECT_FALSE(plan.empty()) << "an action that plans nothing would fire and inject nothing";
      EXPECT_EQ(plan.scenario, "walk");
      EXPECT_EQ(plan.action, action.type);
    } else {
      auto plan = make_http_plan(action, params, "walk", effective_phase(action, std::nullopt), {});
      EXPECT_EQ(plan.empty(), action.type == "observe") << "only observe plans nothing";
      EXPECT_EQ(plan.scenario, "walk");
      EXPECT_EQ(plan.action, action.type);
    }
  }
}

}  // namespace
}  // namespace adbcfault::fault
