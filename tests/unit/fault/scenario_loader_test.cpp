#include "fault/scenario_loader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace adbcfault::fault {
namespace {

namespace fs = std::filesystem;

LoadResult load(std::string_view yaml) { return load_scenarios_from_text(yaml, "t.yaml"); }

std::vector<std::string> errors_of(std::string_view yaml) {
  auto result = load(yaml);
  EXPECT_FALSE(result.ok()) << "loaded a file that should have been refused";
  EXPECT_TRUE(result.scenarios.empty()) << "a refused set must not hand out any scenario";
  return result.errors;
}

std::string only_error(std::string_view yaml) {
  auto errors = errors_of(yaml);
  EXPECT_EQ(errors.size(), 1u);
  return errors.empty() ? "" : errors.front();
}

constexpr std::string_view kGood = R"(scenarios:
  - name: cut_download
    description: Reset after 1 KiB.
    reference: BL-1
    match:
      port: [443, "8000-8100"]
      dst: 10.0.0.0/8
      client_port: "50000-60000"
      host: "*.Blob.Core.Windows.NET"
    action:
      type: reset
      after_bytes: 1024
    times: 3
    skip: 2
    probability: 0.25
    duration_seconds: 60
  - name: plain
    description: Everything else at its default.
    action: {type: refuse_upstream}
)";

TEST(ScenarioLoader, LoadsEveryField) {
  auto result = load(kGood);
  ASSERT_TRUE(result.ok()) << result.errors.front();
  ASSERT_EQ(result.scenarios.size(), 2u);
  const Scenario& s = result.scenarios[0];
  EXPECT_EQ(s.name, "cut_download");
  EXPECT_EQ(s.description, "Reset after 1 KiB.");
  EXPECT_EQ(s.reference, "BL-1");
  EXPECT_EQ(s.where.to_string(), "t.yaml:2:5");
  ASSERT_EQ(s.match.server_ports.size(), 2u);
  EXPECT_EQ(s.match.server_ports[1], (PortRange{8000, 8100}));
  ASSERT_EQ(s.match.destinations.size(), 1u);
  EXPECT_EQ(s.match.destinations[0], (Ipv4Cidr{0x0A000000, 8}));
  EXPECT_EQ(s.match.client_ports, (std::vector<PortRange>{{50000, 60000}}));
  EXPECT_EQ(s.match.host_globs, std::vector<std::string>{"*.blob.core.windows.net"});
  EXPECT_EQ(s.action->type, "reset");
  EXPECT_EQ(s.params.to_strings(), (std::map<std::string, std::string>{{"after_bytes", "1024"},
                                                                       {"direction", "response"}}));
  EXPECT_EQ(s.times, 3u);
  EXPECT_EQ(s.skip, 2u);
  EXPECT_EQ(s.probability, 0.25);
  EXPECT_EQ(s.duration_seconds, 60u);

  const Scenario& plain = result.scenarios[1];
  EXPECT_EQ(plain.times, 1u) << "one-shot by default";
  EXPECT_EQ(plain.skip, 0u);
  EXPECT_EQ(plain.probability, 1.0);
  EXPECT_FALSE(plain.duration_seconds);
  EXPECT_FALSE(plain.reference);
  EXPECT_EQ(plain.match, ConnectionMatch{}) << "no match: everything";
}

TEST(ScenarioLoader, MalformedYamlKeepsYamlCppsPosition) {
  EXPECT_EQ(only_error("scenarios:\n  - name: [oops\n    description: x\n"),
            "t.yaml:3:16: malformed YAML: end of sequence flow not found");
}

TEST(ScenarioLoader, WrongType) {
  EXPECT_EQ(only_error(R"(scenarios:
  - name: x
    description: d
    action: {type: reset}
    times: many
)"),
            "t.yaml:5:12: times: must be a non-negative integer");
}

TEST(ScenarioLoader, WrongTypeOfActionParameterUsesTheExampleWording) {
  EXPECT_EQ(only_error(R"(scenarios:
  - name: x
    description: d
    action:
      type: reset
      after_bytes: [1]
)"),
            "t.yaml:6:20: action.after_bytes: must be a non-negative integer");
}

TEST(ScenarioLoader, UnknownScenarioKeyListsTheAllowedOnes) {
  EXPECT_EQ(only_error(R"(scenarios:
  - name: x
    description: d
    action: {type: reset}
    colour: red
)"),
            "t.yaml:5:5: colour: unknown key (allowed: name, description, reference, match, "
            "action, times, skip, probability, duration_seconds)");
}

