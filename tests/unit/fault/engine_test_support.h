#pragma once
// An engine over scenarios written inline, a fake clock, a fixed seed and a recorded on_disabled.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "fake_clock.h"
#include "fault/scenario_engine.h"
#include "fault/scenario_loader.h"

namespace adbcfault::fault {

inline std::vector<Scenario> scenarios_from(std::string_view yaml) {
  auto result = load_scenarios_from_text(yaml, "engine.yaml");
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.errors.front());
  return result.scenarios;
}

inline ConnectionFacts any_connection(uint64_t flow_id, uint16_t port = 443) {
  return ConnectionFacts{flow_id, 0x0AC80001, 51000, 0x0AC80002, port, std::nullopt};
}

class EngineTest : public ::testing::Test {
 protected:
  static constexpr uint64_t kSeed = 42;

  void start(std::string_view yaml) {
    engine_ = std::make_unique<ScenarioEngine>(scenarios_from(yaml), clock_, kSeed);
    engine_->set_on_disabled([this](const std::string& name) { disabled_calls_.push_back(name); });
  }

  ScenarioEngine& engine() { return *engine_; }

  void enable(const std::string& name, const Overrides& overrides = {}) {
    auto result = engine_->enable(name, overrides);
    ASSERT_TRUE(std::holds_alternative<EnableResult>(result))
        << std::get<EngineError>(result).message;
  }

  std::string enable_error(const std::string& name, const Overrides& overrides) {
    auto result = engine_->enable(name, overrides);
    if (const auto* error = std::get_if<EngineError>(&result)) return error->message;
    ADD_FAILURE() << "enable " << name << " should have failed";
    return "";
  }

  ScenarioStatus status(const std::string& name) {
    auto status = engine_->status(name);
    EXPECT_TRUE(status) << name;
    return status.value_or(ScenarioStatus{});
  }

  // The name of the scenario that fired on each of `count` new connections ("" for none).
  std::vector<std::string> fire(int count, uint16_t port = 443) {
    std::vector<std::string> fired;
    for (int i = 0; i < count; ++i)
      fired.push_back(engine_->on_connection(any_connection(++flow_, port)).scenario);
    return fired;
  }

  FakeClock clock_;
  std::unique_ptr<ScenarioEngine> engine_;
  std::vector<std::string> disabled_calls_;
  uint64_t flow_ = 0;
};

}  // namespace adbcfault::fault
