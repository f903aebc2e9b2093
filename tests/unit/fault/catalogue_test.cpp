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

// The session family keeps the old proxy's names, so suites migrate without renaming.
TEST(Catalogue, SessionFamilyDoesWhatTheNamesSay) {
  auto result = catalogue();
  ASSERT_TRUE(result.ok());
  FakeClock clock;
  ScenarioEngine engine(result.scenarios, clock, 1);
  auto plan_for = [&](const std::string& name, const std::string& thrift_method) {
    EXPECT_TRUE(std::holds_alternative<EnableResult>(engine.enable(name))) << name;
    HttpRequestFacts facts;
    facts.method = "POST";
    facts.path = "/sql/1.0/warehouses/w";
    facts.thrift_method = thrift_method;
    auto plan = engine.on_http_request(facts);
    engine.disable(name);
    return plan;
  };
  using Kind = HttpFaultPlan::Kind;
  const std::pair<const char*, int> statuses[] = {
      {"service_unavailable_503_open_session", 503}, {"request_timeout_408_open_session", 408},
      {"too_many_requests_429_open_session", 429},   {"bad_gateway_502_open_session", 502},
      {"gateway_timeout_504_open_session", 504},     {"expired_credentials", 401}};
  for (const auto& [name, status] : statuses) {
    auto plan = plan_for(name, "OpenSession");
    EXPECT_EQ(plan.kind, Kind::kRespond) << name;
    EXPECT_EQ(plan.status, status) << name;
    EXPECT_EQ(plan.phase, Phase::kRequest) << name;
    EXPECT_TRUE(plan_for(name, "CloseSession").empty()) << name << " is for OpenSession only";
  }
  auto invalid = plan_for("invalid_session_handle", "ExecuteStatement");
  EXPECT_EQ(invalid.kind, Kind::kThriftError);
  EXPECT_EQ(invalid.thrift.status_code, "INVALID_HANDLE_STATUS");
  EXPECT_EQ(invalid.thrift.message, "Invalid or expired session handle");
  EXPECT_EQ(plan_for("session_timeout_premature", "GetTables").kind, Kind::kThriftError);
  EXPECT_EQ(plan_for("network_timeout_open_session", "OpenSession").delay, std::chrono::seconds(35));
  EXPECT_EQ(plan_for("network_failure_close_session", "CloseSession").kind, Kind::kClose);
  EXPECT_TRUE(plan_for("session_close_with_active_operations", "CloseSession").empty());
  auto fetch = plan_for("fetch_results_connection_reset", "FetchResults");
  EXPECT_EQ(fetch.kind, Kind::kReset);
  EXPECT_EQ(fetch.phase, Phase::kResponse);
  EXPECT_EQ(plan_for("execute_statement_delay", "ExecuteStatement").kind, Kind::kDelay);
  auto lost = plan_for("execute_statement_response_lost", "ExecuteStatement");
  EXPECT_EQ(lost.kind, Kind::kReset);
  EXPECT_EQ(lost.phase, Phase::kResponse);
}

}  // namespace
}  // namespace adbcfault::fault
