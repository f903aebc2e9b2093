// The HTTP layer of the scenario engine: which scenarios act per request, how they match, and
// the plans they make.

#include <gtest/gtest.h>

#include "fault/scenario_engine.h"
#include "fault/scenario_loader.h"
#include "fake_clock.h"

namespace adbcfault::fault {
namespace {

LoadResult load(const std::string& yaml) { return load_scenarios_from_text(yaml, "h.yaml"); }

std::string only_error(const std::string& yaml) {
  auto loaded = load(yaml);
  EXPECT_EQ(loaded.errors.size(), 1u);
  return loaded.errors.empty() ? "" : loaded.errors.front();
}

HttpRequestFacts request(std::string method, std::string path, std::string thrift_method = "",
                         std::string host = "ws.example.com") {
  HttpRequestFacts facts;
  facts.connection.flow_id = 7;
  facts.connection.server_port = 443;
  facts.method = std::move(method);
  facts.path = std::move(path);
  facts.thrift_method = std::move(thrift_method);
  facts.host = std::move(host);
  return facts;
}

const char* kCatalogue = R"(scenarios:
  - name: open_session_503
    description: d
    match: {thrift_method: OpenSession}
    action: {type: http_error, status: 503, retry_after: 1}
  - name: fetch_reset_after_server
    description: d
    match: {thrift_method: FetchResults, phase: response}
    action: {type: reset}
  - name: storage_403
    description: d
    match: {http_method: GET, host: "*.blob.core.windows.net", path: "/results/*"}
    action: {type: http_error, status: 403, body: "<Error/>", content_type: application/xml}
  - name: any_request_invalid_handle
    description: d
    action: {type: thrift_error, status_code: INVALID_HANDLE_STATUS, message: "Invalid session"}
  - name: cut_download
    description: d
    match: {http_method: GET}
    action: {type: truncate, after_bytes: 10}
  - name: tcp_reset
    description: d
    action: {type: reset}
  - name: slow_execute
    description: d
    match: {thrift_method: ExecuteStatement, header: "X-Trace: on*"}
    action: {type: delay, milliseconds: 250}
)";

class HttpLayerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = load(kCatalogue);
    ASSERT_TRUE(loaded.ok()) << loaded.errors.front();
    engine = std::make_unique<ScenarioEngine>(std::move(loaded.scenarios), clock, 1);
  }
  void enable(const std::string& name) { ASSERT_TRUE(std::holds_alternative<EnableResult>(engine->enable(name))); }
  FakeClock clock;
  std::unique_ptr<ScenarioEngine> engine;
};

TEST_F(HttpLayerTest, ThriftMethodMatchMakesAnHttpErrorOnce) {
  enable("open_session_503");
  EXPECT_TRUE(engine->on_http_request(request("POST", "/cliservice", "CloseSession")).empty());
  auto plan = engine->on_http_request(request("POST", "/cliservice", "OpenSession"));
  EXPECT_EQ(plan.kind, HttpFaultPlan::Kind::kRespond);
  EXPECT_EQ(plan.phase, Phase::kRequest);
  EXPECT_EQ(plan.status, 503);
  EXPECT_EQ(plan.scenario, "open_session_503");
  ASSERT_EQ(plan.headers.size(), 2u);
  EXPECT_EQ(plan.headers[1], (std::pair<std::string, std::string>{"Retry-After", "1"}));
  EXPECT_TRUE(engine->on_http_request(request("POST", "/cliservice", "OpenSession")).empty())
      << "one-shot";
}

TEST_F(HttpLayerTest, HttpScenariosNeverFireAtAcceptAndTcpOnesNeverPerRequest) {
  enable("open_session_503");
  enable("tcp_reset");
  EXPECT_TRUE(engine->on_http_request(request("POST", "/x", "GetInfo")).empty());
  auto connection_plan = engine->on_connection(ConnectionFacts{});
  EXPECT_TRUE(connection_plan.reset_on_accept);
  EXPECT_TRUE(engine->on_connection(ConnectionFacts{}).empty());
}

TEST_F(HttpLayerTest, ResponsePhaseReset) {
  enable("fetch_reset_after_server");
  auto plan = engine->on_http_request(request("POST", "/cliservice", "FetchResults"));
  EXPECT_EQ(plan.kind, HttpFaultPlan::Kind::kReset);
  EXPECT_EQ(plan.phase, Phase::kResponse);
  EXPECT_FALSE(plan.after_headers);
}

TEST_F(HttpLayerTest, HostPathAndMethodAllMustMatch) {
  enable("storage_403");
  EXPECT_TRUE(engine->on_http_request(request("GET", "/results/1", "", "bucket.s3.amazonaws.com")).empty());
  EXPECT_TRUE(engine->on_http_request(request("PUT", "/results/1", "", "acct.blob.core.windows.net")).empty());
  EXPECT_TRUE(engine->on_http_request(request("GET", "/other", "", "acct.blob.core.windows.net")).empty());
  auto plan = engine->on_http_request(request("GET", "/results/1", "", "acct.blob.core.windows.net:443"));
  EXPECT_EQ(plan.status, 403);
  EXPECT_EQ(plan.body, "<Error/>");
}

TEST_F(HttpLayerTest, ThriftErrorWithoutMatchActsOnEveryRequest) {
  enable("any_request_invalid_handle");
  auto plan = engine->on_http_request(request("POST", "/cliservice", "ExecuteStatement"));
  EXPECT_EQ(plan.kind, HttpFaultPlan::Kind::kThriftError);
  EXPECT_EQ(plan.thrift.status_code, "INVALID_HANDLE_STATUS");
  EXPECT_EQ(plan.thrift.message, "Invalid session");
  EXPECT_EQ(plan.thrift.form, ThriftErrorSpec::Form::kStatus);
}

