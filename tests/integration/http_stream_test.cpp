// Plain HTTP/1.1 through adbcfaultd, as curl and a real HTTP/1.1 server (python3's http.server
// with protocol_version HTTP/1.1, so keep-alive, chunked bodies and 100-continue are real) see
// it: keep-alive, pipelining, chunked bodies both ways, Expect: 100-continue, query strings that
// must never be journaled, multi-MiB bodies byte for byte; and bytes that are not HTTP, relayed
// unharmed.

#include <cstdio>
#include <fstream>
#include <random>

#include "hs2_fixture.h"
#include "wait.h"

namespace adbcfault::testing {
namespace {

using std::chrono::seconds;

// The body GET /chunked sends.
std::string expected_chunked_body() {
  std::string body;
  for (int i = 0; i < 50; ++i) {
    char piece[16];
    std::snprintf(piece, sizeof piece, "chunk %03d ", i);
    for (int j = 0; j <= i; ++j) body += piece;
  }
  return body;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The journal/Thrift fixture; each test starts the HTTP/1.1 server (serve_http11) or its own.
class HttpStreamTest : public Hs2Test {
 protected:
  // The client's IP:PORT in a line of the HTTP/1.1 server's request log.
  static std::string client_port_of(const std::string& log_line) {
    return log_line.substr(0, log_line.find(' '));
  }

  // GET PATH from the HTTP/1.1 server with curl: the body ("" and a failure if curl failed).
  std::string download(const std::string& path) {
    std::filesystem::path file;
    auto fetched = fetch(url(kTargetPort, path), &file);
    EXPECT_TRUE(fetched.ok()) << fetched.describe();
    return fetched.ok() ? read_file(file) : "";
  }
};

// Two URLs in one curl: one TCP connection (curl reuses it, the server sees one client port,
// the daemon one flow), two journal entries on that flow, both bodies exact.
TEST_F(HttpStreamTest, KeepAliveTwoRequestsOnOneConnection) {
  ASSERT_NO_FATAL_FAILURE(serve_http11());
  const int64_t flows_before = daemon->flows_total();
  auto both = curl({"-v", "--max-time", "20", url(kTargetPort, "one"), url(kTargetPort, "two")});
  ASSERT_TRUE(both.ok()) << both.describe();
  EXPECT_EQ(both.out, "hello from /one\nhello from /two\n") << both.describe();
  EXPECT_TRUE(contains(both.err, "Re-using existing connection")) << both.err;

  const auto requests = http11_requests();
  ASSERT_EQ(requests.size(), 2u) << http11->stderr_text();
  EXPECT_EQ(client_port_of(requests[0]), client_port_of(requests[1])) << http11->stderr_text();
  EXPECT_TRUE(contains(requests[0], "GET /one HTTP/1.1")) << requests[0];
  EXPECT_TRUE(contains(requests[1], "GET /two HTTP/1.1")) << requests[1];
  EXPECT_EQ(daemon->flows_total(), flows_before + 1);

  const auto calls = journal();
  ASSERT_EQ(calls.size(), 2u) << dump(calls);
  EXPECT_EQ(calls[0].value("flow", -1), calls[1].value("flow", -2)) << dump(calls);
  const std::vector<std::string> paths = {"/one", "/two"};
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(text_of(calls[i], "http_method"), "GET") << calls[i].dump();
    EXPECT_EQ(text_of(calls[i], "path"), paths[i]) << calls[i].dump();
    EXPECT_EQ(text_of(calls[i], "thrift_method"), "") << calls[i].dump();
    EXPECT_EQ(calls[i].value("http_status", nlohmann::json()), 200) << calls[i].dump();
    EXPECT_EQ(calls[i].value("response_bytes", nlohmann::json()),
              std::string("hello from ").size() + paths[i].size() + 1)
        << calls[i].dump();
    EXPECT_EQ(text_of(calls[i], "note"), "") << calls[i].dump();
  }
}

// Three GETs written in one send() before any answer: three answers, in order, on the one
// connection, and three journal entries.
TEST_F(HttpStreamTest, PipelinedRequestsAnsweredInOrder) {
  ASSERT_NO_FATAL_FAILURE(serve_http11());
  const char* kPipeline = R"PY(
import socket, sys
host, port = sys.argv[1], int(sys.argv[2])
sock = socket.create_connection((host, port), timeout=10)
sock.sendall(b''.join(b'GET /p%d HTTP/1.1\r\nHost: %s\r\n\r\n' % (i, host.encode()) for i in range(3)))
data = b''
while data.count(b'hello from') < 3:
    chunk = sock.recv(65536)
    if not chunk:
        break
    data += chunk
sys.stdout.write(data.decode())
)PY";
  auto pipelined = python_client(kPipeline, {server_address(), std::to_string(kTargetPort)});
  ASSERT_TRUE(pipelined.ok()) << pipelined.describe();
  const auto p0 = pipelined.out.find("hello from /p0");
  const auto p1 = pipelined.out.find("hello from /p1");
  const auto p2 = pipelined.out.find("hello from /p2");
  ASSERT_NE(p0, std::string::npos) << pipelined.out;
  ASSERT_NE(p1, std::string::npos) << pipelined.out;
  ASSERT_NE(p2, std::string::npos) << pipelined.out;
  EXPECT_LT(p0, p1) << pipelined.out;
  EXPECT_LT(p1, p2) << pipelined.out;

