#pragma once
// The fixture of the HTTP/Thrift journal tests (thrift_journal_test.cpp, http_faults_test.cpp,
// http_stream_test.cpp): a fake HiveServer2 over HTTP (tests/fixtures/hs2/fake_hs2_server) in the
// server namespace on kHs2Port, logging each call with its GUIDs; adbcfaultd in the client
// namespace intercepting kHs2Port and kTargetPort, loading the shipped catalogue plus the
// test-only scenarios below; and helpers to run the retrying Thrift client (hs2_client), read the
// server's call log and the daemon's journal (`adbcfault --json calls`), and send raw bytes.
//
// Transport: plain HTTP by default. With Hs2Transport::kHttps (thrift_https_test.cpp) the server
// serves HTTPS under the name kHs2Host with a certificate from its own CA (TestPki, tls_fixture.h),
// the daemon intercepts that name (--tls-intercept) trusting that CA (--upstream-ca), and
// hs2_client sends SNI kHs2Host, trusts only the daemon's CA and checks the name. Everything
// else (ports, journal, server log, the helpers below) is the same in both.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "integration_env.h"
#include "tls_fixture.h"

namespace adbcfault::testing {

std::string fake_hs2_server_path();     // tests/fixtures/hs2/fake_hs2_server.cpp
std::string hs2_client_path();          // tests/fixtures/hs2/hs2_client.cpp
std::string shipped_scenarios_dir();    // the repo's scenarios/ (source tree)

enum class Hs2Transport { kHttp, kHttps };
std::string transport_name(Hs2Transport transport);  // "http", "https"
void PrintTo(Hs2Transport transport, std::ostream* out);  // for test parameters

// Test-only scenarios, written to the fixture's own scenario directory.
// it_execute_http_400_response   ExecuteStatement reaches the server; the client gets HTTP 400
extern const char kHs2TestScenariosYaml[];

// One JSON value per non-empty line; a line that is not JSON is reported as {"unparsed": line}.
std::vector<nlohmann::json> json_lines(const std::string& text);
// The "method" (server log, client output) or "thrift_method" (journal) of each entry.
std::vector<std::string> methods_of(const std::vector<nlohmann::json>& entries);
// Canonical 8-4-4-4-12 lowercase hex.
bool is_canonical_guid(const std::string& text);
// entry[key] as text, "" when absent or null.
std::string text_of(const nlohmann::json& entry, const std::string& key);

class Hs2Test : public NetnsTest {
 protected:
  static constexpr uint16_t kHs2Port = 10000;
  // The HTTPS server's name: on its certificate, intercepted by the daemon, sent by the client.
  static constexpr char kHs2Host[] = "hs2.test";

  // Gate, namespaces, fake_hs2_server on kHs2Port, the scenario directory, and the daemon
  // (intercepting kHs2Port and kTargetPort, plus kHs2Host's TLS over HTTPS), ready.
  void SetUp() override;

  // Called before SetUp (by a derived fixture's SetUp) to serve and call over HTTPS.
  void use_transport(Hs2Transport transport) { transport_ = transport; }
  Hs2Transport transport() const { return transport_; }
  // HTTPS only: the CA files. The client trusts the daemon's; the daemon trusts the server's.
  std::string daemon_ca() const { return daemon->state_dir() + "/ca.pem"; }
  std::string server_ca() const { return pki_->ca_pem().string(); }

  // An HTTP/1.1 server (python3 http.server, protocol_version HTTP/1.1: keep-alive, chunked,
  // 100-continue) on kTargetPort in the server namespace, serving a fresh WebRoot (web):
  //   GET /file/NAME          the file, with Content-Length
  //   GET /chunked            50 small chunks: "chunk 000 ", "chunk 001 chunk 001 ", ...
  //   GET /chunked-file/NAME  the file in 64 KiB chunks
  //   GET anything else       "hello from PATH\n"
  //   POST                    reads the body (Content-Length or chunked), answers "SIZE SHA256\n"
  void serve_http11();
  // Its request log, one `CLIENT_IP:CLIENT_PORT "REQUEST LINE"` per request.
  std::vector<std::string> http11_requests() const;

  // hs2_client --host SERVER --port kHs2Port --backoff-ms 100 --timeout-ms 5000 ARGS... in the
  // client namespace; over HTTPS --host kHs2Host --connect-address SERVER --tls-ca daemon_ca().
  RunResult hs2_client(std::vector<std::string> args,
                       std::chrono::milliseconds timeout = std::chrono::seconds(30));
  std::unique_ptr<Process> start_hs2_client(std::vector<std::string> args);
  // HTTPS only: the same client trusting only `ca_file`.
  RunResult hs2_client_trusting(const std::string& ca_file, std::vector<std::string> args,
                                std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // The fake server's call log, one JSON object per call.
  std::vector<nlohmann::json> server_log() const;
  std::size_t server_log_count(const std::string& method) const;

  // enable NAME [--set K=V]...: must succeed; returns the answer (with journal_cursor).
  nlohmann::json enable(const std::string& name, const std::vector<std::string>& sets = {});
  // The journal (`calls --json [--since ID]`), oldest first.
  std::vector<nlohmann::json> journal(std::optional<int64_t> since = std::nullopt);
  // Journal entries whose thrift_method is `method`.
  std::vector<nlohmann::json> journal_calls(const std::string& method,
                                            std::optional<int64_t> since = std::nullopt);
  int64_t journal_next_id();  // the "cursor" of `calls --json`

  // python3 -c SCRIPT ARGS... in the client namespace.
  RunResult python_client(const std::string& script, std::vector<std::string> args,
                          std::chrono::milliseconds timeout = std::chrono::seconds(20));

  std::string daemon_log() const { return daemon->stderr_report(); }
  const std::filesystem::path& work_dir() const { return work_->path(); }
  const std::filesystem::path& scenario_dir() const { return scenario_dir_->path(); }

  std::optional<Process> hs2_server;
  std::optional<Process> http11;

 private:
  std::vector<std::string> hs2_client_argv(const std::string& ca_file,
                                           const std::vector<std::string>& args) const;

  Hs2Transport transport_ = Hs2Transport::kHttp;
  std::optional<TestPki> pki_;  // HTTPS only
  std::optional<TempDir> work_;
  std::optional<TempDir> scenario_dir_;
  std::filesystem::path server_log_path_;
};

// Entries one per line, for failure messages.
std::string dump(const std::vector<nlohmann::json>& entries);

// The session GUID of each journal entry: its own, or, for calls that carry only an operation
// handle (FetchResults, CloseOperation...), the session of the ExecuteStatement whose reply
// created that operation, as the journal itself recorded it.
std::vector<std::string> journal_sessions(const std::vector<nlohmann::json>& journal);

}  // namespace adbcfault::testing
