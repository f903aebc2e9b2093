// The CloudFetch catalogue (scenarios/cloudfetch.yaml) over HTTPS, observed by curl as a driver
// downloading result chunks would see it: the storage hosts are intercepted by the DEFAULT
// policy (no --tls-intercept), curl trusts only our CA and reaches the test server through
// --resolve under a storage provider's name. Each scenario is one-shot: the next download works.

#include <filesystem>
#include <fstream>
#include <iterator>

#include "scenario_fixture.h"
#include "tls_fixture.h"
#include "wait.h"

namespace adbcfault::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr char kSignature[] = "sv=2021-08-06&sig=c10udfe7c4SIGNATUREa11ce";

class CloudFetchTest : public TlsTest {
 protected:
  void SetUp() override {
    TlsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(start_daemon());  // the default interception policy
  }

  json enable(const std::string& name, const std::vector<std::string>& sets = {}) {
    std::vector<std::string> args = {"enable", name};
    for (const auto& set : sets) {
      args.push_back("--set");
      args.push_back(set);
    }
    return cli_json(args);
  }

  std::string chunk_path() const { return std::string("/big.bin?") + kSignature; }

  HttpsTransfer download(const std::string& host, std::chrono::seconds max_time = 20s) {
    return https({.host = host, .path = chunk_path(), .cacert = our_ca(), .max_time = max_time});
  }

  json journaled_fault(const std::string& scenario) {
    return wait_for_call([&](const json& c) { return c.value("scenario", "") == scenario; });
  }

  bool is_prefix_of_big(const std::filesystem::path& file, std::size_t size) {
    std::ifstream got_in(file, std::ios::binary), big_in(web->path() / web->big().name, std::ios::binary);
    const std::string got((std::istreambuf_iterator<char>(got_in)), std::istreambuf_iterator<char>());
    const std::string big((std::istreambuf_iterator<char>(big_in)), std::istreambuf_iterator<char>());
    return got.size() == size && big.compare(0, size, got) == 0;
  }

  // The one-shot is spent: the scenario disabled itself and the next download is good.
  void expect_next_download_good(const std::string& scenario, const std::string& host) {
    const json status = cli_json({"status", scenario});
    EXPECT_FALSE(status.value("enabled", true)) << status.dump();
    const int served_before = https_server->requests_logged("GET /big.bin");
    expect_good_download(host, "the download after " + scenario);
    EXPECT_EQ(https_server->requests_logged("GET /big.bin"), served_before + 1)
        << https_server->log();
  }
};

struct ExpiredLink {
  const char* name;
  const char* host;
  std::vector<std::string> body_has;
};

void PrintTo(const ExpiredLink& link, std::ostream* out) { *out << link.name; }

class CloudFetchExpiredLinkTest : public CloudFetchTest,
                                  public ::testing::WithParamInterface<ExpiredLink> {};

// cloudfetch_expired_link: 403 with the provider's own error body, chosen by host; the server
// never saw the request; journaled with the scenario, the path without its signature.
TEST_P(CloudFetchExpiredLinkTest, ProviderExpiredLinkBody) {
  enable("cloudfetch_expired_link");
  auto got = download(GetParam().host);
  ASSERT_EQ(got.run.exit_code, 0) << got.describe();
  EXPECT_EQ(got.http_code, 403) << got.describe();
  for (const auto& needle : GetParam().body_has)
    EXPECT_NE(got.body().find(needle), std::string::npos) << needle << " not in " << got.body();
  EXPECT_NE(got.run.err.find("application/xml"), std::string::npos) << got.run.err;
  EXPECT_EQ(https_server->requests_logged("GET /big.bin"), 0) << https_server->log();

  const json call = journaled_fault("cloudfetch_expired_link");
  ASSERT_FALSE(call.is_null()) << calls().dump(2);
  EXPECT_EQ(call.value("host", ""), GetParam().host) << call.dump();
  EXPECT_EQ(call.value("path", ""), "/big.bin") << call.dump();
  EXPECT_EQ(call.value("http_status", 0), 403) << call.dump();
  EXPECT_EQ(where_found(cli({"--json", "calls"}).out, "c10udfe7c4SIGNATURE"), "");

  expect_next_download_good("cloudfetch_expired_link", GetParam().host);
}