TEST(ScenarioLoader, UnknownActionParameterListsTheAllowedOnes) {
  EXPECT_EQ(only_error(R"(scenarios:
  - name: x
    description: d
    action: {type: hang, colour: red}
)"),
            "t.yaml:4:26: action.colour: unknown parameter of action 'hang' (allowed: type, "
            "duration_seconds, then)");
}

TEST(ScenarioLoader, UnknownMatchKeyListsTheAllowedOnes) {
  EXPECT_EQ(only_error(R"(scenarios:
  - name: x
    description: d
    match: {method: OpenSession}
    action: {type: reset}
)"),
            "t.yaml:4:13: match.method: unknown match key (allowed: port, dst, "
            "client_port, host, http_method, path, header, thrift_method, phase)");
}

TEST(ScenarioLoader, UnknownFileKey) {
  EXPECT_EQ(only_error("version: 2\nscenarios: []\n"),
            "t.yaml:1:1: version: unknown key (allowed: scenarios)");
}

TEST(ScenarioLoader, UnknownActionTypeListsTheKnownOnes) {
  EXPECT_EQ(only_error(R"(scenarios:
  - name: x
    description: d
    action: {type: explode}
)"),
            "t.yaml:4:20: action.type: unknown action 'explode' (known: close, delay, hang, "
            "http_error, observe, refuse_upstream, reset, thrift_error, throttle, truncate)");
}

TEST(ScenarioLoader, OutOfRange) {
  EXPECT_EQ(only_error(R"(scenarios:
  - name: x
    description: d
    action: {type: delay, milliseconds: 600001}
)"),
            "t.yaml:4:41: action.milliseconds: must be 1-600000");
  EXPECT_EQ(only_error(R"(scenarios:
  - name: x
    description: d
    action: {type: reset}
    probability: 1.5
)"),
            "t.yaml:5:18: probability: must be a number greater than 0 and at most 1");
  EXPECT_EQ(only_error(R"(scenarios:
  - name: x
    description: d
    action: {type: reset}
    match: {port: [443, 70000]}
)"),
            "t.yaml:5:25: match.port[1]: must be a port 1-65535 or a range like \"8000-8100\"");
}

TEST(ScenarioLoader, MissingRequiredFields) {
  auto errors = errors_of(R"(scenarios:
  - reference: BL-1
    action: {}
)");
  EXPECT_EQ(errors, (std::vector<std::string>{
                        "t.yaml:2:5: name: required field is missing",
                        "t.yaml:2:5: description: required field is missing",
                        "t.yaml:3:13: action.type: required field is missing (known actions: "
                        "close, delay, hang, http_error, observe, refuse_upstream, reset, "
                        "thrift_error, throttle, truncate)",
                    }));
  EXPECT_EQ(only_error(R"(scenarios:
  - name: x
    description: d
)"),
            "t.yaml:2:5: action: required field is missing");
  EXPECT_EQ(only_error(R"(scenarios:
  - name: x
    description: d
    action:
      type: close
)"),
            "t.yaml:5:7: action.after_bytes: missing (required by action 'close')");
}

TEST(ScenarioLoader, CrossParameterRuleNamesTheParameter) {
  EXPECT_EQ(only_error(R"(scenarios:
  - name: x
    description: d
    action: {type: hang, duration_seconds: 3, then: hold}
)"),
            "t.yaml:4:53: action.then: 'hold' lasts until the scenario is disabled, so it cannot "
            "follow duration_seconds; use close or reset, or drop duration_seconds");
}

TEST(ScenarioLoader, BadNames) {
  EXPECT_EQ(only_error(R"(scenarios:
  - name: Tcp-Reset
    description: d
    action: {type: reset}
)"),
            "t.yaml:2:11: name: must be lower-case letters, digits and underscores ([a-z0-9_]+)");
}

TEST(ScenarioLoader, DuplicateNamesInOneFileNameBothPlaces) {
  EXPECT_EQ(only_error(R"(scenarios:
  - name: twice
    description: d
    action: {type: reset}
  - name: twice
    description: d
    action: {type: reset}
)"),
            "t.yaml:5:5: name: duplicate scenario name 'twice' (first defined at t.yaml:2:5)");
}

TEST(ScenarioLoader, RepeatedKeyIsNotSilentlyResolved) {
  EXPECT_EQ(only_error(R"(scenarios:
  - name: x
    description: d
    action: {type: reset}
    times: 1
    times: 0
)"),
            "t.yaml:6:5: times: repeated key (first at t.yaml:5:5)");
}