  ASSERT_TRUE(wait_until([&] { return journal().size() >= 3; }, seconds(5)));
  const auto calls = journal();
  ASSERT_EQ(calls.size(), 3u) << dump(calls);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(text_of(calls[i], "path"), "/p" + std::to_string(i)) << calls[i].dump();
    EXPECT_EQ(calls[i].value("flow", -1), calls[0].value("flow", -2)) << calls[i].dump();
    EXPECT_EQ(calls[i].value("http_status", nlohmann::json()), 200) << calls[i].dump();
  }
}

// Chunked responses, small chunks and an 8 MiB file in 64 KiB chunks: byte-identical, and the
// journal's response_bytes is the body's size.
TEST_F(HttpStreamTest, ChunkedResponseBodies) {
  ASSERT_NO_FATAL_FAILURE(serve_http11());
  EXPECT_EQ(download("chunked"), expected_chunked_body());

  std::filesystem::path big_file;
  auto big = fetch(url(kTargetPort, "chunked-file/big.bin"), &big_file);
  ASSERT_TRUE(big.ok()) << big.describe();
  EXPECT_EQ(sha256_file(big_file), web->big().sha256);

  const auto calls = journal();
  ASSERT_EQ(calls.size(), 2u) << dump(calls);
  EXPECT_EQ(calls[0].value("response_bytes", nlohmann::json()), expected_chunked_body().size())
      << calls[0].dump();
  EXPECT_EQ(calls[1].value("response_bytes", nlohmann::json()), web->big().size)
      << calls[1].dump();
  for (const auto& call : calls) {
    EXPECT_EQ(call.value("http_status", nlohmann::json()), 200) << call.dump();
  }
}

// Request bodies: 6 MiB with Expect: 100-continue and Content-Length, and 6 MiB chunked; the
// server receives exactly what was sent.
TEST_F(HttpStreamTest, UploadsWithContinueAndChunkedArriveIntact) {
  ASSERT_NO_FATAL_FAILURE(serve_http11());
  const auto upload = work_dir() / "upload.bin";
  {
    std::mt19937_64 generator(77);
    std::string bytes(6 << 20, '\0');
    for (auto& byte : bytes) byte = static_cast<char>(generator());
    std::ofstream(upload, std::ios::binary).write(bytes.data(), std::ssize(bytes));
  }
  const std::string expected = std::to_string(6 << 20) + " " + sha256_file(upload) + "\n";

  auto continued = curl({"-v", "--max-time", "30", "-H", "Expect: 100-continue",
                         "--data-binary", "@" + upload.string(), url(kTargetPort, "up")});
  ASSERT_TRUE(continued.ok()) << continued.describe();
  EXPECT_EQ(continued.out, expected) << continued.describe();
  EXPECT_TRUE(contains(continued.err, "100 Continue")) << continued.err;

  auto chunked = curl({"--max-time", "30", "-H", "Transfer-Encoding: chunked", "--data-binary",
                       "@" + upload.string(), url(kTargetPort, "up-chunked")});
  ASSERT_TRUE(chunked.ok()) << chunked.describe();
  EXPECT_EQ(chunked.out, expected) << chunked.describe();

  const auto calls = journal();
  ASSERT_EQ(calls.size(), 2u) << dump(calls);
  for (const auto& call : calls) {
    EXPECT_EQ(text_of(call, "http_method"), "POST") << call.dump();
    EXPECT_EQ(call.value("http_status", nlohmann::json()), 200) << call.dump();
  }
}

// A presigned URL's query string reaches the server unchanged but never the journal: the path
// has no query, and the signature appears nowhere in calls output or the daemon's log.
TEST_F(HttpStreamTest, QueryStringIsRelayedButNeverJournaled) {
  ASSERT_NO_FATAL_FAILURE(serve_http11());
  const std::string signature = "sig5e3c7a91d04f";
  const std::string credential = "cred8812ab";
  const std::string query = "?X-Amz-Signature=" + signature + "&X-Amz-Credential=" + credential +
                            "&X-Amz-Expires=60";
  EXPECT_EQ(download("file/small.txt" + query), read_file(web->path() / "small.txt"));

  const auto requests = http11_requests();
  ASSERT_EQ(requests.size(), 1u) << http11->stderr_text();
  EXPECT_TRUE(contains(requests[0], "GET /file/small.txt" + query + " HTTP/1.1"))
      << "the query must reach the server unchanged: " << requests[0];

  const auto calls = journal();
  ASSERT_EQ(calls.size(), 1u) << dump(calls);
  EXPECT_EQ(text_of(calls[0], "path"), "/file/small.txt") << calls[0].dump();
  auto as_json = cli({"--json", "calls"});
  auto listing = cli({"calls"});
  for (const std::string& secret : {signature, credential, std::string("X-Amz")}) {
    EXPECT_FALSE(contains(as_json.out, secret)) << secret << " in " << as_json.out;
    EXPECT_FALSE(contains(listing.out, secret)) << secret << " in " << listing.out;
    EXPECT_FALSE(contains(daemon_log(), secret)) << secret << " in the daemon's log";
  }
}