INSTANTIATE_TEST_SUITE_P(
    Providers, CloudFetchExpiredLinkTest,
    ::testing::Values(
        ExpiredLink{"Azure", kAzureHost, {"<Code>AuthenticationFailed</Code>"}},
        ExpiredLink{"S3", kS3Host, {"<Code>AccessDenied</Code>", "Request has expired"}},
        ExpiredLink{"Gcs", kGcsHost, {"<Code>ExpiredToken</Code>"}}),
    [](const ::testing::TestParamInfo<ExpiredLink>& info) { return std::string(info.param.name); });

struct HttpErrorCase {
  const char* scenario;
  int status;
  const char* body;
};

void PrintTo(const HttpErrorCase& c, std::ostream* out) { *out << c.scenario; }

class CloudFetchHttpErrorTest : public CloudFetchTest,
                                public ::testing::WithParamInterface<HttpErrorCase> {};

// cloudfetch_400 ... _503: that status and body, instead of the chunk; one-shot.
TEST_P(CloudFetchHttpErrorTest, StatusInsteadOfChunk) {
  enable(GetParam().scenario);
  auto got = download(kAzureHost);
  ASSERT_EQ(got.run.exit_code, 0) << got.describe();
  EXPECT_EQ(got.http_code, GetParam().status) << got.describe();
  EXPECT_NE(got.body().find(GetParam().body), std::string::npos) << got.body();
  if (GetParam().status == 503) {
    EXPECT_NE(got.run.err.find("< Retry-After: 1"), std::string::npos) << got.run.err;
  }
  EXPECT_EQ(https_server->requests_logged("GET /big.bin"), 0) << https_server->log();
  const json call = journaled_fault(GetParam().scenario);
  ASSERT_FALSE(call.is_null()) << calls().dump(2);
  EXPECT_EQ(call.value("http_status", 0), GetParam().status) << call.dump();
  EXPECT_EQ(call.value("host", ""), kAzureHost) << call.dump();

  expect_next_download_good(GetParam().scenario, kAzureHost);
}

INSTANTIATE_TEST_SUITE_P(
    Catalogue, CloudFetchHttpErrorTest,
    ::testing::Values(HttpErrorCase{"cloudfetch_400", 400, "Bad Request"},
                      HttpErrorCase{"cloudfetch_403", 403, "Forbidden"},
                      HttpErrorCase{"cloudfetch_404", 404, "Not Found"},
                      HttpErrorCase{"cloudfetch_405", 405, "Method Not Allowed"},
                      HttpErrorCase{"cloudfetch_412", 412, "Precondition Failed"},
                      HttpErrorCase{"cloudfetch_500", 500, "Internal Server Error"},
                      HttpErrorCase{"cloudfetch_503", 503, "Service Unavailable"}),
    [](const ::testing::TestParamInfo<HttpErrorCase>& info) {
      return std::string(info.param.scenario);
    });

// cloudfetch_timeout --set duration_seconds=30: the download gets no answer; `adbcfault disable
// cloudfetch_timeout` ends the stall within 5 s, still without an answer.
TEST_F(CloudFetchTest, TimeoutStallsUntilDisabled) {
  enable("cloudfetch_timeout", {"duration_seconds=30"});
  std::filesystem::path file;
  auto curl = start_https({.host = kAzureHost, .path = chunk_path(), .cacert = our_ca(),
                           .max_time = 60s},
                          &file);
  ASSERT_TRUE(wait_until([&] { return cli_json({"status", "cloudfetch_timeout"}).value("fired", 0) >= 1; },
                         15s))
      << cli_json({"status", "cloudfetch_timeout"}).dump();
  // No answer while the stall lasts (a bounded look, far below the 30 s).
  EXPECT_FALSE(curl->wait_for_exit(2s).has_value())
      << "curl ended during the stall: " << finish_https(*curl, file).describe();

  const auto disabled_at = std::chrono::steady_clock::now();
  auto disabled = cli({"disable", "cloudfetch_timeout"});
  EXPECT_EQ(disabled.exit_code, 0) << disabled.describe();
  const auto code = curl->wait_for_exit(5s);
  const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - disabled_at);
  ASSERT_TRUE(code.has_value()) << "curl still waiting 5 s after disable";
  auto got = finish_https(*curl, file);
  EXPECT_LT(waited, 5s);
  EXPECT_NE(got.run.exit_code, 0) << got.describe();
  EXPECT_EQ(got.http_code, 0) << "no answer expected: " << got.describe();
  EXPECT_EQ(got.body_bytes, 0) << got.describe();
  EXPECT_EQ(https_server->requests_logged("GET /big.bin"), 0) << https_server->log();

  expect_good_download(kAzureHost, "the download after cloudfetch_timeout");
}

