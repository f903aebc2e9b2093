#include "hs2_fixture.h"

#include <map>
#include <fstream>
#include <regex>
#include <sstream>

#include "binaries.h"
#include "servers.h"
#include "wait.h"

namespace adbcfault::testing {

std::string fake_hs2_server_path() { return ADBCF_FAKE_HS2_SERVER_PATH; }
std::string hs2_client_path() { return ADBCF_HS2_CLIENT_PATH; }
std::string shipped_scenarios_dir() { return ADBCF_SHIPPED_SCENARIOS_DIR; }

std::string transport_name(Hs2Transport transport) {
  return transport == Hs2Transport::kHttps ? "https" : "http";
}

void PrintTo(Hs2Transport transport, std::ostream* out) { *out << transport_name(transport); }

const char kHs2TestScenariosYaml[] = R"(# Written by hs2_fixture.cpp for one integration test.
scenarios:
  - name: it_execute_http_400_response
    description: Integration test; ExecuteStatement reaches the server, the client gets HTTP 400.
    match: {thrift_method: ExecuteStatement, phase: response}
    action: {type: http_error, status: 400, body: "it_execute_http_400_response"}
)";

// An HTTP/1.1 server: GET /file/NAME (Content-Length), GET /chunked (50 small chunks),
// GET /chunked-file/NAME (the file in 64 KiB chunks), any other GET a short text; POST (body by
// Content-Length or chunked) answers "SIZE SHA256". Logs `CLIENT_IP:CLIENT_PORT "REQUEST LINE"`
// per request on stderr.
const char kHttp11ServerPy[] = R"PY(
import hashlib, http.server, os, sys
address, port, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *args):
        sys.stderr.write('%s:%d "%s"\n' % (self.client_address[0], self.client_address[1], self.requestline))
        sys.stderr.flush()

    def send_body(self, body, content_type='application/octet-stream'):
        self.send_response(200)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def start_chunked(self):
        self.send_response(200)
        self.send_header('Content-Type', 'application/octet-stream')
        self.send_header('Transfer-Encoding', 'chunked')
        self.end_headers()

    def chunk(self, data):
        self.wfile.write(b'%x\r\n%s\r\n' % (len(data), data))

    def do_GET(self):
        path = self.path.split('?')[0]
        if path == '/chunked':
            self.start_chunked()
            for i in range(50):
                self.chunk(('chunk %03d ' % i).encode() * (i + 1))
            self.wfile.write(b'0\r\n\r\n')
        elif path.startswith('/chunked-file/'):
            self.start_chunked()
            with open(os.path.join(root, path[len('/chunked-file/'):]), 'rb') as f:
                while True:
                    data = f.read(65536)
                    if not data:
                        break
                    self.chunk(data)
            self.wfile.write(b'0\r\n\r\n')
        elif path.startswith('/file/'):
            with open(os.path.join(root, path[len('/file/'):]), 'rb') as f:
                self.send_body(f.read())
        else:
            self.send_body(('hello from %s\n' % path).encode(), 'text/plain')

    def do_POST(self):
        digest, size = hashlib.sha256(), 0
        if self.headers.get('Transfer-Encoding', '').lower() == 'chunked':
            while True:
                n = int(self.rfile.readline().split(b';')[0].strip(), 16)
                if n == 0:
                    while self.rfile.readline() not in (b'\r\n', b'\n', b''):
                        pass
                    break
                data = self.rfile.read(n)
                digest.update(data)
                size += len(data)
                self.rfile.readline()
        else:
            remaining = int(self.headers.get('Content-Length', '0'))
            while remaining:
                data = self.rfile.read(min(remaining, 65536))
                if not data:
                    break
                digest.update(data)
                size += len(data)
                remaining -= len(data)
        self.send_body(('%d %s\n' % (size, digest.hexdigest())).encode(), 'text/plain')

class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

Server((address, port), Handler).serve_forever()
)PY";

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    try {
      out.push_back(nlohmann::json::parse(line));
    } catch (const nlohmann::json::exception&) {
      out.push_back({{"unparsed", line}});
    }
  }
  return out;
}

