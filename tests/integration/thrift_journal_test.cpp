// The call journal against the real thing: a retrying Thrift HTTP client (hs2_client) in the
// client namespace talks, with no proxy settings, to a fake HiveServer2 (fake_hs2_server) in the
// server namespace, through adbcfaultd. Each test compares what the daemon journaled
// (`adbcfault --json calls`) with what the server logged and the client printed, call for call.

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

#include "hs2_fixture.h"
#include "wait.h"

namespace adbcfault::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

int64_t id_of(const nlohmann::json& entry) { return entry.value("id", int64_t{-1}); }

// --------------------------------------------------------------------------------------------
// 1. With no scenario the journal equals the server's log call for call: thrift_https_test.cpp
// (CallForCallTest) checks it over plain HTTP and over HTTPS.

// --------------------------------------------------------------------------------------------
// 5. Enabling never clears history; enable's journal_cursor is the next id; `calls --since`
// shows only later calls; `calls wait` answers as soon as the condition holds, and times out
// with exit 1 and "timed out" when it never does.

class JournalHistoryTest : public Hs2Test {};

TEST_F(JournalHistoryTest, EnableKeepsHistoryAndCursorSeparatesRuns) {
  auto first = hs2_client({"--script", "session"});
  ASSERT_TRUE(first.ok()) << first.describe();
  auto before = cli({"calls", "count", "--method", "OpenSession"});
  ASSERT_EQ(before.exit_code, 0) << before.describe();
  EXPECT_EQ(before.out, "1\n") << before.describe();

  const int64_t next = journal_next_id();
  ASSERT_EQ(next, 3) << "OpenSession and CloseSession were journaled as ids 1 and 2\n"
                     << dump(journal());
  auto enabled = enable("service_unavailable_503_open_session");
  ASSERT_TRUE(enabled.is_object());
  EXPECT_EQ(enabled.value("journal_cursor", int64_t{-1}), next) << enabled.dump();
  const int64_t cursor = enabled.value("journal_cursor", next);

  auto after_enable = cli({"calls", "count", "--method", "OpenSession"});
  EXPECT_EQ(after_enable.out, "1\n") << "enable must not clear the journal: "
                                     << after_enable.describe();
  EXPECT_EQ(journal().size(), 2u) << dump(journal());

  auto second = hs2_client({"--script", "session"});
  ASSERT_TRUE(second.ok()) << second.describe();

  auto total = cli({"calls", "count", "--method", "OpenSession"});
  EXPECT_EQ(total.out, "3\n") << total.describe() << dump(journal());
  auto since = cli({"calls", "count", "--method", "OpenSession", "--since", std::to_string(cursor)});
  EXPECT_EQ(since.out, "2\n") << since.describe();

  const auto later = journal(cursor);
  ASSERT_EQ(methods_of(later),
            (std::vector<std::string>{"OpenSession", "OpenSession", "CloseSession"}))
      << dump(later);
  EXPECT_EQ(id_of(later.front()), cursor) << "the first call after enable gets the cursor's id";
  for (const auto& entry : later) EXPECT_GE(id_of(entry), cursor) << entry.dump();
  EXPECT_EQ(later[0].value("http_status", nlohmann::json()), 503) << later[0].dump();

  // The human listing honours --since too: the first run's ids are not in it.
  auto listing = cli({"calls", "--since", std::to_string(cursor)});
  ASSERT_EQ(listing.exit_code, 0) << listing.describe();
  std::istringstream rows(listing.out);
  int call_rows = 0;
  for (std::string row; std::getline(rows, row);) {
    if (row.empty() || !std::isdigit(static_cast<unsigned char>(row[0]))) continue;
    ++call_rows;
    EXPECT_GE(std::stoll(row), cursor) << listing.out;
  }
  EXPECT_EQ(call_rows, 3) << listing.out;
}

TEST_F(JournalHistoryTest, WaitReturnsAsSoonAsTheCallArrives) {
  const int64_t cursor = journal_next_id();
  // ExecuteStatement is held 1.5 s, so CloseSession arrives about 1.5 s from now: the wait must
  // really wait for it, and then answer at once, far from its 10 s timeout.
  enable("execute_statement_delay", {"milliseconds=1500"});
  auto client = start_hs2_client({"--script", "query"});
  const auto started = std::chrono::steady_clock::now();
  auto wait = cli({"--json", "calls", "wait", "--method", "CloseSession", "--count", "1",
                   "--timeout", "10", "--since", std::to_string(cursor)});
  const auto elapsed = std::chrono::duration_cast<milliseconds>(
      std::chrono::steady_clock::now() - started);
  ASSERT_EQ(wait.exit_code, 0) << wait.describe();
  EXPECT_GE(elapsed, milliseconds(1200)) << "the wait answered before CloseSession could exist";
  EXPECT_LT(elapsed, milliseconds(5000)) << "the wait did not answer as soon as CloseSession came";
  auto answer = nlohmann::json::parse(wait.out, nullptr, false);
  EXPECT_EQ(answer.value("count", -1), 1) << wait.out;
  EXPECT_EQ(journal_calls("CloseSession", cursor).size(), 1u) << dump(journal(cursor));

  ASSERT_EQ(client->wait_for_exit(seconds(10)), 0) << client->stderr_text();
}