TEST_F(HttpLayerTest, TruncateDefaultsToTheResponsePhase) {
  enable("cut_download");
  auto plan = engine->on_http_request(request("GET", "/file"));
  EXPECT_EQ(plan.kind, HttpFaultPlan::Kind::kTruncate);
  EXPECT_EQ(plan.phase, Phase::kResponse);
  EXPECT_EQ(plan.truncate_after, 10u);
}

TEST_F(HttpLayerTest, HeaderPatternMustBePresent) {
  enable("slow_execute");
  std::vector<std::pair<std::string, std::string>> headers = {{"x-trace", "off"}};
  auto facts = request("POST", "/c", "ExecuteStatement");
  facts.headers = &headers;
  EXPECT_TRUE(engine->on_http_request(facts).empty());
  headers[0].second = "on-please";
  auto plan = engine->on_http_request(facts);
  EXPECT_EQ(plan.kind, HttpFaultPlan::Kind::kDelay);
  EXPECT_EQ(plan.delay, std::chrono::milliseconds(250));
}

TEST_F(HttpLayerTest, OverridesUseTheHttpFormsParameters) {
  auto result = engine->enable("open_session_503", {{"status", "429"}});
  ASSERT_TRUE(std::holds_alternative<EnableResult>(result));
  EXPECT_EQ(engine->on_http_request(request("POST", "/c", "OpenSession")).status, 429);
  auto bad = engine->enable("open_session_503", {{"status", "700"}});
  ASSERT_TRUE(std::holds_alternative<EngineError>(bad));
}

TEST_F(HttpLayerTest, LayerIsShownAsThriftWhenAThriftMethodIsMatched) {
  auto list = engine->list();
  EXPECT_EQ(list[0].layer, "thrift");
  EXPECT_EQ(list[2].layer, "http");
  EXPECT_EQ(list[5].layer, "tcp");
}

TEST(HttpLayerErrors, ConnectionOnlyActionRefusesHttpKeys) {
  EXPECT_EQ(only_error(R"(scenarios:
  - name: x
    description: d
    match: {http_method: GET}
    action: {type: throttle, bytes_per_second: 10}
)"),
            "h.yaml:5:20: action.type: 'throttle' works on whole connections only, so it cannot be "
            "combined with the HTTP match keys (http_method, path, header, thrift_method, phase)");
}

TEST(HttpLayerErrors, HttpFormParametersAreItsOwn) {
  EXPECT_EQ(only_error(R"(scenarios:
  - name: x
    description: d
    match: {thrift_method: FetchResults}
    action: {type: reset, after_bytes: 5}
)"),
            "h.yaml:5:27: action.after_bytes: unknown parameter of action 'reset' (allowed: type, "
            "headers)");
}

TEST(HttpLayerErrors, AfterHeadersNeedsTheResponsePhase) {
  EXPECT_EQ(only_error(R"(scenarios:
  - name: x
    description: d
    match: {thrift_method: FetchResults}
    action: {type: close, headers: after}
)"),
            "h.yaml:5:36: action.headers: 'after' means after the response headers, so it needs "
            "match.phase: response");
}

TEST(HttpLayerErrors, BadMatchValuesNameTheKey) {
  EXPECT_EQ(only_error(R"(scenarios:
  - name: x
    description: d
    match: {phase: later}
    action: {type: reset}
)"),
            "h.yaml:4:20: match.phase: must be request (the server never sees the request) or "
            "response (the server handled it; the client gets the fault instead)");
  EXPECT_EQ(only_error(R"(scenarios:
  - name: x
    description: d
    match: {path: results}
    action: {type: reset}
)"),
            "h.yaml:4:19: match.path: must be a path pattern starting with /, like \"/sql/1.0/*\"");
  EXPECT_EQ(only_error(R"(scenarios:
  - name: x
    description: d
    match: {http_method: 5}
    action: {type: http_error, status: 600}
)"),
            "h.yaml:5:40: action.status: must be 100-599");
}

TEST(HttpLayerCatalogue, AnyThriftCallAndObserve) {
  auto loaded = load(R"(scenarios:
  - name: any_call
    description: d
    match: {thrift_method: "*"}
    action: {type: thrift_error}
  - name: watch_close
    description: d
    match: {thrift_method: CloseSession}
    action: {type: observe}
)");
  ASSERT_TRUE(loaded.ok()) << loaded.errors.front();
  FakeClock clock;
  ScenarioEngine engine(std::move(loaded.scenarios), clock, 1);
  ASSERT_TRUE(std::holds_alternative<EnableResult>(engine.enable("watch_close")));
  EXPECT_TRUE(engine.on_http_request(request("POST", "/c", "CloseSession")).empty());
  EXPECT_EQ(engine.status("watch_close")->fired, 0u) << "observe never fires";
  EXPECT_TRUE(engine.status("watch_close")->enabled);
  ASSERT_TRUE(std::holds_alternative<EnableResult>(engine.enable("any_call")));
  EXPECT_TRUE(engine.on_http_request(request("GET", "/file")).empty()) << "not a Thrift call";
  EXPECT_EQ(engine.on_http_request(request("POST", "/c", "GetTables")).kind,
            HttpFaultPlan::Kind::kThriftError);
}

}  // namespace
}  // namespace adbcfault::fault
