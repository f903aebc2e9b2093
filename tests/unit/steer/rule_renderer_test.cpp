#include "steer/rule_renderer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace adbcfault::steer {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

InterceptTarget target(std::string_view text) {
  std::string error;
  return parse_intercept_target(text, error).value();
}

TEST(RuleRenderer, InstallRulesMatchGolden) {
  RuleParams params{{target("tcp/443"), target("tcp/8000-8100@10.200.0.0/16")}, 15001, 4097};
  EXPECT_EQ(render_install_rules(params),
            read_file(std::string(ADBCFAULT_TEST_DATA_DIR) + "/golden/install_rules.txt"));
}

// The IPv6 watch queues only targets without an address range: those ranges are IPv4.
TEST(RuleRenderer, Ipv6WatchRulesMatchGolden) {
  RuleParams params{{target("tcp/443"), target("tcp/8000-8100@10.200.0.0/16")}, 15001, 4097};
  EXPECT_EQ(render_ipv6_watch_rules(params),
            read_file(std::string(ADBCFAULT_TEST_DATA_DIR) + "/golden/ipv6_watch_rules.txt"));
}

TEST(RuleRenderer, NoIpv6WatchWhenEveryTargetNamesIpv4Addresses) {
  RuleParams params{{target("tcp/8000-8100@10.200.0.0/16")}, 15001, 4097};
  EXPECT_EQ(render_ipv6_watch_rules(params), "");
}

// What iptables-save shows after the install above, plus a rule of somebody else's.
constexpr std::string_view kInstalledSave = R"(*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:ADBCFAULT_OUTPUT - [0:0]
:ADBCFAULT_POSTROUTING - [0:0]
:ADBCFAULT_PREROUTING - [0:0]
:OTHER - [0:0]
-A PREROUTING -j ADBCFAULT_PREROUTING
-A OUTPUT -j ADBCFAULT_OUTPUT
-A OUTPUT -p udp -j OTHER
-A POSTROUTING -j ADBCFAULT_POSTROUTING
-A ADBCFAULT_OUTPUT -m mark --mark 0x40000000/0x40000000 -j RETURN
COMMIT
)";

TEST(RuleRenderer, RemovalTakesOutExactlyOurs) {
  EXPECT_EQ(render_removal_rules(kInstalledSave),
            "*mangle\n"
            "-D PREROUTING -j ADBCFAULT_PREROUTING\n"
            "-D OUTPUT -j ADBCFAULT_OUTPUT\n"
            "-D POSTROUTING -j ADBCFAULT_POSTROUTING\n"
            "-F ADBCFAULT_OUTPUT\n-F ADBCFAULT_POSTROUTING\n-F ADBCFAULT_PREROUTING\n"
            "-X ADBCFAULT_OUTPUT\n-X ADBCFAULT_POSTROUTING\n-X ADBCFAULT_PREROUTING\n"
            "COMMIT\n");
}

TEST(RuleRenderer, RemovalOfNothingIsEmpty) {
  EXPECT_EQ(render_removal_rules(""), "");
  EXPECT_EQ(render_removal_rules("*mangle\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -j OTHER\nCOMMIT\n"), "");
}

TEST(RuleRenderer, DuplicateJumpsFromACrashLoopAreAllRemoved) {
  std::string save = "*mangle\n:ADBCFAULT_OUTPUT - [0:0]\n-A OUTPUT -j ADBCFAULT_OUTPUT\n"
                     "-A OUTPUT -j ADBCFAULT_OUTPUT\nCOMMIT\n";
  EXPECT_EQ(render_removal_rules(save),
            "*mangle\n-D OUTPUT -j ADBCFAULT_OUTPUT\n-D OUTPUT -j ADBCFAULT_OUTPUT\n"
            "-F ADBCFAULT_OUTPUT\n-X ADBCFAULT_OUTPUT\nCOMMIT\n");
}

TEST(RuleRenderer, EmptyTableDetection) {
  std::string empty = "*mangle\n:PREROUTING ACCEPT [3:120]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n";
  EXPECT_TRUE(mangle_table_exists(empty));
  EXPECT_TRUE(mangle_table_is_empty(empty));
  EXPECT_FALSE(mangle_table_is_empty(kInstalledSave));
  EXPECT_FALSE(mangle_table_is_empty("*mangle\n:OUTPUT DROP [0:0]\nCOMMIT\n"));
  EXPECT_FALSE(mangle_table_exists(""));
}

TEST(RuleRenderer, MangleSectionIsCutFromAFullSave) {
  std::string full = "# Generated\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n*mangle\n"
                     ":OUTPUT ACCEPT [0:0]\n-A OUTPUT -j X\nCOMMIT\n*nat\nCOMMIT\n";
  EXPECT_EQ(mangle_section(full), "*mangle\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -j X\nCOMMIT\n");
  EXPECT_EQ(mangle_section("*filter\nCOMMIT\n"), "");
}

}  // namespace
}  // namespace adbcfault::steer
