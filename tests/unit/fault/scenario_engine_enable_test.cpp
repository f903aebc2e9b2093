// enable (with --set overrides), disable and disable_all.

#include <gtest/gtest.h>

#include "engine_test_support.h"

namespace adbcfault::fault {
namespace {

using std::chrono::seconds;

constexpr std::string_view kScenarios = R"(scenarios:
  - name: tcp_hang
    description: d
    action: {type: hang}
  - name: tcp_reset_mid_response
    description: d
    action: {type: reset, after_bytes: 65536}
  - name: slow
    description: d
    action: {type: delay, milliseconds: 100}
    times: 0
  - name: held
    description: d
    action: {type: hang, then: hold}
)";

class EnableTest : public EngineTest {
 protected:
  void SetUp() override { start(kScenarios); }
};

TEST_F(EnableTest, ReportsTheEffectiveParameters) {
  auto result = engine().enable("tcp_reset_mid_response", {{"after_bytes", "1024"}});
  ASSERT_TRUE(std::holds_alternative<EnableResult>(result));
  const auto& enabled = std::get<EnableResult>(result);
  EXPECT_EQ(enabled.name, "tcp_reset_mid_response");
  EXPECT_EQ(enabled.parameters, (std::map<std::string, std::string>{{"after_bytes", "1024"},
                                                                    {"direction", "response"}}));
  auto plan = engine().on_connection(any_connection(1));
  ASSERT_TRUE(plan.reset_after);
  EXPECT_EQ(plan.reset_after->bytes, 1024u);
}

TEST_F(EnableTest, OverridesLastOneEnableOnly) {
  enable("tcp_reset_mid_response", {{"action.after_bytes", "10"}});
  EXPECT_EQ(status("tcp_reset_mid_response").parameters.at("after_bytes"), "10");
  enable("tcp_reset_mid_response");
  EXPECT_EQ(status("tcp_reset_mid_response").parameters.at("after_bytes"), "65536");
}

TEST_F(EnableTest, BareDurationOnAHangSetsTheHangNotTheWindow) {
  enable("tcp_hang", {{"duration_seconds", "30"}});
  EXPECT_FALSE(engine().next_deadline()) << "no window was asked for";
  auto plan = engine().on_connection(any_connection(1));
  ASSERT_TRUE(plan.hang);
  EXPECT_EQ(plan.hang->duration, seconds(30));
  EXPECT_EQ(plan.hang->end, HangEnd::kClose) << "`then` defaults to close once timed";
  EXPECT_EQ(status("tcp_hang").parameters,
            (std::map<std::string, std::string>{{"duration_seconds", "30"}, {"then", "close"}}));
}

TEST_F(EnableTest, BareDurationOnOtherActionsIsTheWindow) {
  enable("slow", {{"duration_seconds", "5"}});
  ASSERT_TRUE(engine().next_deadline());
  EXPECT_EQ(*engine().next_deadline(), clock_.steady_now() + seconds(5));
}

TEST_F(EnableTest, TopLevelFieldsCanBeOverridden) {
  enable("tcp_reset_mid_response", {{"times", "2"}, {"skip", "1"}});
  EXPECT_EQ(status("tcp_reset_mid_response").remaining, 2u);
  EXPECT_EQ(fire(4),
            (std::vector<std::string>{"", "tcp_reset_mid_response", "tcp_reset_mid_response", ""}));
}

TEST_F(EnableTest, EveryKindOfBadOverrideIsNamed) {
  EXPECT_EQ(enable_error("tcp_reset_mid_response", {{"after_bytes", "-3"}}),
            "--set after_bytes=-3: must be a non-negative integer");
  EXPECT_EQ(enable_error("tcp_hang", {{"colour", "red"}}),
            "--set colour=red: tcp_hang's action 'hang' has no parameter 'colour' (it has: "
            "duration_seconds, then)");
  EXPECT_EQ(enable_error("tcp_hang", {{"action.times", "2"}}),
            "--set action.times=2: tcp_hang's action 'hang' has no parameter 'times' (it has: "
            "duration_seconds, then)");
  EXPECT_EQ(enable_error("tcp_hang", {{"then", "explode"}}),
            "--set then=explode: must be one of: close, reset, hold");
  EXPECT_EQ(enable_error("slow", {{"probability", "0"}}),
            "--set probability=0: must be a number greater than 0 and at most 1");
  EXPECT_EQ(enable_error("slow", {{"times", "x"}}),
            "--set times=x: must be a non-negative integer");
  EXPECT_EQ(enable_error("slow", {{"milliseconds", "600001"}}),
            "--set milliseconds=600001: must be 1-600000");
  EXPECT_EQ(enable_error("tcp_hang", {{"then", "hold"}, {"duration_seconds", "5"}}),
            "--set then=hold: 'hold' lasts until the scenario is disabled, so it cannot follow "
            "duration_seconds; use close or reset, or drop duration_seconds");
  EXPECT_EQ(enable_error("held", {{"duration_seconds", "5"}}),
            "--set duration_seconds=5: then: 'hold' lasts until the scenario is disabled, so it "
            "cannot follow duration_seconds; use close or reset, or drop duration_seconds");
  EXPECT_EQ(enable_error("nope", {}), "no scenario named 'nope' (see 'adbcfault scenarios')");
}

TEST_F(EnableTest, AllBadKeysAreReportedTogether) {
  EXPECT_EQ(enable_error("slow", {{"milliseconds", "0"}, {"skip", "-1"}}),
            "--set milliseconds=0: must be 1-600000; --set skip=-1: must be a non-negative "
            "integer");
}

TEST_F(EnableTest, AFailedEnableChangesNothing) {
  enable("tcp_reset_mid_response", {{"after_bytes", "7"}});
  fire(1);
  enable("slow");
  auto before = status("slow");
  EXPECT_NE(enable_error("slow", {{"milliseconds", "5"}, {"colour", "red"}}), "");
  auto after = status("slow");
  EXPECT_TRUE(after.enabled);
  EXPECT_EQ(after.parameters, before.parameters);
  EXPECT_EQ(after.parameters.at("milliseconds"), "100");

  EXPECT_NE(enable_error("tcp_reset_mid_response", {{"after_bytes", "x"}}), "");
  auto reset = status("tcp_reset_mid_response");
  EXPECT_FALSE(reset.enabled) << "a failed enable must not re-enable";
  EXPECT_EQ(reset.parameters.at("after_bytes"), "7");
  EXPECT_EQ(reset.fired, 1u);
}

TEST_F(EnableTest, EnablingNeverClearsHistory) {
  enable("tcp_reset_mid_response");
  fire(1);
  engine().report_not_injected("tcp_reset_mid_response", 1, "client went away");
  enable("tcp_reset_mid_response");
  auto s = status("tcp_reset_mid_response");
  EXPECT_EQ(s.fired, 1u);
  EXPECT_EQ(s.remaining, 1u) << "but a new enable may fire again";
  EXPECT_EQ(s.not_injected.size(), 1u);
  EXPECT_EQ(s.last_flow, 1u);
}

TEST_F(EnableTest, DisableCallsBackEvenAfterTheScenarioDisabledItself) {
  enable("tcp_hang");
  fire(1);
  EXPECT_FALSE(status("tcp_hang").enabled);
  EXPECT_TRUE(disabled_calls_.empty());
  EXPECT_FALSE(engine().disable("tcp_hang"));
  EXPECT_EQ(disabled_calls_, std::vector<std::string>{"tcp_hang"});
}

TEST_F(EnableTest, DisableStopsFiringAndClearsTheWindow) {
  enable("slow", {{"duration_seconds", "5"}});
  EXPECT_FALSE(engine().disable("slow"));
  EXPECT_FALSE(engine().next_deadline());
  EXPECT_EQ(fire(1), std::vector<std::string>{""});
}

TEST_F(EnableTest, DisableUnknown) {
  auto error = engine().disable("nope");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, EngineError::Code::kNotFound);
  EXPECT_EQ(error->message, "no scenario named 'nope' (see 'adbcfault scenarios')");
  EXPECT_TRUE(disabled_calls_.empty());
}

TEST_F(EnableTest, DisableAllReturnsTheEnabledAndCallsBackForAll) {
  enable("slow");
  enable("tcp_hang");
  EXPECT_EQ(engine().disable_all(), (std::vector<std::string>{"tcp_hang", "slow"}));
  EXPECT_EQ(disabled_calls_,
            (std::vector<std::string>{"tcp_hang", "tcp_reset_mid_response", "slow", "held"}));
  EXPECT_EQ(fire(1), std::vector<std::string>{""});
}

TEST_F(EnableTest, CallbackMayCallBackIntoTheEngine) {
  // The relay reports from inside on_disabled; the engine must not hold its lock then.
  engine().set_on_disabled(
      [this](const std::string& name) { engine().report_not_injected(name, 9, "hold released"); });
  EXPECT_FALSE(engine().disable("tcp_hang"));
  EXPECT_EQ(status("tcp_hang").not_injected.size(), 1u);
}

}  // namespace
}  // namespace adbcfault::fault
