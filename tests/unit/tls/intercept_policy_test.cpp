#include "tls/intercept_policy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace adbcfault::tls {
namespace {

constexpr uint32_t ip(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return uint32_t{a} << 24 | uint32_t{b} << 16 | uint32_t{c} << 8 | d;
}

const std::vector<std::string> kNoExtra;

bool intercepts(const std::string& host) {
  return should_intercept(default_intercept_policy(), host, ip(93, 184, 216, 34), kNoExtra);
}

// ---- Defaults against realistic names -----------------------------------------------------------

TEST(DefaultInterceptPolicy, InterceptsWorkspacesAndStorage) {
  for (const char* host : {
           // Databricks workspaces
           "adb-1234567890123456.7.azuredatabricks.net",
           "adb-123.4.azuredatabricks.net",
           "dbc-1234.cloud.databricks.com",
           "dbc-a1b2c3d4-e5f6.cloud.databricks.com",
           "1234567890123456.7.gcp.databricks.com",
           // S3 in every spelling presigned URLs use
           "s3.amazonaws.com",
           "mybucket.s3.amazonaws.com",
           "s3.us-west-2.amazonaws.com",
           "mybucket.s3.us-west-2.amazonaws.com",
           "my.dotted.bucket.s3.us-west-2.amazonaws.com",
           "mybucket.s3.dualstack.us-east-1.amazonaws.com",
           "s3-us-west-2.amazonaws.com",
           "mybucket.s3-us-west-2.amazonaws.com",
           "mybucket.s3-accelerate.amazonaws.com",
           "ap-123456789012.s3-accesspoint.us-east-1.amazonaws.com",
           // Azure
           "acct.blob.core.windows.net",
           "dbstorageabc123.blob.core.windows.net",
           "acct.dfs.core.windows.net",
           // GCS
           "storage.googleapis.com",
           "mybucket.storage.googleapis.com",
           // Case does not matter
           "ADB-123.4.AzureDatabricks.NET",
       }) {
    EXPECT_TRUE(intercepts(host)) << host;
  }
}

TEST(DefaultInterceptPolicy, LeavesOtherHttpsAlone) {
  for (const char* host : {
           "github.com",
           "api.github.com",
           "deb.debian.org",
           "security.debian.org",
           "pypi.org",
           "files.pythonhosted.org",
           "registry.npmjs.org",
           "example.com",
           // Databricks hosts that are not workspaces
           "www.databricks.com",
           "docs.databricks.com",
           "databricks.com",
           // AWS APIs other than S3: the VM's own tools must keep working
           "sts.amazonaws.com",
           "ec2.us-east-1.amazonaws.com",
           "ssm.us-west-2.amazonaws.com",
           "mys3bucket.example.com",
           // Other Azure and Google services
           "login.microsoftonline.com",
           "acct.queue.core.windows.net",
           "www.googleapis.com",
           "oauth2.googleapis.com",
           // Look-alikes: the suffix must really be the suffix
           "azuredatabricks.net.evil.com",
           "blob.core.windows.net",
           "cloud.databricks.com",
           "storage.googleapis.com.evil.com",
           "evilstorage.googleapis.com",
       }) {
    EXPECT_FALSE(intercepts(host)) << host;
  }
}

TEST(DefaultInterceptPolicy, HasNoAddresses) {
  const InterceptPolicy policy = default_intercept_policy();
  EXPECT_TRUE(policy.addresses.empty());
  EXPECT_FALSE(should_intercept(policy, std::nullopt, ip(10, 200, 1, 2), kNoExtra));
  for (const auto& glob : policy.host_globs) {
    std::string error;
    EXPECT_TRUE(parse_intercept_entry(glob, error).has_value()) << glob << ": " << error;
  }
}

// ---- Flows without SNI ------------------------------------------------------------------------

TEST(ShouldIntercept, NoSniUsesTheOriginalDestination) {
  std::string error;
  auto policy =
      parse_intercept_policy({"*.azuredatabricks.net", "10.200.0.0/16", "192.0.2.7"}, error);
  ASSERT_TRUE(policy) << error;
  EXPECT_TRUE(should_intercept(*policy, std::nullopt, ip(10, 200, 3, 4), kNoExtra));
  EXPECT_TRUE(should_intercept(*policy, std::nullopt, ip(192, 0, 2, 7), kNoExtra));
  EXPECT_FALSE(should_intercept(*policy, std::nullopt, ip(192, 0, 2, 8), kNoExtra));
  EXPECT_FALSE(should_intercept(*policy, std::nullopt, ip(10, 201, 0, 1), kNoExtra));
  // An empty SNI (the parser never yields one, but a caller might) counts as none.
  EXPECT_TRUE(should_intercept(*policy, std::string(), ip(10, 200, 3, 4), kNoExtra));
  // Extra globs name hosts; they cannot match a flow that names none.
  EXPECT_FALSE(should_intercept(*policy, std::nullopt, ip(8, 8, 8, 8), {"*"}));
}

TEST(ShouldIntercept, WithSniTheAddressDoesNotCount) {
  std::string error;
  auto policy = parse_intercept_policy({"10.200.0.0/16"}, error);
  ASSERT_TRUE(policy) << error;
  EXPECT_FALSE(should_intercept(*policy, std::string("github.com"), ip(10, 200, 3, 4), kNoExtra));
}

// ---- Extra globs from enabled scenarios --------------------------------------------------------

TEST(ShouldIntercept, ExtraGlobsAddHosts) {
  const InterceptPolicy policy = default_intercept_policy();
  const std::vector<std::string> extra = {"fake-hs2.test", "*.internal.example"};
  EXPECT_TRUE(should_intercept(policy, std::string("fake-hs2.test"), 0, extra));
  EXPECT_TRUE(should_intercept(policy, std::string("A.Internal.Example"), 0, extra));
  EXPECT_TRUE(should_intercept(policy, std::string("acct.blob.core.windows.net"), 0, extra));
  EXPECT_FALSE(should_intercept(policy, std::string("github.com"), 0, extra));
  EXPECT_FALSE(should_intercept(policy, std::string("fake-hs2.test"), 0, kNoExtra));
}

TEST(ShouldIntercept, EmptyPolicyInterceptsNothing) {
  const InterceptPolicy empty;
  EXPECT_FALSE(should_intercept(empty, std::string("adb-1.2.azuredatabricks.net"), 0, kNoExtra));
  EXPECT_FALSE(should_intercept(empty, std::nullopt, ip(10, 0, 0, 1), kNoExtra));
}

// ---- Parsing `tls_intercept` entries -----------------------------------------------------------

TEST(ParseInterceptEntry, HostGlobsAreLowerCased) {
  std::string error;
  auto entry = parse_intercept_entry("*.Example.COM", error);
  ASSERT_TRUE(entry) << error;
  EXPECT_EQ(std::get<std::string>(*entry), "*.example.com");
  entry = parse_intercept_entry("my_host-1.internal", error);
  ASSERT_TRUE(entry) << error;
  EXPECT_EQ(std::get<std::string>(*entry), "my_host-1.internal");
}

TEST(ParseInterceptEntry, AddressesAndCidrs) {
  std::string error;
  auto entry = parse_intercept_entry("10.200.7.9/16", error);
  ASSERT_TRUE(entry) << error;
  EXPECT_EQ(std::get<steer::Ipv4Cidr>(*entry).to_string(), "10.200.0.0/16");
  entry = parse_intercept_entry("192.0.2.7", error);
  ASSERT_TRUE(entry) << error;
  EXPECT_EQ(std::get<steer::Ipv4Cidr>(*entry).to_string(), "192.0.2.7/32");
}

struct BadEntry {
  std::string text;
  std::string error_part;
  friend void PrintTo(const BadEntry& entry, std::ostream* os) { *os << entry.error_part; }
};

class ParseInterceptEntryBad : public testing::TestWithParam<BadEntry> {};

TEST_P(ParseInterceptEntryBad, IsRefusedWithAReason) {
  std::string error;
  EXPECT_FALSE(parse_intercept_entry(GetParam().text, error).has_value());
  EXPECT_NE(error.find(GetParam().error_part), std::string::npos) << error;
  for (char c : error) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << "unsafe byte in error";
}

INSTANTIATE_TEST_SUITE_P(
    All, ParseInterceptEntryBad,
    testing::Values(BadEntry{"", "is empty"},
                    BadEntry{"10.0.0.0/33", "prefix length '33' must be 0-32"},
                    BadEntry{"10.0.0", "is not an IPv4 address"},
                    BadEntry{"300.1.1.1", "is not an IPv4 address"},
                    BadEntry{"10.0.0.*", "looks like an address pattern"},
                    BadEntry{"https://adb-1.2.azuredatabricks.net", "URLs, ports and IPv6"},
                    BadEntry{"example.com:443", "URLs, ports and IPv6"},
                    BadEntry{"fd00::/8", "URLs, ports and IPv6"},
                    BadEntry{"exa mple.com", "character 0x20 at position 4"},
                    BadEntry{"example.com/path", "character '/' at position 12"},
                    BadEntry{"bad\x01host", "character 0x01 at position 4"},
                    BadEntry{"host?.example.com", "character '?'"},
                    BadEntry{std::string(256, 'a'), "longer than any host name"}));

TEST(ParseInterceptPolicy, NamesTheBadEntry) {
  std::string error;
  EXPECT_FALSE(parse_intercept_policy({"*.example.com", "10.0.0.0/8", "bad host\n"}, error));
  EXPECT_EQ(error.rfind("entry 3 'bad host?': character 0x20 at position 4", 0), 0u) << error;
}

TEST(ParseInterceptPolicy, SplitsGlobsAndAddresses) {
  std::string error;
  auto policy = parse_intercept_policy({"*.Example.com", "10.0.0.0/8", "fake-hs2.test"}, error);
  ASSERT_TRUE(policy) << error;
  EXPECT_EQ(policy->host_globs, (std::vector<std::string>{"*.example.com", "fake-hs2.test"}));
  ASSERT_EQ(policy->addresses.size(), 1u);
  EXPECT_EQ(policy->addresses[0].to_string(), "10.0.0.0/8");
  EXPECT_EQ(parse_intercept_policy({}, error), InterceptPolicy{});
}


}  // namespace
}  // namespace adbcfault::tls
