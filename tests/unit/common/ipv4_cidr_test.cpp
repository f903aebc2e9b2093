#include "common/ipv4_cidr.h"

#include <gtest/gtest.h>

namespace adbcfault {
namespace {

constexpr uint32_t ip(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  return a << 24 | b << 16 | c << 8 | d;
}

TEST(Ipv4Cidr, ParsesMasksAndPrints) {
  std::string error;
  auto masked = parse_ipv4_cidr("10.1.2.3/8", error);
  ASSERT_TRUE(masked) << error;
  EXPECT_EQ(masked->network, ip(10, 0, 0, 0));
  EXPECT_EQ(masked->to_string(), "10.0.0.0/8");
  auto host = parse_ipv4_cidr("192.0.2.7", error);
  ASSERT_TRUE(host) << error;
  EXPECT_EQ(host->to_string(), "192.0.2.7/32");
  auto everything = parse_ipv4_cidr("0.0.0.0/0", error);
  ASSERT_TRUE(everything) << error;
  EXPECT_TRUE(everything->contains(ip(203, 0, 113, 9)));
}

TEST(Ipv4Cidr, ContainsExactlyItsAddresses) {
  std::string error;
  auto net = *parse_ipv4_cidr("10.200.0.0/16", error);
  EXPECT_TRUE(net.contains(ip(10, 200, 0, 0)));
  EXPECT_TRUE(net.contains(ip(10, 200, 255, 255)));
  EXPECT_FALSE(net.contains(ip(10, 201, 0, 0)));
  EXPECT_FALSE(net.contains(ip(10, 199, 255, 255)));
}

TEST(Ipv4Cidr, ErrorsSayWhatIsWrong) {
  std::string error;
  EXPECT_FALSE(parse_ipv4_cidr("10.0.0.0/33", error));
  EXPECT_EQ(error, "prefix length '33' must be 0-32");
  EXPECT_FALSE(parse_ipv4_cidr("10.0.0.0/", error));
  EXPECT_EQ(error, "prefix length '' must be 0-32");
  EXPECT_FALSE(parse_ipv4_cidr("10.0.0", error));
  EXPECT_EQ(error, "'10.0.0' is not an IPv4 address");
  EXPECT_FALSE(parse_ipv4_cidr("2001:db8::/32", error));
  EXPECT_EQ(error, "'2001:db8::' is not an IPv4 address");
}

}  // namespace
}  // namespace adbcfault
