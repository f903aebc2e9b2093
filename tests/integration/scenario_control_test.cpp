// Controlling scenarios with the real CLI against the real daemon: bad input of every kind gets
// exit 2 and one line naming the culprit, and leaves the running set exactly as it was; a bad
// scenario file stops a start (nothing installed) and a reload (nothing changed); enabling never
// clears the call journal; --check-scenarios validates without running.

#include <fstream>
#include <regex>

#include "net_snapshot.h"
#include "scenario_fixture.h"
#include "wait.h"

namespace adbcfault::testing {
namespace {

using std::chrono::seconds;

// Two errors of different kinds in one file: a value out of range (line 6, the value at column
// 20) and an unknown key (line 9, column 5). Loading is all or nothing, and reports both.
constexpr char kInvalidScenarios[] = R"(scenarios:
  - name: it_bad_value
    description: after_bytes below zero
    action:
      type: reset
      after_bytes: -3
  - name: it_bad_key
    description: a key no scenario has
    colour: red
    action:
      type: reset
)";

// Not YAML at all: the flow map on line 4 is never closed.
constexpr char kMalformedYaml[] = R"(scenarios:
  - name: it_broken
    description: an unclosed flow map
    match: {port: 80
    action:
      type: reset
)";

constexpr char kNewScenario[] = R"(scenarios:
  - name: it_added_by_reload
    description: Integration test; appears after a good reload.
    action:
      type: close
      after_bytes: 10
)";

bool lists(const nlohmann::json& list, const std::string& name) {
  if (!list.is_object() || !list.contains("scenarios")) return false;
  for (const auto& scenario : list["scenarios"]) {
    if (scenario.value("name", "") == name) return true;
  }
  return false;
}

class ScenarioControlTest : public ScenarioTest {
 protected:
  void SetUp() override {
    ScenarioTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(start_daemon());
    // A running set that is not the loaded default: one scenario enabled with an override.
    auto enabled = cli_json({"enable", "tcp_connect_delay", "--set", "milliseconds=1234"});
    ASSERT_TRUE(enabled.is_object());
    ASSERT_EQ(parameter_text(enabled, "milliseconds"), "1234")
        << enabled.dump();
  }

  // The running set, as `scenarios` and `status` of the enabled scenario show it.
  std::string running_set() {
    return scenario_list().dump() + "\n" + scenario_status("tcp_connect_delay").dump();
  }
};

struct BadCommand {
  const char* name;
  std::vector<std::string> args;
  std::vector<std::string> culprits;  // each must be named in the one error line
};

void PrintTo(const BadCommand& bad, std::ostream* out) { *out << bad.name; }

class ScenarioControlBadInputTest : public ScenarioControlTest,
                                    public ::testing::WithParamInterface<BadCommand> {};

// (10) Each bad command: exit 2, one line on stderr naming what was wrong, nothing changed.
TEST_P(ScenarioControlBadInputTest, ExitTwoOneLineAndRunningSetUnchanged) {
  const std::string before = running_set();
  auto result = cli(GetParam().args);
  EXPECT_EQ(result.exit_code, 2) << result.describe();
  EXPECT_EQ(result.out, "") << result.describe();
  for (const auto& culprit : GetParam().culprits) EXPECT_TRUE(one_line_naming(result, culprit));
  EXPECT_EQ(running_set(), before);
}

INSTANTIATE_TEST_SUITE_P(
    Commands, ScenarioControlBadInputTest,
    ::testing::Values(
        BadCommand{"EnableUnknownName", {"enable", "no_such"}, {"no_such"}},
        BadCommand{"EnableUnknownKey", {"enable", "tcp_hang", "--set", "colour=red"}, {"colour"}},
        BadCommand{"EnableNegativeAfterBytes",
                   {"enable", "tcp_reset_mid_response", "--set", "after_bytes=-3"},
                   {"after_bytes"}},
        BadCommand{"EnableEveryBadKeyNamed",
                   {"enable", "tcp_reset_mid_response", "--set", "after_bytes=-3", "--set",
                    "colour=red"},
                   {"after_bytes", "colour"}},
        // The enabled scenario itself: a refused re-enable keeps its state and parameters,
        // even when some of the overrides were good.
        BadCommand{"ReenableWithOneBadOverride",
                   {"enable", "tcp_connect_delay", "--set", "milliseconds=5", "--set",
                    "before=never"},
                   {"before"}},
        BadCommand{"ReenableOutOfRange",
                   {"enable", "tcp_connect_delay", "--set", "milliseconds=0"},
                   {"milliseconds"}},
        BadCommand{"StatusUnknownName", {"status", "no_such"}, {"no_such"}},
        BadCommand{"DisableUnknownName", {"disable", "no_such"}, {"no_such"}}),
    [](const ::testing::TestParamInfo<BadCommand>& info) { return std::string(info.param.name); });

