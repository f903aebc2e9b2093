#include "daemon/status_report.h"

#include <gtest/gtest.h>

namespace adbcfault::daemon {
namespace {

nlohmann::json report_with(steer::NfQueueClassifier::Counters classifier) {
  static const std::vector<steer::InterceptTarget> targets = {{443, 443, std::nullopt}};
  static const relay::RelayCounters relay{};
  return status_report({std::chrono::seconds(3), targets, true, relay, classifier});
}

TEST(StatusReport, NoWarningsKeyWhileEverythingWasIntercepted) {
  steer::NfQueueClassifier::Counters counters;
  counters.queued = counters.intercepted = 5;
  const auto report = report_with(counters);
  EXPECT_FALSE(report.contains("warnings")) << report.dump();
  EXPECT_EQ(report["counters"]["syn_intercepted"], 5);
  EXPECT_EQ(report["counters"]["ipv6_not_intercepted"], 0);
}

TEST(StatusReport, IPv6ConnectionsThatPassedAreCountedAndWarnedAbout) {
  steer::NfQueueClassifier::Counters counters;
  counters.queued = 3;
  counters.ipv6_passed = 3;
  const auto report = report_with(counters);
  EXPECT_EQ(report["counters"]["ipv6_not_intercepted"], 3);
  ASSERT_TRUE(report.contains("warnings")) << report.dump();
  ASSERT_EQ(report["warnings"].size(), 1u);
  const std::string warning = report["warnings"][0];
  EXPECT_NE(warning.find("3 IPv6 connection(s)"), std::string::npos) << warning;
  EXPECT_NE(warning.find("IPv4 only"), std::string::npos) << warning;
}

}  // namespace
}  // namespace adbcfault::daemon
