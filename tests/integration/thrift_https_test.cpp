// The Thrift scenarios of thrift_journal_test.cpp and http_faults_test.cpp again, each body run
// over plain HTTP and over HTTPS (Hs2Transport, hs2_fixture.h). Over HTTPS the fake HiveServer2
// serves TLS under kHs2Host with its own CA, adbcfaultd intercepts that name and re-originates
// TLS to the server (trusting the server's CA), and hs2_client trusts only the daemon's CA. The
// witnesses are the same on both transports: the client's output and exit status, the server's
// call log, the journal. Each HTTPS run also checks from the daemon's counters that its calls
// really went through TLS interception, and the last test shows that the client refuses a
// certificate it was not told to trust, so those runs prove what the client verified.

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <tuple>

#include "hs2_fixture.h"
#include "wait.h"

namespace adbcfault::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// entry[key], or null when entry is not an object or lacks it (json::value would throw).
json field(const json& entry, const std::string& key) {
  return entry.is_object() && entry.contains(key) ? entry[key] : json();
}

// The client's printed line for `method` (the last one), or null.
json client_line(const RunResult& client, const std::string& method) {
  json found;
  for (const auto& line : json_lines(client.out)) {
    if (text_of(line, "method") == method) found = line;
  }
  return found;
}

// A test over one transport: the transport is the last element of the test's parameter.
template <typename Case>
class OverTransport : public Hs2Test,
                      public ::testing::WithParamInterface<std::tuple<Case, Hs2Transport>> {
 public:
  // For the scenario table's own checks.
  using Hs2Test::cli;
  using Hs2Test::cli_json;
  using Hs2Test::server_log;

 protected:
  void SetUp() override {
    use_transport(std::get<1>(this->GetParam()));
    Hs2Test::SetUp();
  }
  const Case& the_case() const { return std::get<0>(this->GetParam()); }

  // Over HTTPS every connection the client made was TLS intercepted for kHs2Host: one per flow
  // in the journal, none relayed untouched, no handshake refused on either side. Over HTTP none.
  void expect_transport_used() {
    const auto calls = journal();
    std::set<int64_t> flows;
    for (const auto& call : calls) flows.insert(call.value("flow", int64_t{-1}));
    const json counters = daemon->status_json().at("counters");
    const std::string context = counters.dump() + "\njournal:\n" + dump(calls);
    if (transport() == Hs2Transport::kHttp) {
      EXPECT_EQ(counters.value("tls_intercepted", -1), 0) << context;
      return;
    }
    EXPECT_EQ(counters.value("tls_intercepted", -1), static_cast<int64_t>(flows.size())) << context;
    EXPECT_EQ(counters.value("tls_relayed", -1), 0) << context;
    EXPECT_EQ(counters.value("tls_client_handshake_failures", -1), 0) << context;
    EXPECT_EQ(counters.value("tls_upstream_failures", -1), 0) << context;
    for (const auto& call : calls) EXPECT_EQ(text_of(call, "host"), kHs2Host) << call.dump();
  }
};

