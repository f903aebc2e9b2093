#include "fault/storage_errors.h"

#include <gtest/gtest.h>

#include "fault/scenario_engine.h"
#include "fault/scenario_loader.h"
#include "fake_clock.h"

namespace adbcfault::fault {
namespace {

TEST(StorageErrors, ProviderFromHost) {
  EXPECT_EQ(storage_provider_of("mybucket.s3.us-west-2.amazonaws.com"), StorageProvider::kS3);
  EXPECT_EQ(storage_provider_of("acct.blob.core.windows.net:443"), StorageProvider::kAzure);
  EXPECT_EQ(storage_provider_of("ACCT.DFS.core.windows.net"), StorageProvider::kAzure);
  EXPECT_EQ(storage_provider_of("storage.googleapis.com"), StorageProvider::kGcs);
  EXPECT_EQ(storage_provider_of("bucket.storage.googleapis.com"), StorageProvider::kGcs);
  EXPECT_EQ(storage_provider_of("windows.net.evil.example"), StorageProvider::kUnknown);
}

TEST(StorageErrors, EachProviderHasItsOwnExpiredLinkError) {
  EXPECT_NE(expired_link_body(StorageProvider::kS3).body.find("<Code>AccessDenied</Code><Message>Request has expired</Message>"),
            std::string::npos);
  EXPECT_NE(expired_link_body(StorageProvider::kAzure).body.find("<Code>AuthenticationFailed</Code>"),
            std::string::npos);
  EXPECT_NE(expired_link_body(StorageProvider::kGcs).body.find("<Code>ExpiredToken</Code>"),
            std::string::npos);
  EXPECT_EQ(expired_link_body(StorageProvider::kGcs).content_type, "application/xml");
}

TEST(StorageErrors, CatalogueExpiredLinkPicksTheBodyByHost) {
  auto loaded = load_scenarios({ADBCFAULT_SOURCE_SCENARIOS_DIR});
  ASSERT_TRUE(loaded.ok()) << loaded.errors.front();
  FakeClock clock;
  ScenarioEngine engine(std::move(loaded.scenarios), clock, 1);
  auto download = [&](const std::string& host) {
    EXPECT_TRUE(std::holds_alternative<EnableResult>(engine.enable("cloudfetch_expired_link")));
    HttpRequestFacts facts;
    facts.method = "GET";
    facts.path = "/chunk/0";
    facts.host = host;
    return engine.on_http_request(facts);
  };
  auto azure = download("acct.blob.core.windows.net");
  EXPECT_EQ(azure.status, 403);
  EXPECT_NE(azure.body.find("AuthenticationFailed"), std::string::npos);
  EXPECT_NE(download("b.s3.amazonaws.com").body.find("Request has expired"), std::string::npos);
  EXPECT_NE(download("storage.googleapis.com").body.find("ExpiredToken"), std::string::npos);
  HttpRequestFacts thrift_call;
  thrift_call.method = "POST";
  thrift_call.host = "adb-1.2.azuredatabricks.net";
  thrift_call.thrift_method = "FetchResults";
  EXPECT_TRUE(engine.on_http_request(thrift_call).empty()) << "only storage downloads";
}

TEST(StorageErrors, ConnectionResetCutsTheBodyWithARst) {
  auto loaded = load_scenarios({ADBCFAULT_SOURCE_SCENARIOS_DIR});
  ASSERT_TRUE(loaded.ok());
  FakeClock clock;
  ScenarioEngine engine(std::move(loaded.scenarios), clock, 1);
  ASSERT_TRUE(std::holds_alternative<EnableResult>(engine.enable("cloudfetch_connection_reset")));
  HttpRequestFacts facts;
  facts.method = "GET";
  facts.host = "x.blob.core.windows.net";
  auto plan = engine.on_http_request(facts);
  EXPECT_EQ(plan.kind, HttpFaultPlan::Kind::kTruncate);
  EXPECT_EQ(plan.phase, Phase::kResponse);
  EXPECT_EQ(plan.truncate_after, 65536u);
  EXPECT_TRUE(plan.truncate_with_reset);
}

}  // namespace
}  // namespace adbcfault::fault