// An 8 MiB Content-Length body arrives byte for byte and the journal counts all of it.
TEST_F(HttpStreamTest, MultiMiBDownloadIsByteIdenticalAndCounted) {
  ASSERT_NO_FATAL_FAILURE(serve_http11());
  std::filesystem::path file;
  auto fetched = fetch(url(kTargetPort, "file/big.bin"), &file);
  ASSERT_TRUE(fetched.ok()) << fetched.describe();
  EXPECT_EQ(std::filesystem::file_size(file), web->big().size);
  EXPECT_EQ(sha256_file(file), web->big().sha256);
  const auto calls = journal();
  ASSERT_EQ(calls.size(), 1u) << dump(calls);
  EXPECT_EQ(calls[0].value("http_status", nlohmann::json()), 200) << calls[0].dump();
  EXPECT_EQ(calls[0].value("response_bytes", nlohmann::json()), web->big().size)
      << calls[0].dump();
  EXPECT_EQ(text_of(calls[0], "path"), "/file/big.bin") << calls[0].dump();
}

// Bytes that are not HTTP (or stop being HTTP) on an intercepted port reach an echo server and
// come back exactly: "HELLO\r\n", binary after a line, an HTTP-looking start with garbage, a real
// HTTP request whose "response" (the echo) is not HTTP, and the same followed by more bytes
// once the echo came back (the connection is plain TCP from then on, both ways).
TEST_F(HttpStreamTest, NonHttpBytesAreRelayedUnharmed) {
  const char* kEchoServer = R"PY(
import socket, sys, threading
server = socket.create_server((sys.argv[1], int(sys.argv[2])))
def serve(conn):
    with conn:
        while True:
            data = conn.recv(65536)
            if not data:
                break
            conn.sendall(data)
while True:
    conn, _ = server.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
)PY";
  Process echo(net->server_ns(), {"/usr/bin/python3", "-u", "-c", kEchoServer, server_address(),
                                  std::to_string(kTargetPort)});
  ASSERT_TRUE(wait_for_listen(net->server_ns(), server_address(), kTargetPort, seconds(10)))
      << echo.stderr_text();

  // Each case is a list of steps on one connection: send the step, read its echo back.
  const char* kEchoClient = R"PY(
import json, random, socket, sys
host, port = sys.argv[1], int(sys.argv[2])
rng = random.Random(9)
blob = bytes(rng.randrange(256) for _ in range(256 * 1024))
request = b'POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello'
cases = [
    ('hello', [b'HELLO\r\n']),
    ('hello-then-binary', [b'HELLO\r\n' + blob]),
    ('http-looking-garbage', [b'GET /\x00\xff\xfe HTTP/9.9\r\n\x01\x02\r\n\r\n' + blob[:4096]]),
    ('http-request-echoed', [request]),
    ('http-request-echoed-then-more', [request, b'MORE\r\n' + blob[:8192]]),
]
for name, steps in cases:
    sock = socket.create_connection((host, port), timeout=3)
    result = {'case': name, 'identical': True, 'steps': []}
    for payload in steps:
        sock.sendall(payload)
        got = b''
        try:
            while len(got) < len(payload):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                got += chunk
        except OSError as error:
            result['error'] = str(error)
        result['steps'].append({'sent': len(payload), 'received': len(got),
                                'received_start': got[:40].decode('latin-1')})
        if got != payload:
            result['identical'] = False
            break
    sock.close()
    print(json.dumps(result), flush=True)
)PY";
  const int64_t flows_before = daemon->flows_total();
  auto echoed = python_client(kEchoClient, {server_address(), std::to_string(kTargetPort)});
  ASSERT_TRUE(echoed.ok()) << echoed.describe() << daemon_log();
  const auto lines = json_lines(echoed.out);
  ASSERT_EQ(lines.size(), 5u) << echoed.describe();
  for (const auto& line : lines) {
    EXPECT_EQ(line.value("identical", false), true) << line.dump() << "\n" << daemon_log();
  }
  EXPECT_EQ(daemon->flows_total(), flows_before + 5) << "every case went through the daemon";
  ASSERT_TRUE(daemon->running()) << daemon_log();

  // The daemon still relays and journals Thrift normally afterwards.
  auto client = hs2_client({"--script", "session"});
  EXPECT_TRUE(client.ok()) << client.describe();
}

}  // namespace
}  // namespace adbcfault::testing
