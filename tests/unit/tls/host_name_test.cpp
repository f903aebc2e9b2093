#include "tls/host_name.h"

#include <gtest/gtest.h>

namespace adbcfault::tls {
namespace {

HostName parse(const std::string& text) {
  std::string error;
  std::optional<HostName> host = parse_host_name(text, error);
  EXPECT_TRUE(host.has_value()) << text << ": " << error;
  return host.value_or(HostName{});
}

TEST(HostName, DnsNamesAreLowerCasedWithoutTheTrailingDot) {
  HostName host = parse("Adb-123.Azuredatabricks.NET.");
  EXPECT_EQ(host.kind, HostName::Kind::kDns);
  EXPECT_EQ(host.text, "adb-123.azuredatabricks.net");
  EXPECT_TRUE(host.address.empty());
  EXPECT_EQ(parse("localhost").text, "localhost");
  EXPECT_EQ(parse("legacy_bucket.s3.amazonaws.com").text, "legacy_bucket.s3.amazonaws.com");
  EXPECT_EQ(parse("xn--caf-dma.test").text, "xn--caf-dma.test");
  EXPECT_EQ(parse("1a.2b").text, "1a.2b");
}

TEST(HostName, LimitsAreInclusive) {
  std::string label63(63, 'a');
  EXPECT_EQ(parse(label63 + ".test").text.size(), 68u);
  std::string name253 = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b');
  ASSERT_EQ(name253.size(), 253u);
  EXPECT_EQ(parse(name253).text, name253);
  EXPECT_EQ(parse(name253 + ".").text, name253) << "the trailing dot does not count";
}

TEST(HostName, IpLiteralsAreCanonical) {
  HostName v4 = parse("192.0.2.7");
  EXPECT_EQ(v4.kind, HostName::Kind::kIpv4);
  EXPECT_EQ(v4.address, (std::vector<uint8_t>{192, 0, 2, 7}));
  HostName v6 = parse("[2001:DB8::0:1]");
  EXPECT_EQ(v6.kind, HostName::Kind::kIpv6);
  EXPECT_EQ(v6.text, "2001:db8::1");
  EXPECT_EQ(v6.address.size(), 16u);
  EXPECT_EQ(parse("::ffff:192.0.2.7").kind, HostName::Kind::kIpv6);
}

TEST(HostName, ErrorsSayWhyWithoutEchoingTheName) {
  std::string error;
  EXPECT_FALSE(parse_host_name(std::string(300, 'q'), error));
  EXPECT_EQ(error, "host name of 300 characters (at most 253)");
  EXPECT_FALSE(parse_host_name(std::string(64, 'q') + ".test", error));
  EXPECT_EQ(error, "host name label of 64 characters (at most 63)");
  EXPECT_FALSE(parse_host_name("evil\n.test", error));
  EXPECT_EQ(error.find('\n'), std::string::npos);
  EXPECT_FALSE(parse_host_name("010.0.0.1", error)) << "leading zeros are ambiguous (octal)";
  EXPECT_FALSE(parse_host_name("", error));
  EXPECT_EQ(error, "empty host name");
}

}  // namespace
}  // namespace adbcfault::tls
