#include "tls/intercept_policy.h"

#include "common/glob.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <span>

namespace adbcfault::tls {
namespace {

// The default globs, kept per provider.
// Each one is as narrow as the traffic it exists for: any host matched here stops working for
// clients on the VM that do not trust our CA.

// Workspaces only, not `*.databricks.com`: the website, docs and community hosts carry no driver
// traffic. GovCloud (`*.cloud.databricks.us`) and Azure China (`*.databricks.azure.cn`) can be
// added through `tls_intercept`.
constexpr std::array<std::string_view, 3> kDatabricksGlobs = {
    "*.cloud.databricks.com",  // AWS workspaces: dbc-1234abcd-5678.cloud.databricks.com
    "*.azuredatabricks.net",   // Azure workspaces: adb-1234567890123456.7.azuredatabricks.net
    "*.gcp.databricks.com",    // GCP workspaces: 1234567890123456.7.gcp.databricks.com
};

// S3 endpoints in every spelling a presigned URL uses, but not `*.amazonaws.com`: that would also
// take STS, EC2, SSM and every other AWS API the VM's own tools and agents talk to.
constexpr std::array<std::string_view, 6> kS3Globs = {
    "s3.amazonaws.com",      // global endpoint, path style: s3.amazonaws.com/bucket/key
    "*.s3.amazonaws.com",    // global endpoint, virtual-hosted: bucket.s3.amazonaws.com
    "s3.*.amazonaws.com",    // regional, path style: s3.us-west-2.amazonaws.com,
                             // s3.dualstack.us-west-2.amazonaws.com
    "*.s3.*.amazonaws.com",  // regional, virtual-hosted: bucket.s3.us-west-2.amazonaws.com
    "s3-*.amazonaws.com",    // legacy dash forms: s3-us-west-2.amazonaws.com, s3-external-1
    "*.s3-*.amazonaws.com",  // bucket.s3-us-west-2..., bucket.s3-accelerate..., access points
};

constexpr std::array<std::string_view, 2> kAzureGlobs = {
    "*.blob.core.windows.net",  // Blob storage (CloudFetch on Azure): acct.blob.core.windows.net
    "*.dfs.core.windows.net",   // ADLS Gen2 endpoint of the same accounts
};

constexpr std::array<std::string_view, 2> kGcsGlobs = {
    "storage.googleapis.com",    // path style: storage.googleapis.com/bucket/object
    "*.storage.googleapis.com",  // virtual-hosted: bucket.storage.googleapis.com
};

template <size_t N>
bool any_matches(const std::array<std::string_view, N>& globs, std::string_view host) {
  return std::any_of(globs.begin(), globs.end(),
                     [&](std::string_view glob) { return glob_matches(glob, host); });
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

bool only_chars(std::string_view text, std::string_view allowed) {
  return text.find_first_not_of(allowed) == std::string_view::npos;
}

// A character for an error message: itself when printable, else its hex value, so that a bad
// config line cannot put control characters into the log.
std::string describe(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x21 && byte < 0x7f) return std::string("'") + c + "'";
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", byte);
  return buf;
}

}  // namespace

bool should_intercept(const InterceptPolicy& policy, const std::optional<std::string>& sni,
                      uint32_t dst_ip_host_order, const std::vector<std::string>& extra_globs) {
  if (sni && !sni->empty()) {
    auto matches = [&](const std::string& glob) { return glob_matches(glob, *sni); };
    return std::any_of(policy.host_globs.begin(), policy.host_globs.end(), matches) ||
           std::any_of(extra_globs.begin(), extra_globs.end(), matches);
  }
  return std::any_of(policy.addresses.begin(), policy.addresses.end(),
                     [&](const steer::Ipv4Cidr& cidr) { return cidr.contains(dst_ip_host_order); });
}

InterceptPolicy default_intercept_policy() {
  InterceptPolicy policy;
  for (auto globs :
       {std::span<const std::string_view>(kDatabricksGlobs),
        std::span<const std::string_view>(kS3Globs), std::span<const std::string_view>(kAzureGlobs),
        std::span<const std::string_view>(kGcsGlobs)}) {
    policy.host_globs.insert(policy.host_globs.end(), globs.begin(), globs.end());
  }
  return policy;  // no addresses: without SNI nothing is intercepted unless configured
}

std::optional<InterceptEntry> parse_intercept_entry(std::string_view text, std::string& error) {
  constexpr std::string_view kHint =
      "write a host glob such as *.example.com or an IPv4 CIDR "
      "such as 10.0.0.0/8";
  if (text.empty()) {
    error = "is empty; " + std::string(kHint);
    return std::nullopt;
  }
  if (only_chars(text, "0123456789./")) {
    auto cidr = steer::parse_ipv4_cidr(text, error);
    if (!cidr) return std::nullopt;
    return InterceptEntry(*cidr);
  }
  if (text.find(':') != std::string_view::npos) {
    error = "URLs, ports and IPv6 addresses are not supported; " + std::string(kHint);
    return std::nullopt;
  }
  // "10.0.0.*" would be taken as a host glob and never match: SNI never carries an address.
  if (only_chars(text, "0123456789.*/") && text.find_first_of("0123456789") != text.npos) {
    error = "looks like an address pattern; write addresses as a CIDR such as 10.0.0.0/8";
    return std::nullopt;
  }
  if (text.size() > 255) {
    error = "is " + std::to_string(text.size()) + " characters, longer than any host name (255)";
    return std::nullopt;
  }
  std::string glob;
  glob.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!is_host_char(c) && c != '*') {
      error = "character " + describe(c) + " at position " + std::to_string(i + 1) +
              " is not allowed in a host glob (letters, digits, '-', '_', '.', '*')";
      return std::nullopt;
    }
    glob.push_back(lower(c));
  }
  return InterceptEntry(std::move(glob));
}

std::optional<InterceptPolicy> parse_intercept_policy(const std::vector<std::string>& entries,
                                                      std::string& error) {
  InterceptPolicy policy;
  for (size_t i = 0; i < entries.size(); ++i) {
    std::string reason;
    auto entry = parse_intercept_entry(entries[i], reason);
    if (!entry) {
      std::string shown;
      for (char c : entries[i]) shown += c >= 0x20 && c < 0x7f ? c : '?';
      error = "entry " + std::to_string(i + 1) + " '" + shown + "': " + reason;
      return std::nullopt;
    }
    if (auto* glob = std::get_if<std::string>(&*entry)) {
      policy.host_globs.push_back(std::move(*glob));
    } else {
      policy.addresses.push_back(std::get<steer::Ipv4Cidr>(*entry));
    }
  }
  return policy;
}


}  // namespace adbcfault::tls
