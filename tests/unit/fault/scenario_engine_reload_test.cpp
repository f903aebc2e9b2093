// reload: all or nothing; what survives a successful one.

#include <gtest/gtest.h>

#include "engine_test_support.h"

namespace adbcfault::fault {
namespace {

constexpr std::string_view kBefore = R"(scenarios:
  - name: keeps
    description: old words
    action: {type: reset}
    times: 0
  - name: changes
    description: d
    action: {type: reset, after_bytes: 10}
    times: 0
  - name: goes_away
    description: d
    action: {type: hang}
  - name: idle
    description: d
    action: {type: reset}
)";

constexpr std::string_view kAfter = R"(scenarios:
  - name: arrives
    description: d
    action: {type: reset}
  - name: keeps
    description: new words
    reference: BL-2
    action: {type: reset}
    times: 0
  - name: changes
    description: d
    action: {type: reset, after_bytes: 20}
    times: 0
  - name: idle
    description: d
    action: {type: close, after_bytes: 1}
)";

class ReloadTest : public EngineTest {
 protected:
  void SetUp() override {
    start(kBefore);
    enable("keeps", {{"probability", "1"}});
    enable("changes");
    enable("goes_away");
    fire(1);  // `keeps` fires (enabled first)
  }
};

TEST_F(ReloadTest, ABadSetChangesNothing) {
  auto result =
      engine().reload_with(load_scenarios_from_text("scenarios:\n  - name: broken\n", "bad.yaml"));
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.errors.front(), "bad.yaml:2:5: description: required field is missing");
  EXPECT_EQ(engine().list().size(), 4u);
  EXPECT_TRUE(status("keeps").enabled);
  EXPECT_TRUE(status("changes").enabled);
  EXPECT_TRUE(status("goes_away").enabled);
  EXPECT_EQ(status("keeps").fired, 1u);
  EXPECT_TRUE(disabled_calls_.empty());
}

TEST_F(ReloadTest, AMissingPathChangesNothing) {
  auto result = engine().reload(std::vector<std::string>{"/nonexistent/adbcfault/scenarios"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.errors.front(), "/nonexistent/adbcfault/scenarios: no such file or directory");
  EXPECT_EQ(engine().list().size(), 4u);
}

TEST_F(ReloadTest, AGoodSetReplacesTheOldAndKeepsState) {
  auto result = engine().reload_with(load_scenarios_from_text(kAfter, "new.yaml"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.scenarios, 4u);
  EXPECT_EQ(result.files, 1u);
  EXPECT_EQ(result.disabled, (std::vector<std::string>{"goes_away", "changes"}));

  std::vector<std::string> names;
  for (const auto& summary : engine().list()) names.push_back(summary.name);
  EXPECT_EQ(names, (std::vector<std::string>{"arrives", "keeps", "changes", "idle"}));

  auto keeps = status("keeps");
  EXPECT_TRUE(keeps.enabled) << "same behaviour: stays enabled";
  EXPECT_EQ(keeps.fired, 1u);
  EXPECT_EQ(keeps.description, "new words");
  EXPECT_EQ(keeps.reference, "BL-2");
  EXPECT_EQ(keeps.file, "new.yaml");

  auto changes = status("changes");
  EXPECT_FALSE(changes.enabled) << "changed behaviour: disabled, re-enable to use the new one";
  EXPECT_EQ(changes.parameters.at("after_bytes"), "20");

  EXPECT_FALSE(status("arrives").enabled);
  EXPECT_FALSE(engine().status("goes_away"));
  // Removed and changed ones end their holds; `idle` changed too, though it was not enabled.
  EXPECT_EQ(disabled_calls_, (std::vector<std::string>{"goes_away", "changes", "idle"}));
  EXPECT_EQ(fire(1), std::vector<std::string>{"keeps"});
}

TEST_F(ReloadTest, OverridesSurviveAReloadThatKeepsBehaviour) {
  enable("changes", {{"after_bytes", "99"}});
  auto result = engine().reload_with(load_scenarios_from_text(kBefore, "same.yaml"));
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.disabled.empty());
  EXPECT_TRUE(status("changes").enabled);
  EXPECT_EQ(status("changes").parameters.at("after_bytes"), "99");
  EXPECT_TRUE(disabled_calls_.empty());
}

}  // namespace
}  // namespace adbcfault::fault
