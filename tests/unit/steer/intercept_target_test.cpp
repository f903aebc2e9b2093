#include "steer/intercept_target.h"

#include <gtest/gtest.h>

namespace adbcfault::steer {
namespace {

InterceptTarget parse_ok(std::string_view text) {
  std::string error;
  auto target = parse_intercept_target(text, error);
  EXPECT_TRUE(target.has_value()) << text << ": " << error;
  return target.value_or(InterceptTarget{});
}

std::string parse_error(std::string_view text) {
  std::string error;
  EXPECT_FALSE(parse_intercept_target(text, error).has_value()) << text;
  return error;
}

TEST(InterceptTarget, SinglePort) {
  auto target = parse_ok("tcp/443");
  EXPECT_EQ(target.first_port, 443);
  EXPECT_EQ(target.last_port, 443);
  EXPECT_FALSE(target.destination);
  EXPECT_EQ(target.to_string(), "tcp/443");
}

TEST(InterceptTarget, RangeWithCidrIsCanonicalised) {
  auto target = parse_ok("tcp/8000-8100@10.200.7.9/16");
  EXPECT_EQ(target.first_port, 8000);
  EXPECT_EQ(target.last_port, 8100);
  ASSERT_TRUE(target.destination);
  EXPECT_EQ(target.to_string(), "tcp/8000-8100@10.200.0.0/16");
  EXPECT_TRUE(target.destination->contains(0x0AC80101));   // 10.200.1.1
  EXPECT_FALSE(target.destination->contains(0x0AC90101));  // 10.201.1.1
}

TEST(InterceptTarget, BareAddressIsSlash32) {
  EXPECT_EQ(parse_ok("tcp/80@10.200.1.2").to_string(), "tcp/80@10.200.1.2/32");
}

TEST(InterceptTarget, ErrorsSayWhatIsWrong) {
  EXPECT_EQ(parse_error("udp/53"), "must look like tcp/PORT[-PORT][@CIDR] (only tcp is supported)");
  EXPECT_EQ(parse_error("tcp/http"), "port 'http' is not a number");
  EXPECT_EQ(parse_error("tcp/0"), "port 0 is out of range 1-65535");
  EXPECT_EQ(parse_error("tcp/70000"), "port 70000 is out of range 1-65535");
  EXPECT_EQ(parse_error("tcp/90-80"), "port range 90-80 ends before it starts");
  EXPECT_EQ(parse_error("tcp/443@10.0.0.0/33"), "prefix length '33' must be 0-32");
  EXPECT_EQ(parse_error("tcp/443@10.0.0"), "'10.0.0' is not an IPv4 address");
}

TEST(InterceptTarget, NeverPort22) {
  EXPECT_NE(parse_error("tcp/22").find("port 22 is never intercepted"), std::string::npos);
  EXPECT_NE(parse_error("tcp/1-1024").find("port 22"), std::string::npos);
}

TEST(InterceptTarget, DefaultsAre443And80) {
  auto targets = default_intercept_targets();
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0].to_string(), "tcp/443");
  EXPECT_EQ(targets[1].to_string(), "tcp/80");
}

}  // namespace
}  // namespace adbcfault::steer