template <typename Case>
std::string case_name(const ::testing::TestParamInfo<std::tuple<Case, Hs2Transport>>& info) {
  std::string name = std::get<0>(info.param).name + "_" + transport_name(std::get<1>(info.param));
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

const auto kTransports = ::testing::Values(Hs2Transport::kHttp, Hs2Transport::kHttps);

// --------------------------------------------------------------------------------------------
// With no scenario the journal equals the server's log call for call: methods in order, the same
// session and operation GUIDs (canonical 8-4-4-4-12) as the server and the client saw. The
// OpenSession configuration is journaled by name with its token redacted, and the token is
// nowhere in the journal, its listing or the daemon's (debug) log, though it reached the server.

struct ScriptCase {
  std::string name;  // the script
  std::vector<std::string> methods;
  std::size_t operations;  // distinct operation GUIDs
};

void PrintTo(const ScriptCase& c, std::ostream* out) { *out << c.name; }

constexpr char kToken[] = "tok-3f0a9c51d2e84b67";

using CallForCallTest = OverTransport<ScriptCase>;

TEST_P(CallForCallTest, JournalEqualsServerLog) {
  const ScriptCase& c = the_case();
  ASSERT_EQ(journal_next_id(), 1) << "a fresh daemon's journal starts at id 1";
  auto client = hs2_client({"--script", c.name, "--config", "spark.x=1", "--config",
                            std::string("access_token=") + kToken});
  ASSERT_TRUE(client.ok()) << client.describe();
  auto wait = cli({"calls", "wait", "--method", "CloseSession", "--count", "1", "--timeout", "10"});
  ASSERT_EQ(wait.exit_code, 0) << wait.describe();

  const auto calls = journal();
  const auto served = server_log();
  const auto printed = json_lines(client.out);
  // The server logs the configuration as sent, token included: failure messages leave it out.
  std::vector<json> served_shown = served;
  for (auto& line : served_shown) line.erase("configuration");
  const std::string context = "journal:\n" + dump(calls) + "server log:\n" + dump(served_shown) +
                              "client:\n" + dump(printed);
  EXPECT_EQ(methods_of(calls), c.methods) << context;
  EXPECT_EQ(methods_of(served), c.methods) << context;
  EXPECT_EQ(methods_of(printed), c.methods) << context;
  ASSERT_EQ(calls.size(), served.size()) << context;
  ASSERT_EQ(calls.size(), printed.size()) << context;

  const auto sessions = journal_sessions(calls);
  std::set<std::string> operations;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const auto& call = calls[i];
    const std::string method = text_of(call, "thrift_method");
    SCOPED_TRACE("call " + std::to_string(i) + " " + method + ": " + call.dump());
    EXPECT_EQ(call.value("id", int64_t{-1}), static_cast<int64_t>(i) + 1) << "ids are consecutive";
    EXPECT_TRUE(is_canonical_guid(sessions[i])) << sessions[i];
    EXPECT_EQ(sessions[i], text_of(served[i], "session_guid")) << context;
    EXPECT_EQ(sessions[i], text_of(printed[i], "session_guid")) << context;
    const std::string operation = text_of(call, "operation_guid");
    EXPECT_EQ(operation, text_of(served[i], "operation_guid")) << context;
    EXPECT_EQ(operation, text_of(printed[i], "operation_guid")) << context;
    if (method == "OpenSession" || method == "CloseSession") {
      EXPECT_EQ(operation, "");
    } else {
      EXPECT_TRUE(is_canonical_guid(operation)) << operation;
      operations.insert(operation);
    }
    EXPECT_EQ(field(call, "http_status"), 200);
    EXPECT_EQ(text_of(call, "thrift_status"), "SUCCESS_STATUS");
    EXPECT_EQ(text_of(call, "message_type"), "call");
    EXPECT_EQ(text_of(call, "scenario"), "");
    EXPECT_EQ(text_of(call, "note"), "");
    EXPECT_EQ(text_of(call, "http_method"), "POST");
    EXPECT_EQ(text_of(call, "path"), "/cliservice");
    EXPECT_EQ(text_of(call, "server"), server_address() + ":" + std::to_string(kHs2Port));
  }
  EXPECT_EQ(operations.size(), c.operations) << context;

  std::string sequence;
  for (const auto& method : c.methods) sequence += (sequence.empty() ? "" : ",") + method;
  auto verify = cli({"calls", "verify", "--exact-sequence", sequence});
  EXPECT_EQ(verify.exit_code, 0) << verify.describe();

  // The token: sent, journaled redacted, shown nowhere. Messages never print it.
  ASSERT_FALSE(served.empty());
  EXPECT_TRUE(text_of(field(served[0], "configuration"), "access_token") == kToken)
      << "the token must reach the server for the rest to mean anything";
  const json configuration = field(field(calls[0], "fields"), "configuration");
  EXPECT_EQ(text_of(configuration, "spark.x"), "1") << calls[0].dump();
  EXPECT_EQ(text_of(configuration, "access_token"), "<redacted>") << calls[0].dump();
  EXPECT_FALSE(contains(cli({"--json", "calls"}).out, kToken)) << "token in calls --json";
  EXPECT_FALSE(contains(cli({"calls"}).out, kToken)) << "token in the calls listing";
  EXPECT_FALSE(contains(daemon_log(), kToken)) << "token in the daemon's log";

  expect_transport_used();
}

