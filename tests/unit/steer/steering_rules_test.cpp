#include "steer/steering_rules.h"

#include <gtest/gtest.h>

#include <vector>

namespace adbcfault::steer {
namespace {

// Records what would have been sent to iptables-restore and answers iptables-save from a script.
class FakeIptables : public Iptables {
 public:
  std::vector<std::string> saves;  // answered in order; the last one repeats
  std::vector<std::string> restored;
  int restore_exit = 0;
  int table_deletions = 0;

  CommandResult save_mangle() override {
    std::string out = saves.at(std::min(save_calls++, saves.size() - 1));
    return {0, out, ""};
  }
  CommandResult restore(const std::string& rules) override {
    restored.push_back(rules);
    return {restore_exit, "", restore_exit ? "iptables-restore: line 7 failed" : ""};
  }
  CommandResult delete_mangle_table() override {
    ++table_deletions;
    return {0, "", ""};
  }

 private:
  size_t save_calls = 0;
};

const std::string kOurs = "*mangle\n:OUTPUT ACCEPT [0:0]\n:ADBCFAULT_OUTPUT - [0:0]\n"
                          "-A OUTPUT -j ADBCFAULT_OUTPUT\nCOMMIT\n";
const std::string kEmptyTable = "*mangle\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n";

RuleParams params() { return {{InterceptTarget{443, 443, std::nullopt}}, 15001, 4097}; }

TEST(SteeringRules, InstallOnACleanHostThenDestructorRemovesAndDropsTheTableItCreated) {
  FakeIptables fake;
  fake.saves = {"", "", kOurs, kEmptyTable};  // existence, stale check, then at removal
  {
    SteeringRules rules(fake, params());
    rules.install();
    EXPECT_TRUE(rules.installed());
    ASSERT_EQ(fake.restored.size(), 1u);
    EXPECT_NE(fake.restored[0].find("NFQUEUE --queue-num 4097"), std::string::npos);
  }
  ASSERT_EQ(fake.restored.size(), 2u);
  EXPECT_EQ(fake.restored[1].rfind("*mangle\n-D OUTPUT -j ADBCFAULT_OUTPUT\n", 0), 0u);
  EXPECT_EQ(fake.table_deletions, 1);
}

TEST(SteeringRules, StaleRulesAreRemovedBeforeInstallAndAnExistingTableIsKept) {
  FakeIptables fake;
  fake.saves = {kOurs, kOurs, kEmptyTable, kOurs, kEmptyTable};
  {
    SteeringRules rules(fake, params());
    rules.install();
    ASSERT_EQ(fake.restored.size(), 2u);
    EXPECT_NE(fake.restored[0].find("-D OUTPUT -j ADBCFAULT_OUTPUT"), std::string::npos);
    EXPECT_NE(fake.restored[1].find("-I OUTPUT 1 -j ADBCFAULT_OUTPUT"), std::string::npos);
  }
  EXPECT_EQ(fake.table_deletions, 0);
}

TEST(SteeringRules, FailedRestoreThrowsWithTheReasonAndLeavesNothing) {
  FakeIptables fake;
  fake.saves = {"", kEmptyTable};
  fake.restore_exit = 1;
  SteeringRules rules(fake, params());
  try {
    rules.install();
    FAIL() << "install should have thrown";
  } catch (const SteerError& error) {
    EXPECT_NE(std::string(error.what()).find("line 7 failed"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("TPROXY"), std::string::npos);
  }
  EXPECT_FALSE(rules.installed());
  EXPECT_EQ(fake.table_deletions, 1);
}

TEST(SteeringRules, RemoveAllForCleanupDropsAnEmptyTable) {
  FakeIptables fake;
  fake.saves = {kOurs, kEmptyTable};
  EXPECT_EQ(SteeringRules::remove_all(fake), "");
  EXPECT_EQ(fake.restored.size(), 1u);
  EXPECT_EQ(fake.table_deletions, 1);
}

}  // namespace
}  // namespace adbcfault::steer