// (10) A reload that meets malformed YAML changes nothing and says file:line:col; after the file
// is fixed, a reload takes effect (so "nothing changed" above is not "reload never works").
TEST_F(ScenarioControlTest, ReloadWithMalformedYamlChangesNothing) {
  const std::string before = running_set();
  write_scenario_file("zz_broken.yaml", kMalformedYaml);
  auto refused = cli({"reload"});
  EXPECT_EQ(refused.exit_code, 2) << refused.describe();
  EXPECT_TRUE(one_line_naming(refused, "zz_broken.yaml"));
  EXPECT_TRUE(std::regex_search(refused.err, std::regex(R"(zz_broken\.yaml:[0-9]+:[0-9]+: )")))
      << "want file:line:col: " << refused.describe();
  EXPECT_EQ(running_set(), before);
  EXPECT_FALSE(lists(scenario_list(), "it_broken"));

  std::filesystem::remove(scenario_dir() / "zz_broken.yaml");
  write_scenario_file("zz_new.yaml", kNewScenario);
  auto reloaded = cli({"reload"});
  EXPECT_EQ(reloaded.exit_code, 0) << reloaded.describe();
  EXPECT_TRUE(lists(scenario_list(), "it_added_by_reload"));
  auto kept = scenario_status("tcp_connect_delay");
  EXPECT_EQ(kept.value("enabled", false), true) << "an unchanged scenario keeps its state";
  EXPECT_EQ(parameter_text(kept, "milliseconds"), "1234") << kept.dump();
}

// (10) A reload with a file that parses but does not validate: refused the same way.
TEST_F(ScenarioControlTest, ReloadWithInvalidScenarioChangesNothing) {
  const std::string before = running_set();
  write_scenario_file("zz_invalid.yaml", kInvalidScenarios);
  auto refused = cli({"reload"});
  EXPECT_EQ(refused.exit_code, 2) << refused.describe();
  EXPECT_TRUE(one_line_naming(refused, "zz_invalid.yaml:6:20: action.after_bytes"));
  EXPECT_TRUE(one_line_naming(refused, "zz_invalid.yaml:9:5: colour"));
  EXPECT_EQ(running_set(), before);
}

// (10) enable reports the journal cursor, which only grows, and enabling never clears the
// journal: calls made before an enable are still listed after it.
TEST_F(ScenarioControlTest, EnableReportsGrowingCursorAndKeepsJournal) {
  ASSERT_TRUE(cli({"disable", "--all"}).ok());
  auto cursor_of = [&](const std::string& name) -> int64_t {
    auto answer = cli_json({"enable", name});
    return answer.is_object() ? answer.value("journal_cursor", int64_t{-1}) : -1;
  };
  auto fetch_small = [&] {
    auto result = curl({"--max-time", "10", "-o", "/dev/null", url(kTargetPort, "small.txt")});
    EXPECT_TRUE(result.ok()) << result.describe();
  };
  nlohmann::json calls;  // the last `calls` answer, for failure messages
  auto small_calls = [&] {
    calls = control("calls");
    int count = 0;
    if (calls.is_object()) {
      for (const auto& call : calls["calls"]) count += call.value("path", "") == "/small.txt";
    }
    return count;
  };

  const int64_t c0 = cursor_of("it_elsewhere");  // matches port 1 only: never fires here
  fetch_small();
  const int64_t c1 = cursor_of("it_elsewhere");
  EXPECT_GT(c1, c0) << "a call was journaled between the enables";
  EXPECT_EQ(small_calls(), 1) << "the enable cleared the journal? " << calls.dump();
  const int64_t c2 = cursor_of("it_elsewhere");
  EXPECT_EQ(c2, c1) << "nothing happened between these enables";
  fetch_small();
  const int64_t c3 = cursor_of("tcp_reset_mid_response");
  EXPECT_GT(c3, c2);
  EXPECT_EQ(small_calls(), 2) << "the enable cleared the journal? " << calls.dump();
  EXPECT_GE(c0, 0);
}