INSTANTIATE_TEST_SUITE_P(
    Scripts, CallForCallTest,
    ::testing::Combine(
        ::testing::Values(ScriptCase{"query",
                                     {"OpenSession", "ExecuteStatement", "FetchResults",
                                      "CloseOperation", "CloseSession"},
                                     1},
                          ScriptCase{"two-queries",
                                     {"OpenSession", "ExecuteStatement", "FetchResults",
                                      "CloseOperation", "ExecuteStatement", "FetchResults",
                                      "CloseOperation", "CloseSession"},
                                     2}),
        kTransports),
    case_name<ScriptCase>);

// --------------------------------------------------------------------------------------------
// The session catalogue, one row per scenario: enable it (one-shot), run the client, and compare
// the three witnesses with the row. Request-phase faults keep the call from the server; response-
// phase faults let the server do the work and replace or cut the answer.

struct Outcome {
  RunResult client;
  milliseconds elapsed{0};
  std::vector<json> hit;     // journal entries of the row's method, from the enable on
  std::vector<json> served;  // the server's calls of that method
};

class ThriftScenarioTest;

struct ThriftScenario {
  std::string name;
  std::string scenario;
  std::vector<std::string> sets;  // enable --set K=V
  std::string script;
  int exit_code = 0;          // hs2_client's
  std::string method;         // the call the scenario hits
  int attempts = 1;           // the client's attempts at it; 0: it never completed (no line)
  std::size_t journaled = 1;  // journal entries of `method`
  std::size_t served = 1;     // how many the server saw
  json first;                 // fields the first of those entries has; null: absent or empty
  std::vector<std::string> first_note_has;
  std::string client_err_has;
  std::function<void(ThriftScenarioTest&, const Outcome&)> more;  // the row's own checks
};

void PrintTo(const ThriftScenario& c, std::ostream* out) { *out << c.name; }

class ThriftScenarioTest : public OverTransport<ThriftScenario> {};

TEST_P(ThriftScenarioTest, AsTheCatalogueSays) {
  const ThriftScenario& c = the_case();
  const json enabled = enable(c.scenario, c.sets);
  ASSERT_TRUE(field(enabled, "journal_cursor").is_number_integer()) << enabled.dump();
  const int64_t cursor = enabled["journal_cursor"].get<int64_t>();

  Outcome o;
  const auto started = std::chrono::steady_clock::now();
  o.client = hs2_client({"--script", c.script});
  o.elapsed = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
  // A call the client gave up on may be journaled a moment after the client exits.
  wait_until([&] { return journal_calls(c.method, cursor).size() >= c.journaled; }, seconds(5));
  o.hit = journal_calls(c.method, cursor);
  for (const auto& line : server_log()) {
    if (text_of(line, "method") == c.method) o.served.push_back(line);
  }
  const std::string witnesses = o.client.describe() + "journal:\n" + dump(journal(cursor)) +
                                "server log:\n" + dump(server_log());

  EXPECT_EQ(o.client.exit_code, c.exit_code) << witnesses;
  const json line = client_line(o.client, c.method);
  if (c.attempts == 0) {
    EXPECT_TRUE(line.is_null()) << o.client.describe();
  } else {
    EXPECT_EQ(field(line, "attempts"), c.attempts) << o.client.describe();
  }
  EXPECT_TRUE(contains(o.client.err, c.client_err_has)) << c.client_err_has << "\n"
                                                        << o.client.describe();
  EXPECT_EQ(o.served.size(), c.served) << "did the server see the call?\n" << witnesses;
  ASSERT_EQ(o.hit.size(), c.journaled) << witnesses;
  for (const auto& [key, value] : c.first.items()) {
    if (value.is_null()) {
      EXPECT_EQ(text_of(o.hit[0], key), "") << key << ": " << o.hit[0].dump();
    } else {
      EXPECT_EQ(field(o.hit[0], key), value) << key << ": " << o.hit[0].dump();
    }
  }
  for (const auto& part : c.first_note_has) {
    EXPECT_TRUE(contains(text_of(o.hit[0], "note"), part)) << part << ": " << o.hit[0].dump();
  }
  // A retry is an ordinary call, on a fresh connection.
  for (std::size_t i = 1; i < o.hit.size(); ++i) {
    EXPECT_EQ(text_of(o.hit[i], "scenario"), "") << o.hit[i].dump();
    EXPECT_NE(o.hit[i].value("flow", -1), o.hit[i - 1].value("flow", -1)) << witnesses;
  }
  // One-shot: injected once, then disabled itself.
  const json status = cli_json({"status", c.scenario});
  EXPECT_EQ(field(status, "injected"), 1) << status.dump();
  EXPECT_EQ(field(status, "enabled"), false) << status.dump();

  if (c.more) c.more(*this, o);
  expect_transport_used();
}