// cloudfetch_timeout --set duration_seconds=2: the stall ends by itself (then: close) after about
// 2 s, without an answer, long before curl's own limit.
TEST_F(CloudFetchTest, TimeoutEndsAfterItsDuration) {
  enable("cloudfetch_timeout", {"duration_seconds=2"});
  auto got = https({.host = kS3Host, .path = chunk_path(), .cacert = our_ca(), .max_time = 30s});
  EXPECT_NE(got.run.exit_code, 0) << got.describe();
  EXPECT_EQ(got.http_code, 0) << got.describe();
  EXPECT_GE(got.elapsed, 1500ms) << got.describe();
  EXPECT_LT(got.elapsed, 15s) << got.describe();
  expect_next_download_good("cloudfetch_timeout", kS3Host);
}

// cloudfetch_connection_reset --set after_bytes=100000 on an 8 MiB chunk: curl gets the headers
// and exactly 100000 body bytes (the start of the chunk), then a reset.
TEST_F(CloudFetchTest, ConnectionResetAfterBytes) {
  constexpr int64_t kCut = 100000;
  enable("cloudfetch_connection_reset", {"after_bytes=" + std::to_string(kCut)});
  auto got = download(kAzureHost);
  EXPECT_NE(got.run.exit_code, 0) << got.describe();
  EXPECT_TRUE(got.was_reset() || got.run.exit_code == 56) << got.describe();
  EXPECT_EQ(got.http_code, 200) << got.describe();
  EXPECT_EQ(got.body_bytes, kCut) << got.describe();
  EXPECT_TRUE(is_prefix_of_big(got.file, kCut)) << "the body is not the first " << kCut
                                                << " bytes of big.bin";
  EXPECT_EQ(https_server->requests_logged("GET /big.bin"), 1) << "the response phase: the server "
                                                                 "answered";
  const json call = journaled_fault("cloudfetch_connection_reset");
  EXPECT_FALSE(call.is_null()) << calls().dump(2);
  const json status = cli_json({"status", "cloudfetch_connection_reset"});
  EXPECT_EQ(status.value("injected", 0), 1) << status.dump();

  expect_next_download_good("cloudfetch_connection_reset", kAzureHost);
}

// The same with the catalogue's default cut (64 KiB) on S3.
TEST_F(CloudFetchTest, ConnectionResetDefaultCut) {
  enable("cloudfetch_connection_reset");
  auto got = download(kS3Host);
  EXPECT_NE(got.run.exit_code, 0) << got.describe();
  EXPECT_EQ(got.body_bytes, 65536) << got.describe();
  EXPECT_TRUE(is_prefix_of_big(got.file, 65536));
  expect_next_download_good("cloudfetch_connection_reset", kS3Host);
}

// A stalled download whose client gives up (its own timeout, as a driver's would fire) must not
// keep its flow until the stall's end: the chunk is retried on a new connection, and stalls must
// not pile up.
TEST_F(CloudFetchTest, TimeoutFlowEndsWhenClientGivesUp) {
  enable("cloudfetch_timeout", {"duration_seconds=120"});
  auto got = https({.host = kAzureHost, .path = chunk_path(), .cacert = our_ca(), .max_time = 3s});
  EXPECT_EQ(got.run.exit_code, 28) << "curl's own timeout should end it: " << got.describe();
  EXPECT_TRUE(wait_until([&] { return daemon->flows_live() == 0; }, 15s))
      << "the stalled flow outlives its client by 15 s: flows.live " << daemon->flows_live();
  auto disabled = cli({"disable", "cloudfetch_timeout"});
  expect_good_download(kAzureHost, "the download after the abandoned stall");
}

