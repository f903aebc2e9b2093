#include "daemon/scenario_handlers.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "fault/scenario_loader.h"

namespace adbcfault::daemon {
namespace {

namespace fs = std::filesystem;
using control::Json;

class StillClock final : public fault::Clock {
 public:
  std::chrono::steady_clock::time_point steady_now() const override { return steady; }
  std::chrono::system_clock::time_point system_now() const override { return system; }
  std::chrono::steady_clock::time_point steady{std::chrono::hours(1)};
  std::chrono::system_clock::time_point system{std::chrono::milliseconds(1714566896123)};
};

constexpr std::string_view kScenarios = R"(scenarios:
  - name: tcp_reset_mid_response
    description: Reset after 64 KiB.
    reference: BL-13580
    action: {type: reset, after_bytes: 65536}
  - name: tcp_hang
    description: Hang until disabled.
    action: {type: hang}
    times: 0
)";

class ScenarioHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("adbcfault-handlers-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    write(kScenarios);
    auto loaded = fault::load_scenarios({dir_.string()});
    ASSERT_TRUE(loaded.ok()) << loaded.errors.front();
    engine_ = std::make_unique<fault::ScenarioEngine>(loaded.scenarios, clock_, 7);
    register_scenario_handlers(dispatcher_, *engine_, [this] { return cursor_; }, {dir_.string()});
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(std::string_view text) { std::ofstream(dir_ / "tcp.yaml") << text; }

  Json call(const std::string& op, const Json& args = Json::object()) {
    std::string line = Json{{"v", 1}, {"op", op}, {"args", args}}.dump();
    Json response;
    int replies = 0;
    dispatcher_.dispatch(line, [&](std::string reply) {
      ++replies;
      response = Json::parse(reply);
    });
    EXPECT_EQ(replies, 1);
    return response;
  }

  Json ok(const std::string& op, const Json& args = Json::object()) {
    Json response = call(op, args);
    EXPECT_EQ(response["ok"], true) << response;
    return response["result"];
  }

  std::pair<std::string, std::string> fails(const std::string& op, const Json& args) {
    Json response = call(op, args);
    EXPECT_EQ(response["ok"], false) << response;
    return {response["error"].value("code", ""), response["error"].value("message", "")};
  }

  fs::path dir_;
  StillClock clock_;
  std::unique_ptr<fault::ScenarioEngine> engine_;
  control::Dispatcher dispatcher_;
  uint64_t cursor_ = 41;
};

TEST_F(ScenarioHandlersTest, RegistersTheScenarioOps) {
  EXPECT_EQ(dispatcher_.ops(), (std::vector<std::string>{"disable", "enable", "reload",
                                                         "scenario_status", "scenarios"}));
}

TEST_F(ScenarioHandlersTest, ListsScenarios) {
  Json result = ok("scenarios");
  ASSERT_EQ(result["scenarios"].size(), 2u);
  EXPECT_EQ(result["scenarios"][0], (Json{{"name", "tcp_reset_mid_response"},
                                          {"layer", "tcp"},
                                          {"action", "reset"},
                                          {"description", "Reset after 64 KiB."},
                                          {"reference", "BL-13580"},
                                          {"file", (dir_ / "tcp.yaml").string()},
                                          {"enabled", false},
                                          {"fired", 0},
                                          {"remaining", 1}}));
  EXPECT_TRUE(result["scenarios"][1]["reference"].is_null());
  EXPECT_TRUE(result["scenarios"][1]["remaining"].is_null()) << "times: 0";
}

TEST_F(ScenarioHandlersTest, EnableReportsCursorAndParameters) {
  Json result =
      ok("enable", {{"name", "tcp_reset_mid_response"}, {"set", {{"after_bytes", "1024"}}}});
  EXPECT_EQ(result, (Json{{"name", "tcp_reset_mid_response"},
                          {"enabled", true},
                          {"journal_cursor", 41},
                          {"parameters", {{"after_bytes", "1024"}, {"direction", "response"}}}}));
  EXPECT_EQ(ok("scenarios")["scenarios"][0]["enabled"], true);
}

TEST_F(ScenarioHandlersTest, EnableErrors) {
  EXPECT_EQ(fails("enable", {{"name", "nope"}}),
            std::make_pair(std::string("not_found"),
                           std::string("no scenario named 'nope' (see 'adbcfault scenarios')")));
  EXPECT_EQ(fails("enable", {{"name", "tcp_hang"}, {"set", {{"colour", "red"}}}}),
            std::make_pair(std::string("invalid_argument"),
                           std::string("--set colour=red: tcp_hang's action 'hang' has no "
                                       "parameter 'colour' (it has: duration_seconds, then)")));
  EXPECT_EQ(fails("enable", {{"name", "tcp_hang"}, {"set", {{"duration_seconds", 30}}}}),
            std::make_pair(std::string("invalid_argument"),
                           std::string("--set duration_seconds: the value must be a string, e.g. "
                                       "\"30\"")));
  EXPECT_EQ(fails("enable", {{"set", Json::object()}}).second,
            "name: required, the scenario's name as a string");
  EXPECT_EQ(fails("enable", {{"name", "tcp_hang"}, {"colour", 1}}).second,
            "unknown argument 'colour' (allowed: name, set)");
  EXPECT_EQ(ok("scenarios")["scenarios"][1]["enabled"], false) << "failed enables change nothing";
}

TEST_F(ScenarioHandlersTest, StatusAfterFiringAndReports) {
  ok("enable", {{"name", "tcp_reset_mid_response"}});
  engine_->on_connection(fault::ConnectionFacts{17, 1, 50000, 2, 443, std::nullopt});
  engine_->report_not_injected("tcp_reset_mid_response", 17, "client closed after 10 bytes");
  Json status = ok("scenario_status", {{"name", "tcp_reset_mid_response"}});
  EXPECT_EQ(status["name"], "tcp_reset_mid_response");
  EXPECT_EQ(status["enabled"], false);
  EXPECT_EQ(status["action"], "reset");
  EXPECT_EQ(status["parameters"], (Json{{"after_bytes", "65536"}, {"direction", "response"}}));
  EXPECT_EQ(status["fired"], 1);
  EXPECT_EQ(status["injected"], 0);
  EXPECT_EQ(status["remaining"], 0);
  EXPECT_EQ(status["last_fired_at"], "2024-05-01T12:34:56.123Z");
  EXPECT_EQ(status["last_flow"], 17);
  EXPECT_EQ(status["not_injected"], (Json::array({{{"flow", 17},
                                                   {"reason", "client closed after 10 bytes"},
                                                   {"at", "2024-05-01T12:34:56.123Z"}}})));

  Json fresh = ok("scenario_status", {{"name", "tcp_hang"}});
  EXPECT_TRUE(fresh["last_fired_at"].is_null());
  EXPECT_TRUE(fresh["last_flow"].is_null());
  EXPECT_EQ(fresh["not_injected"], Json::array());
  EXPECT_EQ(fails("scenario_status", {{"name", "nope"}}).first, "not_found");
}

TEST_F(ScenarioHandlersTest, DisableOneOrAll) {
  ok("enable", {{"name", "tcp_hang"}});
  EXPECT_EQ(ok("disable", {{"name", "tcp_hang"}}), (Json{{"disabled", {"tcp_hang"}}}));
  ok("enable", {{"name", "tcp_hang"}});
  ok("enable", {{"name", "tcp_reset_mid_response"}});
  EXPECT_EQ(ok("disable", {{"all", true}}),
            (Json{{"disabled", {"tcp_reset_mid_response", "tcp_hang"}}}));
  EXPECT_EQ(fails("disable", {{"name", "nope"}}).first, "not_found");
  EXPECT_EQ(fails("disable", {{"name", "tcp_hang"}, {"all", true}}).second,
            "give either {\"name\": NAME} or {\"all\": true}");
  EXPECT_EQ(fails("disable", Json::object()).first, "invalid_argument");
}

TEST_F(ScenarioHandlersTest, ReloadAllOrNothing) {
  ok("enable", {{"name", "tcp_hang"}});
  write("scenarios:\n  - name: broken\n");
  auto [code, message] = fails("reload", Json::object());
  EXPECT_EQ(code, "invalid_argument");
  EXPECT_EQ(message,
            "reload refused, the running scenarios are unchanged: " + (dir_ / "tcp.yaml").string() +
                ":2:5: description: required field is missing; " + (dir_ / "tcp.yaml").string() +
                ":2:5: action: required field is missing");
  EXPECT_EQ(ok("scenarios")["scenarios"].size(), 2u);

  write(kScenarios);
  EXPECT_EQ(ok("reload"), (Json{{"scenarios", 2}, {"files", 1}, {"disabled", Json::array()}}));
  EXPECT_EQ(ok("scenarios")["scenarios"][1]["enabled"], true) << "unchanged scenarios stay enabled";
}

}  // namespace
}  // namespace adbcfault::daemon