const std::vector<ThriftScenario> kScenarios = {
    {.name = "OpenSession503Retried",
     .scenario = "service_unavailable_503_open_session",
     .script = "session",
     .exit_code = 0,
     .method = "OpenSession",
     .attempts = 2,
     .journaled = 2,
     .served = 1,
     .first = {{"http_status", 503},
               {"scenario", "service_unavailable_503_open_session"},
               {"session_guid", nullptr}},
     .first_note_has = {"server never saw"},
     .client_err_has = "OpenSession attempt 1 failed: HTTP 503",
     .more =
         [](ThriftScenarioTest&, const Outcome& o) {
           const auto& retry = o.hit[1];
           EXPECT_EQ(field(retry, "http_status"), 200) << retry.dump();
           EXPECT_EQ(text_of(retry, "thrift_status"), "SUCCESS_STATUS") << retry.dump();
           EXPECT_TRUE(is_canonical_guid(text_of(retry, "session_guid"))) << retry.dump();
           EXPECT_EQ(text_of(retry, "session_guid"),
                     text_of(client_line(o.client, "OpenSession"), "session_guid"));
           EXPECT_EQ(text_of(retry, "session_guid"), text_of(o.served.at(0), "session_guid"));
         }},
    // thrift_error in the request phase: a well-formed ExecuteStatement reply the client parses.
    {.name = "InvalidSessionHandleIsAThriftReply",
     .scenario = "invalid_session_handle",
     .script = "query",
     .exit_code = 1,
     .method = "ExecuteStatement",
     .attempts = 1,
     .journaled = 1,
     .served = 0,
     .first = {{"http_status", 200},
               {"thrift_status", "INVALID_HANDLE_STATUS"},
               {"thrift_error", "Invalid or expired session handle"},
               {"scenario", "invalid_session_handle"}},
     .first_note_has = {"server never saw"},
     .client_err_has = "ExecuteStatement returned INVALID_HANDLE_STATUS",
     .more =
         [](ThriftScenarioTest& t, const Outcome& o) {
           const json line = client_line(o.client, "ExecuteStatement");
           EXPECT_EQ(text_of(line, "status"), "INVALID_HANDLE_STATUS") << o.client.describe();
           EXPECT_EQ(text_of(line, "error_message"), "Invalid or expired session handle")
               << o.client.describe();
           // The request's own session handle is journaled: the one the server handed out.
           EXPECT_EQ(text_of(o.hit[0], "session_guid"),
                     text_of(t.server_log().at(0), "session_guid"))
               << o.hit[0].dump();
         }},
    // thrift_error on whatever call comes next: OpenSession's own reply struct.
    {.name = "SessionTimeoutPrematureIsAThriftReply",
     .scenario = "session_timeout_premature",
     .script = "session",
     .exit_code = 1,
     .method = "OpenSession",
     .attempts = 1,
     .journaled = 1,
     .served = 0,
     .first = {{"http_status", 200},
               {"thrift_status", "ERROR_STATUS"},
               {"scenario", "session_timeout_premature"}},
     .first_note_has = {"server never saw"},
     .client_err_has = "OpenSession returned ERROR_STATUS",
     .more =
         [](ThriftScenarioTest&, const Outcome& o) {
           const json line = client_line(o.client, "OpenSession");
           EXPECT_EQ(text_of(line, "status"), "ERROR_STATUS") << o.client.describe();
           EXPECT_TRUE(contains(text_of(line, "error_message"), "Session has expired"))
               << o.client.describe();
         }},
    // Request phase, connection closed: the server never saw the first CloseSession.
    {.name = "CloseSessionClosedBeforeTheServer",
     .scenario = "network_failure_close_session",
     .script = "session",
     .exit_code = 0,
     .method = "CloseSession",
     .attempts = 2,
     .journaled = 2,
     .served = 1,
     .first = {{"scenario", "network_failure_close_session"}},
     .first_note_has = {"closed by adbcfault before the server saw it"},
     .client_err_has =
         "CloseSession attempt 1 failed: connection reset or closed before the reply"},
    // Response phase, reset: the server ran the statement; the retry ran it again.
    {.name = "ExecuteStatementResponseLost",
     .scenario = "execute_statement_response_lost",
     .script = "query",
     .exit_code = 0,
     .method = "ExecuteStatement",
     .attempts = 2,
     .journaled = 2,
     .served = 2,
     .first = {{"scenario", "execute_statement_response_lost"}},
     .first_note_has = {"connection reset by adbcfault", "the server answered 200"},
     .client_err_has = "ExecuteStatement attempt 1 failed: connection reset",
     .more =
         [](ThriftScenarioTest&, const Outcome& o) {
           EXPECT_FALSE(contains(text_of(o.hit[0], "note"), "never saw")) << o.hit[0].dump();
           const std::string second = text_of(o.served.at(1), "operation_guid");
           EXPECT_NE(text_of(o.served.at(0), "operation_guid"), second);
           EXPECT_EQ(text_of(client_line(o.client, "ExecuteStatement"), "operation_guid"), second);
           EXPECT_EQ(text_of(o.hit[1], "operation_guid"), second) << o.hit[1].dump();
         }},
    // Response phase, an HTTP error the client does not retry: the server ran the statement.
    {.name = "ExecuteStatementHttp400AfterTheServer",
     .scenario = "it_execute_http_400_response",
     .script = "query",
     .exit_code = 1,
     .method = "ExecuteStatement",
     .attempts = 0,
     .journaled = 1,
     .served = 1,
     .first = {{"http_status", 400}, {"scenario", "it_execute_http_400_response"}},
     .first_note_has = {"response replaced by adbcfault", "the server answered 200"},
     .client_err_has = "ExecuteStatement failed on attempt 1: HTTP 400"},
    // The same with a status the client retries: the server runs the statement twice.
    {.name = "ExecuteStatement503AfterTheServerRunsItTwice",
     .scenario = "it_execute_http_400_response",
     .sets = {"status=503"},
     .script = "query",
     .exit_code = 0,
     .method = "ExecuteStatement",
     .attempts = 2,
     .journaled = 2,
     .served = 2,
     .first = {{"http_status", 503}, {"scenario", "it_execute_http_400_response"}},
     .first_note_has = {"response replaced by adbcfault", "the server answered 200"},
     .client_err_has = "ExecuteStatement attempt 1 failed: HTTP 503"},
    // Response phase, reset on FetchResults: the retry is on the same operation, and
    // assert-same-operation says so.
    {.name = "FetchResultsRetrySameOperation",
     .scenario = "fetch_results_connection_reset",
     .script = "query",
     .exit_code = 0,
     .method = "FetchResults",
     .attempts = 2,
     .journaled = 2,
     .served = 2,
     .first = {{"scenario", "fetch_results_connection_reset"}},
     .first_note_has = {"connection reset by adbcfault"},
     .client_err_has = "FetchResults attempt 1 failed: connection reset",
     .more =
         [](ThriftScenarioTest& t, const Outcome& o) {
           const std::string operation =
               text_of(client_line(o.client, "FetchResults"), "operation_guid");
           ASSERT_TRUE(is_canonical_guid(operation)) << o.client.describe();
           for (const auto& fetch : o.hit) EXPECT_EQ(text_of(fetch, "operation_guid"), operation);
           auto same = t.cli({"calls", "assert-same-operation", "--method", "FetchResults"});
           EXPECT_EQ(same.exit_code, 0) << same.describe();
           EXPECT_TRUE(contains(same.out, operation)) << same.describe();
           const json answer =
               t.cli_json({"calls", "assert-same-operation", "--method", "FetchResults"});
           EXPECT_EQ(field(answer, "same_operation"), true) << answer.dump();
           EXPECT_EQ(field(answer, "operation_guid"), operation) << answer.dump();
         }},
    // A delay before the server, shortened from the catalogue's 35 s.
    {.name = "OpenSessionDelayedBeforeTheServer",
     .scenario = "network_timeout_open_session",
     .sets = {"milliseconds=1500"},
     .script = "session",
     .exit_code = 0,
     .method = "OpenSession",
     .attempts = 1,
     .journaled = 1,
     .served = 1,
     .first = {{"http_status", 200}, {"scenario", "network_timeout_open_session"}},
     .more =
         [](ThriftScenarioTest&, const Outcome& o) {
           EXPECT_GE(o.elapsed, milliseconds(1450)) << o.client.describe();
           EXPECT_LT(o.elapsed, milliseconds(4500)) << o.client.describe();
           EXPECT_GE(o.hit[0].value("latency_ms", 0.0), 1450.0) << o.hit[0].dump();
         }},
    // 401: a driver must not retry with the same token.
    {.name = "ExpiredCredentials401NotRetried",
     .scenario = "expired_credentials",
     .script = "session",
     .exit_code = 1,
     .method = "OpenSession",
     .attempts = 0,
     .journaled = 1,
     .served = 0,
     .first = {{"http_status", 401}, {"scenario", "expired_credentials"}},
     .client_err_has = "OpenSession failed on attempt 1: HTTP 401 (not retryable)"},
};

