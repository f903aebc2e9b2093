#include <gtest/gtest.h>
#include <netinet/in.h>

#include "steer/nfqueue_classifier.h"

namespace adbcfault::steer {
namespace {

// A table of described packets: what the classifier must read from each.
struct Case {
  const char* description;
  std::vector<unsigned char> bytes;
  bool parses;
  SynPacket expected;
};

std::vector<unsigned char> ipv4_tcp(uint8_t ihl_words, uint8_t protocol) {
  std::vector<unsigned char> p(ihl_words * 4 + 20, 0);
  p[0] = static_cast<unsigned char>(0x40 | ihl_words);
  p[9] = protocol;
  unsigned char src[] = {10, 200, 1, 1}, dst[] = {10, 200, 1, 2};
  std::copy(src, src + 4, p.begin() + 12);
  std::copy(dst, dst + 4, p.begin() + 16);
  p[ihl_words * 4 + 0] = 0xd4;  // source port 54321
  p[ihl_words * 4 + 1] = 0x31;
  p[ihl_words * 4 + 2] = 0x01;  // destination port 443
  p[ihl_words * 4 + 3] = 0xbb;
  return p;
}

TEST(ParseSynPacket, TableOfPackets) {
  const SynPacket expected{0x0ac80101, 0x0ac80102, 54321, 443};
  std::vector<Case> cases = {
      {"plain IPv4/TCP", ipv4_tcp(5, 6), true, expected},
      {"IPv4 with options", ipv4_tcp(8, 6), true, expected},
      {"UDP is not ours", ipv4_tcp(5, 17), false, {}},
      {"IPv6 version nibble", [] { auto p = ipv4_tcp(5, 6); p[0] = 0x60; return p; }(), false, {}},
      {"header length below 20", [] { auto p = ipv4_tcp(5, 6); p[0] = 0x44; return p; }(), false, {}},
      {"truncated before ports", [] { auto p = ipv4_tcp(5, 6); p.resize(22); return p; }(), false, {}},
      {"empty", {}, false, {}},
  };
  for (const auto& c : cases) {
    SynPacket got;
    EXPECT_EQ(parse_syn_packet(c.bytes.data(), c.bytes.size(), got), c.parses) << c.description;
    if (c.parses) {
      EXPECT_EQ(got.src_ip, c.expected.src_ip) << c.description;
      EXPECT_EQ(got.dst_ip, c.expected.dst_ip) << c.description;
      EXPECT_EQ(got.src_port, c.expected.src_port) << c.description;
      EXPECT_EQ(got.dst_port, c.expected.dst_port) << c.description;
    }
  }
}

std::vector<unsigned char> ipv6(uint8_t next_header, size_t length = 60) {
  std::vector<unsigned char> p(length, 0);
  p[0] = 0x60;
  p[6] = next_header;
  p[24] = 0x20;  // destination 2001:db8::7
  p[25] = 0x01;
  p[26] = 0x0d;
  p[27] = 0xb8;
  p[39] = 0x07;
  if (length >= 44) {
    p[42] = 0x01;  // destination port 443
    p[43] = 0xbb;
  }
  return p;
}

TEST(ParseIpv6Destination, ReadsTheAddressAndTheTcpPort) {
  Ipv6Destination got;
  auto packet = ipv6(IPPROTO_TCP);
  ASSERT_TRUE(parse_ipv6_destination(packet.data(), packet.size(), got));
  EXPECT_EQ(to_string(got), "[2001:db8::7]:443");
}

TEST(ParseIpv6Destination, BehindAnExtensionHeaderTheAddressAloneIsKnown) {
  Ipv6Destination got;
  auto packet = ipv6(0 /* hop-by-hop options */);
  ASSERT_TRUE(parse_ipv6_destination(packet.data(), packet.size(), got));
  EXPECT_EQ(got.port, 0);
  EXPECT_EQ(to_string(got), "[2001:db8::7]");
}

TEST(ParseIpv6Destination, RefusesIpv4AndTruncatedPackets) {
  Ipv6Destination got;
  auto v4 = ipv4_tcp(5, 6);
  EXPECT_FALSE(parse_ipv6_destination(v4.data(), v4.size(), got));
  auto short_header = ipv6(IPPROTO_TCP, 39);
  EXPECT_FALSE(parse_ipv6_destination(short_header.data(), short_header.size(), got));
  auto no_ports = ipv6(IPPROTO_TCP, 41);
  ASSERT_TRUE(parse_ipv6_destination(no_ports.data(), no_ports.size(), got));
  EXPECT_EQ(to_string(got), "[2001:db8::7]");
}

}  // namespace
}  // namespace adbcfault::steer
