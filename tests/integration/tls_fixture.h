#pragma once
// The fixture of the TLS tests (tls_interception_test.cpp, cloudfetch_test.cpp): an HTTPS server
// with its own CA in the server namespace (tests/fixtures/tls/https_server.py, port 443), and
// adbcfaultd in the client namespace intercepting tcp/443, judged by what real TLS clients
// (curl, openssl s_client, tests/fixtures/tls/tls_probe.py) trusting only the CA they are given
// see. Names resolve with curl --resolve / s_client -servername: no DNS.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "integration_env.h"

namespace adbcfault::testing {

// tests/fixtures/tls/{https_server.py,tls_probe.py}, by absolute source path (set by CMake).
std::string https_server_script();
std::string tls_probe_script();

// The sha256 of GET /pattern/N as https_server.py generates it (see that file).
std::string pattern_sha256(uint64_t size);

// A test PKI made with the openssl tool: a server CA that no trust store holds, and one server
// certificate (EC P-256, TLS 1.2 and 1.3) signed by it for every name in `dns_names` plus `ip`.
class TestPki {
 public:
  TestPki(const std::vector<std::string>& dns_names, const std::string& ip);  // throws
  std::filesystem::path ca_pem() const { return dir_ / "srvca.pem"; }
  std::filesystem::path server_pem() const { return dir_ / "srv.pem"; }
  std::filesystem::path server_key() const { return dir_ / "srv.key"; }

 private:
  TempDir dir_;
};

// https_server.py on address:port in `ns`. The constructor returns once it listens and throws
// (with its stderr) if it does not within 10 s.
class HttpsFixtureServer {
 public:
  HttpsFixtureServer(const std::string& ns, const std::string& address, uint16_t port,
                     const TestPki& pki, const std::filesystem::path& directory);
  // Requests logged whose request line starts with `method_and_target` ("GET /big.bin?X=1",
  // or "GET /big.bin" for that path with any query).
  int requests_logged(const std::string& method_and_target) const;
  std::string log() const { return process_.stderr_text(); }
  Process& process() { return process_; }

 private:
  Process process_;
};

// One curl transfer over HTTPS: what curl printed with -w, the body it wrote, its -v output.
struct HttpsTransfer {
  RunResult run;
  std::chrono::milliseconds elapsed{0};
  int http_code = -1;        // %{http_code}: 0 when no response came
  int64_t body_bytes = -1;   // %{size_download}
  std::filesystem::path file;

  std::string body() const { return read_file(file); }
  bool was_reset() const;  // curl_saw_reset(): exit 7/55/56 with "Connection reset by peer"
  std::string describe() const;
};

struct HttpsGet {
  std::string host;              // URL host and SNI; an IP literal sends no SNI
  std::string path = "/";        // with its query string, if any
  std::string cacert;            // --cacert; "" = curl's default (the system store)
  std::chrono::seconds max_time{20};
  std::vector<std::string> extra;  // more curl arguments
  uint16_t port = 443;
};

// Names on the test server's certificate, all resolved to the server's address by the clients.
inline constexpr char kFilesHost[] = "files.test";     // the tests' --tls-intercept *.test
inline constexpr char kOtherHost[] = "other.example";  // matched by no policy
inline constexpr char kAzureHost[] = "acct.blob.core.windows.net";  // the default policy
inline constexpr char kS3Host[] = "bucket.s3.amazonaws.com";        // the default policy
inline constexpr char kGcsHost[] = "storage.googleapis.com";        // the default policy
// The server's certificate also covers *.files.test: any number of distinct SNIs.
inline constexpr char kFilesWildcard[] = "*.files.test";

class TlsTest : public NetnsTest {
 protected:
  static constexpr uint16_t kHttpsPort = 443;

  // Gate, namespaces, PKI, web root (big.bin, small.txt), the HTTPS server on
  // server_address():443. The daemon is not started.
  void SetUp() override;

  // --intercept tcp/443 --scenarios <repo>/scenarios [--upstream-ca srvca.pem] EXTRA...
  ::testing::AssertionResult start_daemon(const std::vector<std::string>& extra = {},
                                          bool trust_server_ca = true);
  std::string our_ca() const { return daemon->state_dir() + "/ca.pem"; }
  std::string server_ca() const { return pki->ca_pem().string(); }

  // curl -v --resolve HOST:443:SERVER -o FILE -w '%{http_code} %{size_download}' https://HOST/PATH
  HttpsTransfer https(const HttpsGet& get);
  // The same curl started in the background; its -w output goes to its stdout.
  std::unique_ptr<Process> start_https(const HttpsGet& get, std::filesystem::path* file);
  // Parses what a background curl printed.
  HttpsTransfer finish_https(Process& curl, const std::filesystem::path& file);

  // openssl s_client -connect SERVER:443 (-servername SNI | -noservername) -showcerts: the
  // certificate the client was shown (PEM), or "" with the failure added to the test.
  std::string presented_certificate(const std::optional<std::string>& sni);
  // openssl x509 -noout ARGS... on `pem` (e.g. {"-issuer"}, {"-ext", "subjectAltName"}).
  std::string x509_text(const std::string& pem, const std::vector<std::string>& args);
  std::string issuer_of(const std::string& pem) { return x509_text(pem, {"-issuer"}); }

  // python3 tls_probe.py MODE --connect SERVER:443 ARGS... in the client namespace: its JSON.
  nlohmann::json probe(const std::string& mode, std::vector<std::string> args,
                       std::chrono::seconds timeout = std::chrono::seconds(30));

  int64_t counter(const std::string& name);  // status .counters.NAME
  nlohmann::json calls();                     // the journal (the "calls" array)
  // Waits (bounded) for a journal entry that satisfies `match`; null if none came.
  nlohmann::json wait_for_call(const std::function<bool(const nlohmann::json&)>& match,
                               std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Waits (bounded) until status .counters.NAME >= value; false (with the value seen) if not.
  ::testing::AssertionResult wait_for_counter(const std::string& name, int64_t value,
                                              std::chrono::milliseconds timeout =
                                                  std::chrono::seconds(10));

  // A good intercepted download of big.bin from `host` (trusting our CA): byte-identical.
  void expect_good_download(const std::string& host, const std::string& why);

  std::optional<TestPki> pki;
  std::optional<HttpsFixtureServer> https_server;

 private:
  int transfer_count_ = 0;
};

// Text that mentions `needle` anywhere (for "never logged" checks): where, for the message.
std::string where_found(const std::string& haystack, const std::string& needle);

}  // namespace adbcfault::testing