INSTANTIATE_TEST_SUITE_P(Catalogue, ThriftScenarioTest,
                         ::testing::Combine(::testing::ValuesIn(kScenarios), kTransports),
                         case_name<ThriftScenario>);

// --------------------------------------------------------------------------------------------
// The client believes only the CA it is given. While the daemon intercepts kHs2Host, a client
// trusting only the server's own CA refuses the daemon's leaf: nothing reaches the daemon's
// HTTP layer or the server, and the daemon counts the refused handshake. With interception off
// for that name the server's own certificate reaches the client and the roles swap: the client
// trusting the server's CA gets through, the one trusting the daemon's CA is refused.

class ThriftHttpsTrustTest : public Hs2Test {
 protected:
  void SetUp() override {
    use_transport(Hs2Transport::kHttps);
    Hs2Test::SetUp();
  }

  int64_t counter(const std::string& name) {
    return daemon->status_json().at("counters").value(name, int64_t{-1});
  }

  // The client was refused at the handshake and did not retry.
  void expect_refused(const RunResult& client) {
    EXPECT_EQ(client.exit_code, 1) << client.describe();
    EXPECT_TRUE(contains(client.err,
                         "OpenSession failed on attempt 1: SSL_connect: certificate verify failed"))
        << client.describe();
    EXPECT_TRUE(client_line(client, "OpenSession").is_null()) << client.describe();
  }
};