TEST_F(JournalHistoryTest, WaitTimesOutWithExitOneForAnImpossibleCount) {
  auto client = hs2_client({"--script", "session"});
  ASSERT_TRUE(client.ok()) << client.describe();
  const auto started = std::chrono::steady_clock::now();
  auto wait = cli({"calls", "wait", "--method", "OpenSession", "--count", "99", "--timeout", "1"});
  const auto elapsed = std::chrono::duration_cast<milliseconds>(
      std::chrono::steady_clock::now() - started);
  EXPECT_EQ(wait.exit_code, 1) << wait.describe();
  EXPECT_NE(wait.err.find("timed out"), std::string::npos) << wait.describe();
  EXPECT_NE(wait.err.find("saw 1"), std::string::npos) << "says what it saw: " << wait.describe();
  EXPECT_GE(elapsed, milliseconds(900)) << wait.describe();
  EXPECT_LT(elapsed, milliseconds(6000)) << wait.describe();
}

// --------------------------------------------------------------------------------------------
// 6. OpenSession's configuration is in the journal by name; secrets in it are "<redacted>" and
// their values appear nowhere: not in `calls --json`, not in the listing, not in the daemon's
// (debug) log. The server log proves the secrets really went over the wire.

class JournalSecretsTest : public Hs2Test {};

TEST_F(JournalSecretsTest, ConfigurationByNameSecretsRedacted) {
  const std::string token = "tok-9b1f3c77e2a94d0c";
  const std::string password = "pw-51d2aa08c6e3";
  auto client = hs2_client({"--script", "query", "--config", "spark.x=1", "--config",
                            "access_token=" + token, "--config",
                            "spark.sql.password=" + password});
  ASSERT_TRUE(client.ok()) << client.describe();

  const auto served = server_log();
  ASSERT_FALSE(served.empty());
  ASSERT_EQ(text_of(served[0]["configuration"], "access_token"), token)
      << "the secret must have reached the server for this test to mean anything: "
      << served[0].dump();

  const auto opens = journal_calls("OpenSession");
  ASSERT_EQ(opens.size(), 1u) << dump(journal());
  ASSERT_TRUE(opens[0].contains("fields")) << opens[0].dump();
  const auto& fields = opens[0]["fields"];
  ASSERT_TRUE(fields.contains("configuration")) << fields.dump();
  const auto& configuration = fields["configuration"];
  EXPECT_EQ(configuration.value("spark.x", ""), "1") << fields.dump();
  EXPECT_EQ(configuration.value("access_token", ""), "<redacted>") << fields.dump();
  EXPECT_EQ(configuration.value("spark.sql.password", ""), "<redacted>") << fields.dump();
  EXPECT_EQ(fields.value("client_protocol", ""), "HIVE_CLI_SERVICE_PROTOCOL_V10") << fields.dump();

  // The handle secrets the server handed out are redacted in every call that carries a handle.
  for (const auto& entry : journal()) {
    const std::string text = entry.dump();
    if (text.find("\"secret\"") != std::string::npos) {
      EXPECT_NE(text.find("\"secret\":\"<redacted>\""), std::string::npos) << text;
    }
  }

  auto as_json = cli({"--json", "calls"});
  auto listing = cli({"calls"});
  ASSERT_TRUE(as_json.ok()) << as_json.describe();
  ASSERT_TRUE(listing.ok()) << listing.describe();
  for (const std::string& secret : {token, password}) {
    EXPECT_EQ(as_json.out.find(secret), std::string::npos) << secret << " in " << as_json.out;
    EXPECT_EQ(listing.out.find(secret), std::string::npos) << secret << " in " << listing.out;
    EXPECT_EQ(daemon_log().find(secret), std::string::npos) << secret << " in the daemon's log";
  }
}

// --------------------------------------------------------------------------------------------
// 8. Bad Thrift bodies after good HTTP headers (Content-Type application/x-thrift, exact
// Content-Length): random bytes, a length prefix of 2 GiB (method name, and a string field), a
// truncated message, a method name that is not UTF-8. Each is sent to an HTTP/1.1 server that
// answers with the SHA-256 of the body it got (so "relayed" means "relayed byte for byte") and,
// except the 2 GiB ones, to the fake HiveServer2 as well (which answers an error or closes; its
// Thrift library would allocate the 2 GiB a length claims, which takes seconds). Every request is
// relayed or closed cleanly, never hung; its journal entry notes the decode problem; the daemon
// keeps running; a keep-alive Thrift connection opened before them still works after them; and
// a normal client run afterwards succeeds.

