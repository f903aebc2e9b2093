#include "fault/connection_match.h"

#include <gtest/gtest.h>

#include "fault/scenario_loader.h"

namespace adbcfault::fault {
namespace {

constexpr uint32_t ip(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return uint32_t{a} << 24 | uint32_t{b} << 16 | uint32_t{c} << 8 | d;
}

ConnectionFacts facts(uint16_t server_port, uint32_t server_ip = ip(10, 200, 0, 2),
                      uint16_t client_port = 51000, std::optional<std::string> host = {}) {
  return ConnectionFacts{7,         ip(10, 200, 0, 1), client_port,
                         server_ip, server_port,       std::move(host)};
}

// The match part of a scenario, through the real loader so the YAML spellings are covered.
ConnectionMatch match_of(const std::string& match_yaml) {
  auto result = load_scenarios_from_text(
      "scenarios:\n  - name: m\n    description: d\n"
      "    action: {type: reset}\n    match: " +
          match_yaml + "\n",
      "m.yaml");
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.errors.front());
  return result.ok() ? result.scenarios.at(0).match : ConnectionMatch{};
}

TEST(ConnectionMatch, EmptyMatchesEverything) {
  EXPECT_TRUE(ConnectionMatch{}.matches(facts(443)));
  EXPECT_TRUE(ConnectionMatch{}.matches(facts(80, ip(1, 2, 3, 4), 1, "any.example")));
}

TEST(ConnectionMatch, SinglePort) {
  auto match = match_of("{port: 443}");
  EXPECT_TRUE(match.matches(facts(443)));
  EXPECT_FALSE(match.matches(facts(444)));
}

TEST(ConnectionMatch, PortList) {
  auto match = match_of("{port: [80, 443]}");
  EXPECT_TRUE(match.matches(facts(80)));
  EXPECT_TRUE(match.matches(facts(443)));
  EXPECT_FALSE(match.matches(facts(8080)));
}

TEST(ConnectionMatch, PortRangeIsInclusive) {
  auto match = match_of("{port: \"8000-8100\"}");
  EXPECT_FALSE(match.matches(facts(7999)));
  EXPECT_TRUE(match.matches(facts(8000)));
  EXPECT_TRUE(match.matches(facts(8100)));
  EXPECT_FALSE(match.matches(facts(8101)));
}

TEST(ConnectionMatch, DestinationCidr) {
  auto match = match_of("{dst: 10.200.0.0/16}");
  EXPECT_TRUE(match.matches(facts(443, ip(10, 200, 9, 9))));
  EXPECT_FALSE(match.matches(facts(443, ip(10, 201, 0, 1))));
}

TEST(ConnectionMatch, DestinationListAndBareAddress) {
  auto match = match_of("{dst: [192.0.2.7, 198.51.100.0/24]}");
  EXPECT_TRUE(match.matches(facts(443, ip(192, 0, 2, 7))));
  EXPECT_FALSE(match.matches(facts(443, ip(192, 0, 2, 8))));
  EXPECT_TRUE(match.matches(facts(443, ip(198, 51, 100, 200))));
}

TEST(ConnectionMatch, ClientPortRangeAndSingle) {
  auto range = match_of("{client_port: \"50000-50010\"}");
  EXPECT_TRUE(range.matches(facts(443, ip(10, 200, 0, 2), 50005)));
  EXPECT_FALSE(range.matches(facts(443, ip(10, 200, 0, 2), 50011)));
  auto single = match_of("{client_port: 50000}");
  EXPECT_TRUE(single.matches(facts(443, ip(10, 200, 0, 2), 50000)));
  EXPECT_FALSE(single.matches(facts(443, ip(10, 200, 0, 2), 50001)));
}

TEST(ConnectionMatch, HostNeverMatchesWhileUnknown) {
  auto match = match_of("{host: \"*.blob.core.windows.net\"}");
  EXPECT_FALSE(match.matches(facts(443)));
  EXPECT_TRUE(match.matches(facts(443, ip(10, 200, 0, 2), 51000, "acct.BLOB.core.windows.net")));
  EXPECT_FALSE(match.matches(facts(443, ip(10, 200, 0, 2), 51000, "blob.core.windows.net.evil")));
}

TEST(ConnectionMatch, AllKeysMustMatch) {
  auto match = match_of("{port: 443, dst: 10.200.0.0/16}");
  EXPECT_TRUE(match.matches(facts(443, ip(10, 200, 0, 2))));
  EXPECT_FALSE(match.matches(facts(80, ip(10, 200, 0, 2))));
  EXPECT_FALSE(match.matches(facts(443, ip(10, 1, 0, 2))));
}

TEST(ConnectionMatch, ParseErrors) {
  std::string error;
  EXPECT_FALSE(parse_port_range("90-80", error));
  EXPECT_EQ(error, "range 90-80 ends before it starts");
  EXPECT_FALSE(parse_port_range("0", error));
  EXPECT_EQ(error, "must be a port 1-65535 or a range like \"8000-8100\"");
}

TEST(ConnectionMatch, LoaderRefusesBadMatchValues) {
  auto result = load_scenarios_from_text(R"(scenarios:
  - name: m
    description: d
    action: {type: reset}
    match:
      dst: [10.0.0.0/8, nonsense]
      client_port: [1, 2]
      host: ""
)",
                                         "m.yaml");
  EXPECT_EQ(result.errors,
            (std::vector<std::string>{
                "m.yaml:6:25: match.dst[1]: must be an IPv4 address or CIDR like \"10.0.0.0/8\"",
                "m.yaml:7:20: match.client_port: must be a port or a range like \"8000-8100\"",
                "m.yaml:8:13: match.host: must be a host name pattern like \"*.example.com\", or a list of "
          "them",
            }));
}

}  // namespace
}  // namespace adbcfault::fault