TEST_F(ThriftHttpsTrustTest, ClientTrustingOnlyTheServerCaRefusesTheInterceptingDaemon) {
  expect_refused(hs2_client_trusting(server_ca(), {"--script", "session"}));
  EXPECT_TRUE(wait_until([&] { return counter("tls_client_handshake_failures") >= 1; }, seconds(5)))
      << daemon->status_json().dump();
  EXPECT_TRUE(server_log().empty()) << dump(server_log());
  EXPECT_TRUE(journal().empty()) << dump(journal());

  auto trusting_daemon = hs2_client({"--script", "session"});
  ASSERT_TRUE(trusting_daemon.ok()) << trusting_daemon.describe();
  EXPECT_EQ(server_log_count("OpenSession"), 1u) << dump(server_log());

  // Interception off for kHs2Host: the TLS is relayed untouched and nothing is journaled.
  ASSERT_TRUE(daemon->stop().has_value());
  ASSERT_TRUE(daemon->start_and_wait_ready(
      {intercept(kHs2Port)},
      {"--scenarios", shipped_scenarios_dir(), "--tls-intercept", "elsewhere.test"}));
  auto trusting_server = hs2_client_trusting(server_ca(), {"--script", "session"});
  ASSERT_TRUE(trusting_server.ok()) << trusting_server.describe();
  expect_refused(hs2_client({"--script", "session"}));
  EXPECT_EQ(server_log_count("OpenSession"), 2u) << dump(server_log());
  EXPECT_TRUE(journal().empty()) << dump(journal());
  EXPECT_EQ(counter("tls_intercepted"), 0);
  EXPECT_GE(counter("tls_relayed"), 2) << "one connection per client run";
}

}  // namespace
}  // namespace adbcfault::testing
