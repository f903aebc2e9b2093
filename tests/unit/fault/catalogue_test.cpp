// The shipped scenarios/ directory validates, and says what the docs promise.

#include <gtest/gtest.h>

#include <set>

#include "fake_clock.h"
#include "fault/scenario_engine.h"
#include "fault/scenario_loader.h"

namespace adbcfault::fault {
namespace {

LoadResult catalogue() { return load_scenarios({ADBCFAULT_SOURCE_SCENARIOS_DIR}); }

TEST(Catalogue, Validates) {
  auto result = catalogue();
  for (const auto& error : result.errors) ADD_FAILURE() << error;
  EXPECT_TRUE(result.ok());
}

TEST(Catalogue, HasTheTcpFamily) {
  auto result = catalogue();
  ASSERT_TRUE(result.ok());
  std::set<std::string> names;
  for (const auto& scenario : result.scenarios) {
    names.insert(scenario.name);
    EXPECT_GE(scenario.description.size(), 80u) << scenario.name << ": say what the driver sees";
  }
  for (const char* name :
       {"tcp_reset_on_connect", "tcp_reset_mid_response", "tcp_close_mid_response",
        "tcp_connect_delay", "tcp_hang", "tcp_throttle"}) {
    EXPECT_TRUE(names.contains(name)) << name;
  }
}

TEST(Catalogue, ShippedScenariosDoWhatTheirNamesSay) {
  auto result = catalogue();
  ASSERT_TRUE(result.ok());
  FakeClock clock;
  ScenarioEngine engine(result.scenarios, clock, 1);
  auto plan_of = [&](const std::string& name, const Overrides& overrides = {}) {
    auto enabled = engine.enable(name, overrides);
    EXPECT_TRUE(std::holds_alternative<EnableResult>(enabled)) << name;
    auto plan = engine.on_connection(ConnectionFacts{1, 1, 50000, 2, 443, std::nullopt});
    EXPECT_EQ(plan.scenario, name);
    EXPECT_TRUE(engine.on_connection(ConnectionFacts{2, 1, 50001, 2, 443, std::nullopt}).empty())
        << name << " should be one-shot";
    return plan;
  };
  EXPECT_TRUE(plan_of("tcp_reset_on_connect").reset_on_accept);
  EXPECT_EQ(plan_of("tcp_reset_mid_response").reset_after->bytes, 65536u);
  EXPECT_EQ(plan_of("tcp_reset_mid_response", {{"after_bytes", "10"}}).reset_after->bytes, 10u);
  EXPECT_EQ(plan_of("tcp_close_mid_response").close_after_response_bytes, 1024u);
  EXPECT_EQ(plan_of("tcp_connect_delay").connect_delay, std::chrono::milliseconds(2000));
  EXPECT_EQ(plan_of("tcp_hang").hang->end, HangEnd::kHold);
  auto timed = plan_of("tcp_hang", {{"duration_seconds", "30"}});  // as the description says
  EXPECT_EQ(timed.hang->duration, std::chrono::seconds(30));
  EXPECT_EQ(timed.hang->end, HangEnd::kClose);
  EXPECT_EQ(plan_of("tcp_throttle").throttle->bytes_per_second, 65536u);

  auto summaries = engine.list();
  auto reference_of = [&](const std::string& name) {
    for (const auto& s : summaries) {
      if (s.name == name) return s.reference.value_or("");
    }
    return std::string("missing");
  };
  EXPECT_EQ(reference_of("tcp_reset_mid_response"), "BL-13580");
  EXPECT_EQ(reference_of("tcp_hang"), "BL-13239");
}

}  // namespace
}  // namespace adbcfault::fault