// argv: HOST HS2_PORT HTTP_PORT. One JSON line per request sent:
// {"case", "target": "hs2"|"http", "result": <HTTP status>|"closed"|"reset"|"timeout"|...,
//  "intact": whether the HTTP server got exactly the body sent}.
const char kBadThriftClient[] = R"PY(
import hashlib, json, random, socket, struct, sys
host, hs2_port, http_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def string(b): return struct.pack('>i', len(b)) + b
def call(method, seqid, args): return b'\x80\x01\x00\x01' + string(method) + struct.pack('>i', seqid) + args
def field(ftype, fid, payload): return struct.pack('>bh', ftype, fid) + payload
STOP = b'\x00'
open_session = call(b'OpenSession', 1, field(12, 1, field(8, 1, struct.pack('>i', 9)) + STOP) + STOP)
# TSessionHandle {1: THandleIdentifier {1: guid, 2: secret}}, as field 1 of TExecuteStatementReq
handle = field(12, 1, field(12, 1, field(11, 1, string(bytes(range(16)))) + field(11, 2, string(bytes(16))) + STOP) + STOP)
execute = call(b'ExecuteStatement', 2, field(12, 1, handle + field(11, 2, string(b'SELECT 42')) + STOP) + STOP)

def http(body, port):
    return (f'POST /cliservice HTTP/1.1\r\nHost: {host}:{port}\r\n'
            f'Content-Type: application/x-thrift\r\nContent-Length: {len(body)}\r\n\r\n').encode() + body

def read_response(sock):
    data = b''
    try:
        while b'\r\n\r\n' not in data:
            chunk = sock.recv(65536)
            if not chunk: return ('closed' if not data else 'closed-mid-head'), b''
            data += chunk
        head, _, rest = data.partition(b'\r\n\r\n')
        status = int(head.split(b' ')[1])
        length = 0
        for line in head.split(b'\r\n')[1:]:
            key, _, value = line.partition(b':')
            if key.strip().lower() == b'content-length': length = int(value)
        while len(rest) < length:
            chunk = sock.recv(65536)
            if not chunk: return 'closed-mid-body', rest
            rest += chunk
        return status, rest
    except ConnectionResetError: return 'reset', b''
    except socket.timeout: return 'timeout', b''

def connect(port):
    sock = socket.create_connection((host, port), timeout=5)
    sock.settimeout(5)
    return sock

def report(name, target, result, intact=None):
    print(json.dumps({'case': name, 'target': target, 'result': result, 'intact': intact}), flush=True)

keep = connect(hs2_port)
keep.sendall(http(open_session, hs2_port))
report('keepalive-before', 'hs2', read_response(keep)[0])

