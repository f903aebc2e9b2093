// Scheduling: one-shot, times, skip, probability, windows, precedence, reporting.

#include "fault/scenario_engine.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engine_test_support.h"

namespace adbcfault::fault {
namespace {

using std::chrono::seconds;

constexpr std::string_view kScenarios = R"(scenarios:
  - name: one_shot
    description: d
    action: {type: reset}
  - name: three_times
    description: d
    action: {type: reset, after_bytes: 5}
    times: 3
  - name: skip_two
    description: d
    action: {type: reset}
    skip: 2
  - name: coin
    description: d
    action: {type: reset}
    probability: 0.5
    times: 0
  - name: windowed
    description: d
    action: {type: delay, milliseconds: 10}
    times: 0
    duration_seconds: 30
  - name: timed_hang
    description: d
    action: {type: hang}
    duration_seconds: 10
  - name: on_80
    description: d
    match: {port: 80}
    action: {type: close, after_bytes: 1}
    times: 0
)";

class SchedulerTest : public EngineTest {
 protected:
  void SetUp() override { start(kScenarios); }
};

TEST_F(SchedulerTest, NothingEnabledNothingFires) {
  EXPECT_TRUE(engine().on_connection(any_connection(1)).empty());
}

TEST_F(SchedulerTest, OneShotFiresOnceThenLetsEverythingThrough) {
  enable("one_shot");
  auto plan = engine().on_connection(any_connection(101));
  EXPECT_EQ(plan.scenario, "one_shot");
  EXPECT_EQ(plan.action, "reset");
  EXPECT_TRUE(plan.reset_on_accept);
  EXPECT_EQ(fire(5), std::vector<std::string>(5, ""));

  auto s = status("one_shot");
  EXPECT_FALSE(s.enabled);
  EXPECT_EQ(s.fired, 1u);
  EXPECT_EQ(s.remaining, 0u);
  EXPECT_EQ(s.last_flow, 101u);
  EXPECT_EQ(s.last_fired_at, clock_.system_now());
  EXPECT_TRUE(disabled_calls_.empty()) << "disabling itself after firing is not a disable";
}

TEST_F(SchedulerTest, TimesThreeFiresExactlyThreeTimesOverTwentyMatches) {
  enable("three_times");
  EXPECT_EQ(status("three_times").remaining, 3u);
  auto fired = fire(20);
  EXPECT_EQ(std::count(fired.begin(), fired.end(), "three_times"), 3);
  EXPECT_EQ(fired[0], "three_times");
  EXPECT_EQ(fired[2], "three_times");
  EXPECT_EQ(fired[3], "");
  EXPECT_EQ(status("three_times").fired, 3u);
  EXPECT_FALSE(status("three_times").enabled);
}

TEST_F(SchedulerTest, SkipLetsTheFirstMatchesThrough) {
  enable("skip_two");
  EXPECT_EQ(fire(4), (std::vector<std::string>{"", "", "skip_two", ""}));
}

TEST_F(SchedulerTest, SkipCountsAgainFromEachEnable) {
  enable("skip_two");
  fire(3);
  enable("skip_two");
  EXPECT_EQ(fire(3), (std::vector<std::string>{"", "", "skip_two"}));
}

TEST_F(SchedulerTest, ProbabilityIsAFixedSequenceForAFixedSeed) {
  enable("coin");
  std::string pattern;
  for (const auto& name : fire(24)) pattern += name.empty() ? '.' : 'X';
  EXPECT_EQ(pattern, "...X.X.XXXX......XXX.XXX");
}

TEST_F(SchedulerTest, ProbabilityHalfFiresAboutHalfTheTime) {
  enable("coin");
  auto fired = fire(1000);
  auto hits = std::count(fired.begin(), fired.end(), "coin");
  EXPECT_GT(hits, 400);
  EXPECT_LT(hits, 600);
  EXPECT_EQ(status("coin").fired, static_cast<uint64_t>(hits));
}

TEST_F(SchedulerTest, CertainScenariosDoNotConsumeRandomness) {
  // one_shot (p = 1) fires first on flow 1, then coin sees flows 2..; the pattern is coin's
  // sequence shifted by exactly one connection, not by a roll.
  enable("one_shot");
  enable("coin");
  auto fired = fire(25);
  std::string pattern;
  for (size_t i = 1; i < fired.size(); ++i) pattern += fired[i].empty() ? '.' : 'X';
  EXPECT_EQ(fired[0], "one_shot");
  EXPECT_EQ(pattern, "...X.X.XXXX......XXX.XXX");
}

TEST_F(SchedulerTest, WindowExpiresThroughNextDeadlineAndExpireDue) {
  EXPECT_FALSE(engine().next_deadline());
  enable("windowed");
  ASSERT_TRUE(engine().next_deadline());
  EXPECT_EQ(*engine().next_deadline(), clock_.steady_now() + seconds(30));

  clock_.advance(seconds(29));
  engine().expire_due();
  EXPECT_TRUE(status("windowed").enabled);
  EXPECT_EQ(fire(1), std::vector<std::string>{"windowed"});
  EXPECT_TRUE(disabled_calls_.empty());

  clock_.advance(seconds(1));
  engine().expire_due();
  EXPECT_FALSE(status("windowed").enabled);
  EXPECT_EQ(disabled_calls_, std::vector<std::string>{"windowed"});
  EXPECT_FALSE(engine().next_deadline());
  EXPECT_EQ(fire(1), std::vector<std::string>{""});
}

TEST_F(SchedulerTest, ALateTimerDoesNotLetAnExpiredScenarioFire) {
  enable("windowed");
  clock_.advance(seconds(31));
  EXPECT_EQ(fire(1), std::vector<std::string>{""});
  EXPECT_EQ(disabled_calls_, std::vector<std::string>{"windowed"});
}

TEST_F(SchedulerTest, WindowOutlivesAOneShotSoItsHoldsEndWithTheWindow) {
  enable("timed_hang");
  EXPECT_EQ(fire(1), std::vector<std::string>{"timed_hang"});
  EXPECT_FALSE(status("timed_hang").enabled);
  EXPECT_TRUE(disabled_calls_.empty());
  ASSERT_TRUE(engine().next_deadline());
  clock_.advance(seconds(10));
  engine().expire_due();
  EXPECT_EQ(disabled_calls_, std::vector<std::string>{"timed_hang"});
}

TEST_F(SchedulerTest, EarliestEnabledWinsAndOnlyOneFiresPerConnection) {
  enable("three_times");
  enable("one_shot");
  EXPECT_EQ(fire(5), (std::vector<std::string>{"three_times", "three_times", "three_times",
                                               "one_shot", ""}));
}

TEST_F(SchedulerTest, ReEnablingMovesAScenarioToTheBack) {
  enable("three_times");
  enable("one_shot");
  enable("three_times");
  EXPECT_EQ(fire(2), (std::vector<std::string>{"one_shot", "three_times"}));
}

TEST_F(SchedulerTest, AnEarlierScenarioThatDoesNotMatchDoesNotBlock) {
  enable("on_80");
  enable("one_shot");
  EXPECT_EQ(fire(1, 443), std::vector<std::string>{"one_shot"});
  EXPECT_EQ(fire(1, 80), std::vector<std::string>{"on_80"});
}

TEST_F(SchedulerTest, SkippingScenarioPassesTheConnectionToTheNextOne) {
  enable("skip_two");
  enable("three_times");
  EXPECT_EQ(fire(3), (std::vector<std::string>{"three_times", "three_times", "skip_two"}));
}

TEST_F(SchedulerTest, ReportsShowInStatus) {
  enable("three_times");
  fire(2);
  engine().report_injected("three_times", 1);
  engine().report_not_injected("three_times", 2, "client closed before 5 bytes");
  auto s = status("three_times");
  EXPECT_EQ(s.fired, 2u);
  EXPECT_EQ(s.injected, 1u);
  ASSERT_EQ(s.not_injected.size(), 1u);
  EXPECT_EQ(s.not_injected[0].flow, 2u);
  EXPECT_EQ(s.not_injected[0].reason, "client closed before 5 bytes");
  EXPECT_EQ(s.not_injected[0].at, clock_.system_now());
  engine().report_injected("no_such_scenario", 3);  // ignored, e.g. removed by a reload
}

TEST_F(SchedulerTest, NotInjectedKeepsTheLastTwenty) {
  for (uint64_t flow = 1; flow <= 25; ++flow) {
    engine().report_not_injected("one_shot", flow, "reason " + std::to_string(flow));
  }
  auto s = status("one_shot");
  ASSERT_EQ(s.not_injected.size(), ScenarioEngine::kNotInjectedKept);
  EXPECT_EQ(s.not_injected.front().flow, 6u);
  EXPECT_EQ(s.not_injected.back().flow, 25u);
}

TEST_F(SchedulerTest, ListingInFileOrderWithRemaining) {
  enable("three_times");
  fire(1);
  auto list = engine().list();
  ASSERT_EQ(list.size(), 7u);
  EXPECT_EQ(list[0].name, "one_shot");
  EXPECT_EQ(list[1].name, "three_times");
  EXPECT_TRUE(list[1].enabled);
  EXPECT_EQ(list[1].remaining, 2u);
  EXPECT_EQ(list[1].layer, "tcp");
  EXPECT_EQ(list[1].action, "reset");
  EXPECT_EQ(list[1].file, "engine.yaml");
  EXPECT_EQ(list[3].name, "coin");
  EXPECT_FALSE(list[3].remaining) << "times: 0 has no remaining count";
}


// TCP-layer scenarios that match by `host`: at accept no host is known, so they wait for the
// decision made once a TLS flow's SNI is read; scenarios without a host are decided at accept
// only, so the second decision never counts them again.
constexpr std::string_view kHostScenarios = R"(scenarios:
  - name: by_host
    description: d
    match: {host: "*.storage.test"}
    action: {type: reset, after_bytes: 10}
  - name: any_host
    description: d
    action: {type: reset}
    skip: 1
)";