std::string text_of(const nlohmann::json& entry, const std::string& key) {
  if (!entry.is_object() || !entry.contains(key) || entry[key].is_null()) return "";
  return entry[key].is_string() ? entry[key].get<std::string>() : entry[key].dump();
}

std::vector<std::string> methods_of(const std::vector<nlohmann::json>& entries) {
  std::vector<std::string> out;
  for (const auto& entry : entries) {
    out.push_back(entry.contains("thrift_method") ? text_of(entry, "thrift_method")
                                                  : text_of(entry, "method"));
  }
  return out;
}

bool is_canonical_guid(const std::string& text) {
  static const std::regex kGuid("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
  return std::regex_match(text, kGuid);
}

std::string dump(const std::vector<nlohmann::json>& entries) {
  std::string out;
  for (const auto& entry : entries) out += "  " + entry.dump() + "\n";
  return out.empty() ? "  (none)\n" : out;
}

void Hs2Test::SetUp() {
  NetnsTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;
  work_.emplace("hs2");
  scenario_dir_.emplace("hs2scen");
  std::ofstream(scenario_dir() / "tests_only.yaml", std::ios::binary) << kHs2TestScenariosYaml;
  server_log_path_ = work_dir() / "server.log";
  std::ofstream(server_log_path_).flush();  // exists (empty) before the first call
  std::vector<std::string> server_argv = {
      fake_hs2_server_path(),   "--bind", server_address(),         "--port",
      std::to_string(kHs2Port), "--log",  server_log_path_.string()};
  if (transport_ == Hs2Transport::kHttps) {
    pki_.emplace(std::vector<std::string>{kHs2Host}, server_address());
    server_argv.insert(server_argv.end(), {"--cert", pki_->server_pem().string(), "--key",
                                           pki_->server_key().string()});
  }
  hs2_server.emplace(net->server_ns(), std::move(server_argv));
  const bool listening = wait_until(
      [&] {
        return hs2_server->stdout_text().find("listening port=") != std::string::npos ||
               !hs2_server->running();
      },
      std::chrono::seconds(10));
  ASSERT_TRUE(listening && hs2_server->running())
      << "fake_hs2_server did not start: " << hs2_server->stderr_text();
  std::vector<std::string> daemon_args = {
      "--scenarios", shipped_scenarios_dir(), "--scenarios", scenario_dir().string(),
      // Debug logging, so "no secret in the daemon's log" is checked at its most talkative.
      "--log-level", "debug"};
  if (transport_ == Hs2Transport::kHttps) {
    daemon_args.insert(daemon_args.end(),
                       {"--tls-intercept", kHs2Host, "--upstream-ca", server_ca()});
  }
  ASSERT_TRUE(
      daemon->start_and_wait_ready({intercept(kHs2Port), intercept(kTargetPort)}, daemon_args));
}

void Hs2Test::serve_http11() {
  web.emplace();
  const auto script = work_dir() / "http11_server.py";
  std::ofstream(script) << kHttp11ServerPy;
  http11.emplace(net->server_ns(),
                 std::vector<std::string>{"/usr/bin/python3", "-u", script.string(),
                                          server_address(), std::to_string(kTargetPort),
                                          web->path().string()});
  ASSERT_TRUE(wait_for_listen(net->server_ns(), server_address(), kTargetPort,
                              std::chrono::seconds(10)))
      << http11->stderr_text();
}

std::vector<std::string> Hs2Test::http11_requests() const {
  std::vector<std::string> lines;
  std::istringstream in(http11->stderr_text());
  for (std::string line; std::getline(in, line);) {
    if (line.find('"') != std::string::npos) lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> Hs2Test::hs2_client_argv(const std::string& ca_file,
                                                  const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {hs2_client_path()};
  if (transport_ == Hs2Transport::kHttps) {
    // No DNS in the namespaces: the client connects to the address but speaks to the name.
    argv.insert(argv.end(),
                {"--host", kHs2Host, "--connect-address", server_address(), "--tls-ca", ca_file});
  } else {
    argv.insert(argv.end(), {"--host", server_address()});
  }
  argv.insert(argv.end(),
              {"--port", std::to_string(kHs2Port), "--backoff-ms", "100", "--timeout-ms", "5000"});
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

RunResult Hs2Test::hs2_client(std::vector<std::string> args, std::chrono::milliseconds timeout) {
  const std::string ca = transport_ == Hs2Transport::kHttps ? daemon_ca() : "";
  return run(net->client_ns(), hs2_client_argv(ca, args), timeout);
}

std::unique_ptr<Process> Hs2Test::start_hs2_client(std::vector<std::string> args) {
  const std::string ca = transport_ == Hs2Transport::kHttps ? daemon_ca() : "";
  return std::make_unique<Process>(net->client_ns(), hs2_client_argv(ca, args));
}

RunResult Hs2Test::hs2_client_trusting(const std::string& ca_file, std::vector<std::string> args,
                                       std::chrono::milliseconds timeout) {
  EXPECT_TRUE(transport_ == Hs2Transport::kHttps) << "a CA file means nothing over plain HTTP";
  return run(net->client_ns(), hs2_client_argv(ca_file, args), timeout);
}

std::vector<nlohmann::json> Hs2Test::server_log() const {
  return json_lines(read_file(server_log_path_));
}

std::size_t Hs2Test::server_log_count(const std::string& method) const {
  std::size_t count = 0;
  for (const auto& name : methods_of(server_log())) count += name == method ? 1 : 0;
  return count;
}

nlohmann::json Hs2Test::enable(const std::string& name, const std::vector<std::string>& sets) {
  std::vector<std::string> args = {"enable", name};
  for (const auto& set : sets) {
    args.push_back("--set");
    args.push_back(set);
  }
  auto answer = cli_json(args);
  EXPECT_TRUE(answer.is_object() && answer.value("enabled", false) == true)
      << "enable " << name << ": " << answer.dump();
  return answer;
}

std::vector<nlohmann::json> Hs2Test::journal(std::optional<int64_t> since) {
  std::vector<std::string> args = {"calls"};
  if (since) {
    args.push_back("--since");
    args.push_back(std::to_string(*since));
  }
  auto answer = cli_json(args);
  if (!answer.is_object() || !answer.contains("calls") || !answer["calls"].is_array()) {
    ADD_FAILURE() << "calls --json has no calls array: " << answer.dump();
    return {};
  }
  return answer["calls"].get<std::vector<nlohmann::json>>();
}

std::vector<nlohmann::json> Hs2Test::journal_calls(const std::string& method,
                                                   std::optional<int64_t> since) {
  std::vector<nlohmann::json> out;
  for (auto& entry : journal(since)) {
    if (text_of(entry, "thrift_method") == method) out.push_back(std::move(entry));
  }
  return out;
}

int64_t Hs2Test::journal_next_id() {
  auto answer = cli_json({"calls"});
  return answer.is_object() ? answer.value("cursor", int64_t{-1}) : -1;
}

RunResult Hs2Test::python_client(const std::string& script, std::vector<std::string> args,
                                 std::chrono::milliseconds timeout) {
  std::vector<std::string> argv = {"/usr/bin/python3", "-c", script};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(net->client_ns(), std::move(argv), timeout);
}

std::vector<std::string> journal_sessions(const std::vector<nlohmann::json>& journal) {
  std::map<std::string, std::string> session_of_operation;
  for (const auto& entry : journal) {
    if (text_of(entry, "thrift_method") == "ExecuteStatement") {
      session_of_operation[text_of(entry, "operation_guid")] = text_of(entry, "session_guid");
    }
  }
  std::vector<std::string> out;
  for (const auto& entry : journal) {
    std::string session = text_of(entry, "session_guid");
    if (session.empty()) {
      auto it = session_of_operation.find(text_of(entry, "operation_guid"));
      if (it != session_of_operation.end()) session = it->second;
    }
    out.push_back(session);
  }
  return out;
}

}  // namespace adbcfault::testing
