// Per-request faults on Thrift calls as a driver sees them: `adbcfault enable NAME`, then a
// retrying Thrift HTTP client (hs2_client) in the client namespace talks, with no proxy settings,
// to a fake HiveServer2 in the server namespace. Each test checks three witnesses: what the client
// printed and its exit status, what the server logged (did it see the call?), and what the
// daemon journaled (status, scenario, note).
//
// Request phase: the server never sees the call. Response phase: the server did the work and the
// client gets the fault instead of the answer.

#include <algorithm>
#include <cctype>

#include "hs2_fixture.h"

namespace adbcfault::testing {
namespace {

using std::chrono::milliseconds;

// The client's printed line for `method` (the last one), or null.
nlohmann::json client_line(const RunResult& client, const std::string& method) {
  nlohmann::json found;
  for (const auto& line : json_lines(client.out)) {
    if (text_of(line, "method") == method) found = line;
  }
  return found;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class HttpFaultTest : public Hs2Test {
 protected:
  // Everything a failure message needs: the client, the journal, the server log.
  std::string witnesses(const RunResult& client, std::optional<int64_t> since = std::nullopt) {
    return client.describe() + "journal:\n" + dump(journal(since)) + "server log:\n" +
           dump(server_log());
  }
};

// --------------------------------------------------------------------------------------------
// 2. The OpenSession HTTP errors, under the old tool's names: the client retries once and
// succeeds; the journal has two OpenSession calls (the first answered by adbcfault, with the
// scenario's name and "the server never saw"), the server only one.

struct OpenSessionError {
  std::string scenario;
  int status;
};

TEST_F(HttpFaultTest, OpenSessionHttpErrorsAreRetriedAndNeverReachTheServer) {
  const std::vector<OpenSessionError> cases = {
      {"service_unavailable_503_open_session", 503}, {"request_timeout_408_open_session", 408},
      {"too_many_requests_429_open_session", 429},   {"bad_gateway_502_open_session", 502},
      {"gateway_timeout_504_open_session", 504},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.scenario);
    const std::size_t served_before = server_log_count("OpenSession");
    auto enabled = enable(c.scenario);
    ASSERT_TRUE(enabled.is_object());
    const int64_t cursor = enabled.value("journal_cursor", int64_t{-1});
    ASSERT_GE(cursor, 1) << enabled.dump();

    auto client = hs2_client({"--script", "session"});
    ASSERT_TRUE(client.ok()) << witnesses(client, cursor);
    EXPECT_EQ(client_line(client, "OpenSession").value("attempts", -1), 2)
        << witnesses(client, cursor);
    EXPECT_TRUE(contains(client.err, "OpenSession attempt 1 failed: HTTP " +
                                         std::to_string(c.status)))
        << client.describe();

    const auto opens = journal_calls("OpenSession", cursor);
    ASSERT_EQ(opens.size(), 2u) << witnesses(client, cursor);
    EXPECT_EQ(opens[0].value("http_status", nlohmann::json()), c.status) << opens[0].dump();
    EXPECT_EQ(text_of(opens[0], "scenario"), c.scenario) << opens[0].dump();
    EXPECT_TRUE(contains(text_of(opens[0], "note"), "server never saw")) << opens[0].dump();
    EXPECT_EQ(text_of(opens[0], "session_guid"), "") << opens[0].dump();
    EXPECT_EQ(opens[1].value("http_status", nlohmann::json()), 200) << opens[1].dump();
    EXPECT_EQ(text_of(opens[1], "scenario"), "") << opens[1].dump();
    EXPECT_EQ(text_of(opens[1], "thrift_status"), "SUCCESS_STATUS") << opens[1].dump();
    EXPECT_TRUE(is_canonical_guid(text_of(opens[1], "session_guid"))) << opens[1].dump();
    EXPECT_EQ(text_of(opens[1], "session_guid"),
              text_of(client_line(client, "OpenSession"), "session_guid"));

    auto counted = cli({"calls", "count", "--method", "OpenSession", "--since",
                        std::to_string(cursor)});
    EXPECT_EQ(counted.out, "2\n") << counted.describe();
    EXPECT_EQ(server_log_count("OpenSession"), served_before + 1) << witnesses(client, cursor);

    // One-shot: fired and injected once, and disabled itself.
    auto status = cli_json({"status", c.scenario});
    EXPECT_EQ(status.value("injected", -1), 1) << status.dump();
    EXPECT_EQ(status.value("enabled", true), false) << status.dump();
  }
}

// 429 carries Retry-After: 1, as the catalogue says. Seen with curl (hs2_client does not print
// headers), sending a real OpenSession body.
TEST_F(HttpFaultTest, TooManyRequestsCarriesRetryAfter) {
  enable("too_many_requests_429_open_session");
  // TOpenSessionReq {1: client_protocol = 9} in a strict binary CALL of OpenSession, seqid 1.
  const std::string body_file = (work_dir() / "open_session.bin").string();
  auto write = python_client(
      "import struct, sys\n"
      "name = b'OpenSession'\n"
      "body = b'\\x80\\x01\\x00\\x01' + struct.pack('>i', len(name)) + name + struct.pack('>i', 1)"
      " + b'\\x0c\\x00\\x01' + b'\\x08\\x00\\x01' + struct.pack('>i', 9) + b'\\x00\\x00'\n"
      "open(sys.argv[1], 'wb').write(body)\n",
      {body_file});
  ASSERT_TRUE(write.ok()) << write.describe();
  auto reply = curl({"-i", "--max-time", "10", "-H", "Content-Type: application/x-thrift",
                     "--data-binary", "@" + body_file,
                     "http://" + server_address() + ":" + std::to_string(kHs2Port) + "/cliservice"});
  ASSERT_TRUE(reply.ok()) << reply.describe();
  EXPECT_TRUE(contains(reply.out, "HTTP/1.1 429")) << reply.out;
  std::string lower = reply.out;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  EXPECT_TRUE(contains(lower, "retry-after: 1\r\n")) << reply.out;
  EXPECT_TRUE(contains(reply.out, "Too Many Requests")) << reply.out;
  EXPECT_EQ(server_log_count("OpenSession"), 0u) << dump(server_log());
}

// --------------------------------------------------------------------------------------------
// 3. Request phase vs response phase.

// invalid_session_handle (request phase, thrift_error): the client gets a well-formed Thrift
// reply to ExecuteStatement with TStatus INVALID_HANDLE_STATUS, prints it, does not retry and
// exits 1; the server never saw an ExecuteStatement.
TEST_F(HttpFaultTest, InvalidSessionHandleIsAThriftReplyTheServerNeverSaw) {
  const int64_t cursor = enable("invalid_session_handle").value("journal_cursor", int64_t{1});
  auto client = hs2_client({"--script", "query"});
  EXPECT_EQ(client.exit_code, 1) << witnesses(client);

  const auto execute = client_line(client, "ExecuteStatement");
  EXPECT_EQ(text_of(execute, "status"), "INVALID_HANDLE_STATUS") << client.describe();
  EXPECT_EQ(text_of(execute, "error_message"), "Invalid or expired session handle")
      << client.describe();
  EXPECT_EQ(execute.value("attempts", -1), 1) << client.describe();
  EXPECT_TRUE(contains(client.err, "ExecuteStatement returned INVALID_HANDLE_STATUS"))
      << client.describe();

  EXPECT_EQ(methods_of(server_log()), std::vector<std::string>{"OpenSession"})
      << "the server must never see the ExecuteStatement\n" << witnesses(client);

  const auto calls = journal_calls("ExecuteStatement", cursor);
  ASSERT_EQ(calls.size(), 1u) << witnesses(client);
  EXPECT_EQ(calls[0].value("http_status", nlohmann::json()), 200) << calls[0].dump();
  EXPECT_EQ(text_of(calls[0], "thrift_status"), "INVALID_HANDLE_STATUS") << calls[0].dump();
  EXPECT_EQ(text_of(calls[0], "scenario"), "invalid_session_handle") << calls[0].dump();
  EXPECT_TRUE(contains(text_of(calls[0], "note"), "server never saw")) << calls[0].dump();
  // The journal's thrift_error is "the reply's errorMessage" (docs/control-protocol.md): the
  // reply adbcfault sent had one.
  EXPECT_EQ(text_of(calls[0], "thrift_error"), "Invalid or expired session handle")
      << calls[0].dump();
  // The request's own session handle is still journaled: the one the server handed out.
  EXPECT_EQ(text_of(calls[0], "session_guid"), text_of(server_log().at(0), "session_guid"))
      << calls[0].dump();
}

// execute_statement_response_lost (response phase, reset): the server ran the statement, the
// client got a reset instead of the answer, retried on a fresh connection (hs2_client retries
// resets, as drivers do), so the server ran it twice: the ambiguous commit.
TEST_F(HttpFaultTest, ExecuteStatementResponseLostReachedTheServer) {
  const int64_t cursor =
      enable("execute_statement_response_lost").value("journal_cursor", int64_t{1});
  auto client = hs2_client({"--script", "query"});
  ASSERT_TRUE(client.ok()) << witnesses(client);
  const auto execute = client_line(client, "ExecuteStatement");
  EXPECT_EQ(execute.value("attempts", -1), 2) << client.describe();
  EXPECT_TRUE(contains(client.err, "ExecuteStatement attempt 1 failed: connection reset"))
      << client.describe();

  // The server executed both attempts; the client only knows the second one's operation.
  std::vector<nlohmann::json> executed;
  for (const auto& line : server_log()) {
    if (text_of(line, "method") == "ExecuteStatement") executed.push_back(line);
  }
  ASSERT_EQ(executed.size(), 2u) << witnesses(client);
  EXPECT_NE(text_of(executed[0], "operation_guid"), text_of(executed[1], "operation_guid"));
  EXPECT_EQ(text_of(execute, "operation_guid"), text_of(executed[1], "operation_guid"));

  const auto calls = journal_calls("ExecuteStatement", cursor);
  ASSERT_EQ(calls.size(), 2u) << witnesses(client);
  EXPECT_EQ(text_of(calls[0], "scenario"), "execute_statement_response_lost") << calls[0].dump();
  EXPECT_TRUE(contains(text_of(calls[0], "note"), "connection reset by adbcfault"))
      << calls[0].dump();
  EXPECT_TRUE(contains(text_of(calls[0], "note"), "the server answered 200")) << calls[0].dump();
  EXPECT_FALSE(contains(text_of(calls[0], "note"), "never saw")) << calls[0].dump();
  EXPECT_EQ(text_of(calls[1], "scenario"), "") << calls[1].dump();
  EXPECT_EQ(text_of(calls[1], "operation_guid"), text_of(executed[1], "operation_guid"))
      << calls[1].dump();
  EXPECT_EQ(calls[0].value("flow", -1) == calls[1].value("flow", -1), false)
      << "the retry came on a fresh connection: " << calls[0].dump() << calls[1].dump();
}

// --------------------------------------------------------------------------------------------
// 4. fetch_results_connection_reset: the client retries FetchResults for the same operation and
// assert-same-operation passes; after two-queries the last two FetchResults are on different
// operations and it fails with exit 1 and diagnostics naming both GUIDs.

TEST_F(HttpFaultTest, AssertSameOperationPassesOnARealRetryAndFailsOnTwoQueries) {
  const int64_t cursor =
      enable("fetch_results_connection_reset").value("journal_cursor", int64_t{1});
  auto client = hs2_client({"--script", "query"});
  ASSERT_TRUE(client.ok()) << witnesses(client);
  const auto fetch = client_line(client, "FetchResults");
  EXPECT_EQ(fetch.value("attempts", -1), 2) << client.describe();
  const std::string operation = text_of(fetch, "operation_guid");
  ASSERT_TRUE(is_canonical_guid(operation)) << client.describe();

  const auto fetches = journal_calls("FetchResults", cursor);
  ASSERT_EQ(fetches.size(), 2u) << witnesses(client);
  EXPECT_EQ(text_of(fetches[0], "operation_guid"), operation) << fetches[0].dump();
  EXPECT_EQ(text_of(fetches[1], "operation_guid"), operation) << fetches[1].dump();
  EXPECT_EQ(text_of(fetches[0], "scenario"), "fetch_results_connection_reset");
  EXPECT_TRUE(contains(text_of(fetches[0], "note"), "connection reset by adbcfault"))
      << fetches[0].dump();
  EXPECT_EQ(server_log_count("FetchResults"), 2u) << "response phase: the server answered both\n"
                                                   << witnesses(client);

  auto same = cli({"calls", "assert-same-operation", "--method", "FetchResults"});
  EXPECT_EQ(same.exit_code, 0) << same.describe();
  EXPECT_TRUE(contains(same.out, operation)) << same.describe();
  auto same_json = cli_json({"calls", "assert-same-operation", "--method", "FetchResults"});
  EXPECT_EQ(same_json.value("same_operation", false), true) << same_json.dump();
  EXPECT_EQ(same_json.value("operation_guid", ""), operation) << same_json.dump();

  auto two = hs2_client({"--script", "two-queries"});
  ASSERT_TRUE(two.ok()) << two.describe();
  std::vector<std::string> operations;
  for (const auto& line : json_lines(two.out)) {
    if (text_of(line, "method") == "FetchResults") operations.push_back(text_of(line, "operation_guid"));
  }
  ASSERT_EQ(operations.size(), 2u) << two.describe();
  ASSERT_NE(operations[0], operations[1]) << two.describe();

  auto different = cli({"calls", "assert-same-operation", "--method", "FetchResults"});
  EXPECT_EQ(different.exit_code, 1) << different.describe();
  const std::string said = different.out + different.err;
  EXPECT_TRUE(contains(said, "DIFFERENT operation handles")) << different.describe();
  EXPECT_TRUE(contains(said, operations[0])) << different.describe();
  EXPECT_TRUE(contains(said, operations[1])) << different.describe();
}

// --------------------------------------------------------------------------------------------
// 9. http_error in the response phase (test-only YAML): the server ran ExecuteStatement, the
// client got the error instead. With a status the client does not retry (400) it fails with that
// status; with one it retries (503), the server runs the statement twice.

TEST_F(HttpFaultTest, ResponsePhaseHttpErrorReachedTheServer) {
  const int64_t cursor =
      enable("it_execute_http_400_response").value("journal_cursor", int64_t{1});
  auto client = hs2_client({"--script", "query"});
  EXPECT_EQ(client.exit_code, 1) << witnesses(client);
  EXPECT_TRUE(contains(client.err, "ExecuteStatement failed on attempt 1: HTTP 400"))
      << client.describe();
  EXPECT_TRUE(client_line(client, "ExecuteStatement").is_null()) << client.describe();
  EXPECT_EQ(server_log_count("ExecuteStatement"), 1u) << "response phase: the server ran it\n"
                                                       << witnesses(client);

  const auto calls = journal_calls("ExecuteStatement", cursor);
  ASSERT_EQ(calls.size(), 1u) << witnesses(client);
  EXPECT_EQ(calls[0].value("http_status", nlohmann::json()), 400) << calls[0].dump();
  EXPECT_EQ(text_of(calls[0], "scenario"), "it_execute_http_400_response") << calls[0].dump();
  EXPECT_TRUE(contains(text_of(calls[0], "note"), "response replaced by adbcfault"))
      << calls[0].dump();
  EXPECT_TRUE(contains(text_of(calls[0], "note"), "the server answered 200")) << calls[0].dump();
}

TEST_F(HttpFaultTest, ResponsePhaseRetryableHttpErrorRunsTheStatementTwice) {
  const int64_t cursor = enable("it_execute_http_400_response", {"status=503"})
                             .value("journal_cursor", int64_t{1});
  auto client = hs2_client({"--script", "query"});
  ASSERT_TRUE(client.ok()) << witnesses(client);
  EXPECT_EQ(client_line(client, "ExecuteStatement").value("attempts", -1), 2) << client.describe();
  EXPECT_EQ(server_log_count("ExecuteStatement"), 2u) << witnesses(client);
  const auto calls = journal_calls("ExecuteStatement", cursor);
  ASSERT_EQ(calls.size(), 2u) << witnesses(client);
  EXPECT_EQ(calls[0].value("http_status", nlohmann::json()), 503) << calls[0].dump();
  EXPECT_EQ(calls[1].value("http_status", nlohmann::json()), 200) << calls[1].dump();
}

// --------------------------------------------------------------------------------------------
// The rest of the session catalogue, each seen from the client, the server and the journal.

// network_timeout_open_session, shortened to 1.5 s: OpenSession arrives late but once.
TEST_F(HttpFaultTest, NetworkTimeoutOpenSessionDelaysBeforeTheServer) {
  const int64_t cursor = enable("network_timeout_open_session", {"milliseconds=1500"})
                             .value("journal_cursor", int64_t{1});
  const auto started = std::chrono::steady_clock::now();
  auto client = hs2_client({"--script", "session"});
  const auto elapsed = std::chrono::duration_cast<milliseconds>(
      std::chrono::steady_clock::now() - started);
  ASSERT_TRUE(client.ok()) << witnesses(client);
  EXPECT_GE(elapsed, milliseconds(1450)) << client.describe();
  EXPECT_LT(elapsed, milliseconds(4500)) << client.describe();
  EXPECT_EQ(client_line(client, "OpenSession").value("attempts", -1), 1) << client.describe();
  EXPECT_EQ(server_log_count("OpenSession"), 1u) << witnesses(client);
  const auto opens = journal_calls("OpenSession", cursor);
  ASSERT_EQ(opens.size(), 1u) << witnesses(client);
  EXPECT_EQ(text_of(opens[0], "scenario"), "network_timeout_open_session") << opens[0].dump();
  EXPECT_GE(opens[0].value("latency_ms", 0.0), 1450.0) << opens[0].dump();
  EXPECT_EQ(opens[0].value("http_status", nlohmann::json()), 200) << opens[0].dump();
}

// network_failure_close_session: FIN instead of an answer; the server never saw the first
// CloseSession; the client's retry closes the session.
TEST_F(HttpFaultTest, NetworkFailureCloseSessionClosesBeforeTheServer) {
  const int64_t cursor =
      enable("network_failure_close_session").value("journal_cursor", int64_t{1});
  auto client = hs2_client({"--script", "session"});
  ASSERT_TRUE(client.ok()) << witnesses(client);
  EXPECT_EQ(client_line(client, "CloseSession").value("attempts", -1), 2) << client.describe();
  EXPECT_EQ(server_log_count("CloseSession"), 1u) << witnesses(client);
  const auto closes = journal_calls("CloseSession", cursor);
  ASSERT_EQ(closes.size(), 2u) << witnesses(client);
  EXPECT_EQ(text_of(closes[0], "scenario"), "network_failure_close_session") << closes[0].dump();
  EXPECT_TRUE(contains(text_of(closes[0], "note"), "closed by adbcfault before the server saw it"))
      << closes[0].dump();
}

// expired_credentials: 401, which a driver must not retry with the same token.
TEST_F(HttpFaultTest, ExpiredCredentialsIsA401TheClientDoesNotRetry) {
  const int64_t cursor = enable("expired_credentials").value("journal_cursor", int64_t{1});
  auto client = hs2_client({"--script", "session"});
  EXPECT_EQ(client.exit_code, 1) << witnesses(client);
  EXPECT_TRUE(contains(client.err, "HTTP 401")) << client.describe();
  EXPECT_EQ(server_log_count("OpenSession"), 0u) << witnesses(client);
  const auto opens = journal_calls("OpenSession", cursor);
  ASSERT_EQ(opens.size(), 1u) << witnesses(client);
  EXPECT_EQ(opens[0].value("http_status", nlohmann::json()), 401) << opens[0].dump();
}

// session_timeout_premature: whatever Thrift call comes next (here OpenSession) is answered with
// ERROR_STATUS "Session has expired..." in its own reply struct.
TEST_F(HttpFaultTest, SessionTimeoutPrematureAnswersTheNextCallWithErrorStatus) {
  const int64_t cursor = enable("session_timeout_premature").value("journal_cursor", int64_t{1});
  auto client = hs2_client({"--script", "session"});
  EXPECT_EQ(client.exit_code, 1) << witnesses(client);
  const auto open = client_line(client, "OpenSession");
  EXPECT_EQ(text_of(open, "status"), "ERROR_STATUS") << client.describe();
  EXPECT_TRUE(contains(text_of(open, "error_message"), "Session has expired")) << client.describe();
  EXPECT_EQ(server_log_count("OpenSession"), 0u) << witnesses(client);
  const auto opens = journal_calls("OpenSession", cursor);
  ASSERT_EQ(opens.size(), 1u) << witnesses(client);
  EXPECT_EQ(text_of(opens[0], "thrift_status"), "ERROR_STATUS") << opens[0].dump();
  EXPECT_EQ(text_of(opens[0], "scenario"), "session_timeout_premature") << opens[0].dump();
}

// session_close_with_active_operations: observe only; enabling it changes nothing.
TEST_F(HttpFaultTest, ObserveScenarioNeverFires) {
  enable("session_close_with_active_operations");
  auto client = hs2_client({"--script", "query"});
  ASSERT_TRUE(client.ok()) << witnesses(client);
  for (const auto& entry : journal()) EXPECT_EQ(text_of(entry, "scenario"), "") << entry.dump();
  EXPECT_EQ(server_log().size(), 5u) << witnesses(client);
  auto status = cli_json({"status", "session_close_with_active_operations"});
  EXPECT_EQ(status.value("fired", -1), 0) << status.dump();
}

}  // namespace
}  // namespace adbcfault::testing