TEST(ScenarioLoader, ShapeErrors) {
  EXPECT_EQ(only_error(""),
            "t.yaml:1:1: scenarios: required field is missing (a scenario file is a map with a "
            "`scenarios` list)");
  EXPECT_EQ(only_error("- a\n"), "t.yaml:1:1: a scenario file is a map with a `scenarios` list");
  EXPECT_EQ(only_error("scenarios: {}\n"), "t.yaml:1:12: scenarios: must be a list of scenarios");
  EXPECT_EQ(only_error("scenarios: [3]\n"),
            "t.yaml:1:13: scenarios[0]: must be a map (a scenario with name, description, "
            "action, ...)");
  EXPECT_EQ(only_error("scenarios: []\n---\nscenarios: []\n"),
            "t.yaml:3:1: a scenario file holds one YAML document; found 2");
  EXPECT_TRUE(load("scenarios: []\n").ok());
}

TEST(ScenarioLoader, CollectsEveryErrorNotJustTheFirst) {
  auto errors = errors_of(R"(scenarios:
  - name: a
    description: d
    action: {type: reset, after_bytes: -3}
  - name: b
    description: d
    action: {type: throttle, bytes_per_second: 0}
    skip: -1
  - name: c
    description: d
    action: {type: reset}
)");
  EXPECT_EQ(errors, (std::vector<std::string>{
                        "t.yaml:4:40: action.after_bytes: must be a non-negative integer",
                        "t.yaml:7:48: action.bytes_per_second: must be at least 1",
                        "t.yaml:8:11: skip: must be a non-negative integer",
                    }));
}

class ScenarioDirectory : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("adbcfault-loader-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, std::string_view text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  static std::string scenario(const std::string& name) {
    return "scenarios:\n  - name: " + name + "\n    description: d\n    action: {type: reset}\n";
  }

  fs::path dir_;
};

TEST_F(ScenarioDirectory, ReadsYamlAndYmlInSortedOrderAndNothingElse) {
  write("b.yml", scenario("from_b"));
  write("a.yaml", scenario("from_a"));
  write("c.yaml.orig", "not: [valid");
  write("README.md", "# not a scenario");
  auto result = load_scenarios({dir_.string()});
  ASSERT_TRUE(result.ok()) << result.errors.front();
  ASSERT_EQ(result.scenarios.size(), 2u);
  EXPECT_EQ(result.scenarios[0].name, "from_a");
  EXPECT_EQ(result.scenarios[1].name, "from_b");
  EXPECT_EQ(result.files,
            (std::vector<std::string>{(dir_ / "a.yaml").string(), (dir_ / "b.yml").string()}));
  EXPECT_EQ(result.scenarios[1].where.file, (dir_ / "b.yml").string());
}

TEST_F(ScenarioDirectory, DuplicateAcrossFilesNamesBothFiles) {
  std::string a = write("a.yaml", scenario("same"));
  std::string b = write("b.yaml", scenario("same"));
  auto result = load_scenarios({dir_.string()});
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0],
            b + ":2:5: name: duplicate scenario name 'same' (first defined at " + a + ":2:5)");
}

TEST_F(ScenarioDirectory, OneBadFileRefusesTheWholeSet) {
  write("a.yaml", scenario("fine"));
  std::string bad = write("b.yaml", "scenarios:\n  - name: broken\n");
  auto result = load_scenarios({dir_.string()});
  EXPECT_FALSE(result.ok());
  EXPECT_TRUE(result.scenarios.empty());
  EXPECT_EQ(result.errors.size(), 2u);  // description and action are missing
  EXPECT_EQ(result.errors[0], bad + ":2:5: description: required field is missing");
}

TEST_F(ScenarioDirectory, MissingPathIsAnError) {
  std::string missing = (dir_ / "nope").string();
  auto result = load_scenarios({dir_.string(), missing});
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0], missing + ": no such file or directory");
}

TEST_F(ScenarioDirectory, AFileMayBeGivenDirectly) {
  std::string file = write("custom.conf", scenario("direct"));
  auto result = load_scenarios({file});
  ASSERT_TRUE(result.ok()) << result.errors.front();
  EXPECT_EQ(result.scenarios.at(0).where.to_string(), file + ":2:5");
}

}  // namespace
}  // namespace adbcfault::fault