rng = random.Random(4)
cases = [
    ('random-bytes', b'\xff\xfe' + bytes(rng.randrange(256) for _ in range(512)), True),
    ('method-length-2gib', b'\x80\x01\x00\x01\x7f\xff\xff\xff' + b'OpenSession' + bytes(8), False),
    ('statement-length-2gib', call(b'ExecuteStatement', 3, field(12, 1, handle + field(11, 2, struct.pack('>i', 0x7fffffff) + b'SELECT') + STOP) + STOP), False),
    ('truncated', execute[:len(execute) // 2], True),
    ('method-not-utf8', call(b'Open\xff\xfeSession\xc3', 4, STOP), True),
]
for name, body, to_hs2 in cases:
    sock = connect(http_port)
    sock.sendall(http(body, http_port))
    status, answer = read_response(sock)
    sock.close()
    report(name, 'http', status, answer == b'%d %s\n' % (len(body), hashlib.sha256(body).hexdigest().encode()))
    if not to_hs2:
        continue
    sock = connect(hs2_port)
    sock.sendall(http(body, hs2_port))
    sock.shutdown(socket.SHUT_WR)  # no more requests: a server reading past the body sees EOF
    report(name, 'hs2', read_response(sock)[0])
    sock.close()

keep.sendall(http(open_session, hs2_port))
report('keepalive-after', 'hs2', read_response(keep)[0])
keep.close()
)PY";

class BadThriftInputTest : public Hs2Test {};

TEST_F(BadThriftInputTest, DecodeErrorsAreNotedAndNothingElseIsHarmed) {
  ASSERT_NO_FATAL_FAILURE(serve_http11());
  const int64_t cursor = journal_next_id();
  auto sent = python_client(kBadThriftClient, {server_address(), std::to_string(kHs2Port),
                                               std::to_string(kTargetPort)},
                            seconds(60));
  ASSERT_TRUE(sent.ok()) << sent.describe();
  const auto requests = json_lines(sent.out);
  ASSERT_EQ(requests.size(), 10u) << sent.describe();

  // The connection opened before the bad input is untouched by it.
  EXPECT_EQ(requests.front()["result"], 200) << sent.out;
  EXPECT_EQ(requests.back()["result"], 200) << sent.out;

  // What the journal must say about each case.
  const std::map<std::string, std::string> reasons = {
      {"random-bytes", "not a Thrift message"},
      {"method-length-2gib", "size"},
      {"statement-length-2gib", "size"},
      {"truncated", "truncated"},
      {"method-not-utf8", "UTF-8"},
  };
  // One journal entry per request, in the order they were sent.
  const auto calls = journal(cursor);
  ASSERT_EQ(calls.size(), requests.size()) << "journal:\n" << dump(calls) << sent.out;
  EXPECT_EQ(text_of(calls.front(), "thrift_method"), "OpenSession") << calls.front().dump();
  EXPECT_EQ(text_of(calls.back(), "thrift_method"), "OpenSession") << calls.back().dump();
  EXPECT_EQ(text_of(calls.back(), "note"), "") << calls.back().dump();
  for (std::size_t i = 1; i + 1 < requests.size(); ++i) {
    const auto& request = requests[i];
    const std::string name = text_of(request, "case");
    const std::string target = text_of(request, "target");
    const std::string where = name + " to " + target;
    const auto& entry = calls[i];
    const uint16_t port = target == "http" ? kTargetPort : kHs2Port;
    EXPECT_EQ(text_of(entry, "server"), server_address() + ":" + std::to_string(port))
        << where << ": " << entry.dump();
    if (target == "http") {
      // Relayed byte for byte to a server that answers.
      EXPECT_EQ(request["result"], 200) << where << ": " << request.dump();
      EXPECT_EQ(request["intact"], true) << where << ": " << request.dump();
    } else {
      // Relayed (any HTTP answer from the fake server) or closed cleanly; never hung or reset.
      EXPECT_TRUE(request["result"].is_number_integer() || request["result"] == "closed")
          << where << ": " << request.dump();
    }
    const std::string note = text_of(entry, "note");
    EXPECT_NE(note.find("could not be fully decoded"), std::string::npos)
        << where << ": " << entry.dump();
    EXPECT_NE(note.find(reasons.at(name)), std::string::npos) << where << ": " << entry.dump();
    EXPECT_EQ(text_of(entry, "path"), "/cliservice") << where << ": " << entry.dump();
    if (name == "method-not-utf8") {
      EXPECT_EQ(text_of(entry, "thrift_method"), "") << where << ": " << entry.dump();
    }
    if (name == "truncated") {
      // What was decoded before the cut stays.
      EXPECT_EQ(text_of(entry, "thrift_method"), "ExecuteStatement") << where << ": "
                                                                      << entry.dump();
    }
  }

  ASSERT_TRUE(daemon->running()) << daemon_log();
  auto after = hs2_client({"--script", "query"});
  EXPECT_TRUE(after.ok()) << after.describe() << "\nserver stderr:\n" << hs2_server->stderr_text();
  auto closes = cli({"calls", "count", "--method", "CloseSession"});
  EXPECT_EQ(closes.out, "1\n") << closes.describe();
  EXPECT_TRUE(daemon->running()) << daemon_log();
}

}  // namespace
}  // namespace adbcfault::testing

namespace adbcfault::testing {
namespace {

// A Thrift body larger than --thrift-body-cap is relayed without being held or decoded, and the
// journal says so; the call still succeeds.
TEST_F(JournalHistoryTest, BodiesOverTheThriftCapAreRelayedUndecoded) {
  ASSERT_TRUE(daemon->stop().has_value());
  ASSERT_TRUE(daemon->start_and_wait_ready(
      {intercept(kHs2Port)},
      {"--scenarios", shipped_scenarios_dir(), "--thrift-body-cap", "64"}));
  auto client = hs2_client({"--script", "query", "--statement",
                            "SELECT '" + std::string(200, 'x') + "' AS long_literal"});
  ASSERT_TRUE(client.ok()) << client.describe();
  bool noted = false;
  for (const auto& entry : journal()) {
    if (entry.value("note", "").find("larger than the decode cap") != std::string::npos) noted = true;
  }
  EXPECT_TRUE(noted) << dump(journal());
  EXPECT_EQ(server_log().size(), 5u) << "every call still reached the server";
}

}  // namespace
}  // namespace adbcfault::testing
