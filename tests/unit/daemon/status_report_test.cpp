#include "daemon/status_report.h"

#include <gtest/gtest.h>

namespace adbcfault::daemon {
namespace {

nlohmann::json report_with(steer::NfQueueClassifier::Counters classifier,
                           const relay::RelayCounters& relay = {}) {
  static const std::vector<steer::InterceptTarget> targets = {{443, 443, std::nullopt}};
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

TEST(StatusReport, TlsHostsRelayedUntouchedAreListedWithTheirFlows) {
  relay::RelayCounters relay;
  EXPECT_FALSE(report_with({}, relay).contains("tls_relayed_hosts"));
  relay.tls_relayed_hosts.add("apt.example.org");
  relay.tls_relayed_hosts.add("apt.example.org");
  relay.tls_relayed_hosts.add("10.200.1.2");
  const auto report = report_with({}, relay);
  EXPECT_EQ(report["tls_relayed_hosts"], (nlohmann::json{{"apt.example.org", 2}, {"10.200.1.2", 1}}))
      << report.dump();
}

TEST(StatusReport, TlsHandshakeFailuresOnEitherSideAreWarnedAbout) {
  relay::RelayCounters relay;
  relay.tls_intercepted = 4;
  relay.tls_client_handshake_failures = 2;
  relay.tls_upstream_failures = 1;
  const auto report = report_with({}, relay);
  ASSERT_TRUE(report.contains("warnings")) << report.dump();
  ASSERT_EQ(report["warnings"].size(), 2u) << report.dump();
  const std::string client = report["warnings"][0];
  EXPECT_NE(client.find("2 TLS client(s)"), std::string::npos) << client;
  EXPECT_NE(client.find("adbcfault ca"), std::string::npos) << client;
  const std::string upstream = report["warnings"][1];
  EXPECT_NE(upstream.find("1 TLS connection(s) to servers failed"), std::string::npos) << upstream;
  EXPECT_NE(upstream.find("--upstream-ca"), std::string::npos) << upstream;
}

}  // namespace
}  // namespace adbcfault::daemon