// Tests that start (or refuse to start) the daemon themselves.
class ScenarioStartTest : public ScenarioTest {};

// (11) A start with a bad scenario file: exit non-zero, every error as file:line:col on stderr,
// no socket, and the namespace's iptables, rules and routes exactly as before.
TEST_F(ScenarioStartTest, DaemonRefusesToStartWithBadScenarioFile) {
  install_foreign_state(net->client_ns());
  const NetState pristine = capture_net_state(net->client_ns());
  write_scenario_file("zz_invalid.yaml", kInvalidScenarios);

  std::vector<std::string> args = {"--socket", daemon->socket_path(), "--state-dir",
                                   daemon->state_dir(), "--intercept", intercept(kTargetPort)};
  for (auto& arg : daemon_args()) args.push_back(arg);
  auto result = daemon->run_to_exit(args, seconds(15));
  EXPECT_FALSE(result.timed_out) << "adbcfaultd started instead of refusing";
  EXPECT_NE(result.exit_code, 0) << result.describe();
  EXPECT_NE(result.err.find("zz_invalid.yaml:6:20: action.after_bytes"), std::string::npos)
      << result.describe();
  EXPECT_NE(result.err.find("zz_invalid.yaml:9:5: colour"), std::string::npos)
      << result.describe();
  EXPECT_FALSE(std::filesystem::exists(daemon->socket_path()));
  EXPECT_EQ(describe_difference(pristine, capture_net_state(net->client_ns())), "");

  // The same files without the bad one start fine (the refusal above was about that file).
  std::filesystem::remove(scenario_dir() / "zz_invalid.yaml");
  EXPECT_TRUE(daemon->start_and_wait_ready({intercept(kTargetPort)}, daemon_args()));
}

// (12) --check-scenarios: the shipped catalogue (and this suite's own YAML) pass with exit 0; a
// bad directory fails with exit 2 and the errors.
TEST_F(ScenarioStartTest, CheckScenariosValidatesWithoutRunning) {
  const NetState pristine = capture_net_state(net->client_ns());
  auto catalogue = daemon->run_to_exit({"--check-scenarios", repo_scenarios_dir()});
  EXPECT_EQ(catalogue.exit_code, 0) << catalogue.describe();
  auto ours = daemon->run_to_exit({"--check-scenarios", scenario_dir().string()});
  EXPECT_EQ(ours.exit_code, 0) << ours.describe();

  TempDir bad("badscen");
  std::ofstream(bad / "zz_invalid.yaml") << kInvalidScenarios;
  auto refused = daemon->run_to_exit({"--check-scenarios", bad.path().string()});
  EXPECT_EQ(refused.exit_code, 2) << refused.describe();
  EXPECT_NE(refused.err.find("zz_invalid.yaml:6:20: action.after_bytes"), std::string::npos)
      << refused.describe();
  EXPECT_NE(refused.err.find("zz_invalid.yaml:9:5: colour"), std::string::npos)
      << refused.describe();

  std::filesystem::remove(bad / "zz_invalid.yaml");
  std::ofstream(bad / "zz_broken.yaml") << kMalformedYaml;
  auto malformed = daemon->run_to_exit({"--check-scenarios", bad.path().string()});
  EXPECT_EQ(malformed.exit_code, 2) << malformed.describe();
  EXPECT_TRUE(std::regex_search(malformed.err, std::regex(R"(zz_broken\.yaml:[0-9]+:[0-9]+: )")))
      << malformed.describe();
  EXPECT_EQ(describe_difference(pristine, capture_net_state(net->client_ns())), "")
      << "--check-scenarios touched the kernel state";
}

}  // namespace
}  // namespace adbcfault::testing