// Per-request faults reach requests on a keep-alive connection opened before the enable: curl
// downloads twice on one TLS connection, 6 s apart (--rate 10/m); the scenario is enabled in
// between, once the first download is journaled.
TEST_F(CloudFetchTest, FaultReachesKeepAliveConnectionOpenedBeforeEnable) {
  std::filesystem::path first_file;
  const auto second = *downloads / "second";
  auto curl = start_https({.host = kAzureHost,
                           .path = "/big.bin?first",
                           .cacert = our_ca(),
                           .max_time = 60s,
                           .extra = {"--rate", "10/m", "-o", second.string(),
                                     "https://" + std::string(kAzureHost) + "/big.bin?second"}},
                          &first_file);
  const json first = wait_for_call([](const json& c) {
    return c.value("path", "") == "/big.bin" && c.value("http_status", 0) == 200;
  }, 20s);
  ASSERT_FALSE(first.is_null()) << calls().dump(2);
  enable("cloudfetch_404");
  ASSERT_TRUE(curl->wait_for_exit(60s).has_value()) << "curl hangs";
  auto got = finish_https(*curl, first_file);
  EXPECT_NE(got.run.err.find("Re-using existing connection"), std::string::npos)
      << "the second download should use the first one's connection: " << got.run.err;
  EXPECT_EQ(sha256_file(first_file), web->big().sha256);
  EXPECT_NE(got.run.out.find("404"), std::string::npos) << got.describe();
  EXPECT_EQ(read_file(second).find("Not Found"), 0u) << "second body: " << read_file(second).substr(0, 200);
  EXPECT_EQ(counter("tls_intercepted"), 1);
}

// A host outside the interception policy is intercepted while an enabled scenario matches it
// (acceptance 2), and relayed untouched again once the one-shot has fired.
class CloudFetchNarrowPolicyTest : public TlsTest {};

TEST_F(CloudFetchNarrowPolicyTest, EnabledScenarioHostIsInterceptedOnlyWhileEnabled) {
  ASSERT_TRUE(start_daemon({"--tls-intercept", "*.test"}));
  const std::string server_fingerprint =
      x509_text(read_file(pki->server_pem()), {"-fingerprint", "-sha256"});
  EXPECT_EQ(x509_text(presented_certificate(kAzureHost), {"-fingerprint", "-sha256"}),
            server_fingerprint)
      << "before the enable: relayed untouched";

  cli_json({"enable", "cloudfetch_404"});
  auto got = https({.host = kAzureHost, .path = "/big.bin", .cacert = our_ca()});
  ASSERT_EQ(got.run.exit_code, 0) << got.describe();
  EXPECT_EQ(got.http_code, 404) << got.describe();

  EXPECT_EQ(x509_text(presented_certificate(kAzureHost), {"-fingerprint", "-sha256"}),
            server_fingerprint)
      << "after the one-shot fired: relayed untouched again";
  auto relayed = https({.host = kAzureHost, .path = "/big.bin", .cacert = server_ca()});
  EXPECT_EQ(relayed.run.exit_code, 0) << relayed.describe();
  EXPECT_EQ(relayed.http_code, 200) << relayed.describe();
}

// The default policy leaves AWS APIs other than S3 alone ("not *.amazonaws.com: that would also
// take STS, EC2, SSM..." in intercept_policy.cpp). Enabling a CloudFetch scenario must not undo
// that: its match lists "*.amazonaws.com", and enabled scenarios' hosts are intercepted too, so
// while it is enabled every AWS API call from the VM would get our certificate.
TEST_F(CloudFetchTest, EnabledCloudFetchScenarioLeavesOtherAwsApisUntouched) {
  const std::string sts = "sts.amazonaws.com";
  const std::string before = presented_certificate(sts);
  EXPECT_EQ(x509_text(before, {"-issuer"}).find("adbcfault test CA"), std::string::npos)
      << "the default policy must not intercept " << sts;
  enable("cloudfetch_expired_link");
  const std::string during = presented_certificate(sts);
  EXPECT_EQ(x509_text(during, {"-issuer"}).find("adbcfault test CA"), std::string::npos)
      << sts << " is intercepted while cloudfetch_expired_link is enabled: "
      << x509_text(during, {"-issuer"});
}

}  // namespace
}  // namespace adbcfault::testing