class HostDecisionTest : public EngineTest {
 protected:
  void SetUp() override { start(kHostScenarios); }
  static ConnectionFacts named(uint64_t flow_id, const std::string& host) {
    ConnectionFacts facts = any_connection(flow_id);
    facts.host = host;
    return facts;
  }
};

TEST_F(HostDecisionTest, AHostScenarioFiresOnceTheSniIsKnown) {
  enable("by_host");
  EXPECT_TRUE(engine().on_connection(any_connection(1)).empty()) << "no host at accept";
  EXPECT_TRUE(engine().on_connection_host(named(1, "other.test")).empty());
  auto plan = engine().on_connection_host(named(2, "eu.storage.test"));
  EXPECT_EQ(plan.scenario, "by_host");
  ASSERT_TRUE(plan.reset_after);
  EXPECT_EQ(plan.reset_after->bytes, 10u);
  EXPECT_TRUE(engine().on_connection_host(named(3, "eu.storage.test")).empty()) << "one-shot";
}

TEST_F(HostDecisionTest, ScenariosWithoutAHostAreNotCountedTwice) {
  enable("any_host");  // skips one connection, then fires
  EXPECT_TRUE(engine().on_connection(any_connection(1)).empty()) << "skipped";
  EXPECT_TRUE(engine().on_connection_host(named(1, "eu.storage.test")).empty())
      << "the same connection must not count again once its SNI is known";
  EXPECT_EQ(status("any_host").fired, 0u);
  EXPECT_EQ(engine().on_connection(any_connection(2)).scenario, "any_host");
}

}  // namespace
}  // namespace adbcfault::fault
