#include "tls_fixture.h"

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "binaries.h"
#include "scenario_fixture.h"
#include "wait.h"

namespace adbcfault::testing {
namespace {

void must(const RunResult& result) {
  if (!result.ok()) throw std::runtime_error("TLS fixture: " + result.describe());
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  return text;
}

std::string hex_of(const unsigned char* bytes, unsigned int length) {
  static const char* hex = "0123456789abcdef";
  std::string text;
  for (unsigned int i = 0; i < length; ++i) {
    text += hex[bytes[i] >> 4];
    text += hex[bytes[i] & 0xf];
  }
  return text;
}

}  // namespace

std::string https_server_script() { return std::string(ADBCF_TLS_FIXTURES_DIR) + "/https_server.py"; }
std::string tls_probe_script() { return std::string(ADBCF_TLS_FIXTURES_DIR) + "/tls_probe.py"; }

std::string pattern_sha256(uint64_t size) {
  constexpr std::size_t kChunk = 65536;
  std::array<unsigned char, kChunk> block;
  for (uint64_t j = 0; j < kChunk; ++j)
    block[j] = static_cast<unsigned char>(j * 131 + (j >> 8) * 7 + (j >> 16));
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_DigestInit_ex(context, EVP_sha256(), nullptr);
  uint64_t index = 0;
  for (uint64_t sent = 0; sent < size; ++index) {
    for (int i = 0; i < 8; ++i) block[i] = static_cast<unsigned char>(index >> (8 * (7 - i)));
    const uint64_t length = std::min<uint64_t>(kChunk, size - sent);
    EVP_DigestUpdate(context, block.data(), length);
    sent += length;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest;
  unsigned int length = 0;
  EVP_DigestFinal_ex(context, digest.data(), &length);
  EVP_MD_CTX_free(context);
  return hex_of(digest.data(), length);
}

TestPki::TestPki(const std::vector<std::string>& dns_names, const std::string& ip) : dir_("pki") {
  if (dns_names.empty()) throw std::invalid_argument("TestPki: no names");
  const std::string d = dir_.path().string() + "/";
  must(run_command({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", d + "srvca.key", "-out",
                    d + "srvca.pem", "-days", "30", "-subj", "/CN=adbcf it server CA/O=adbcf tests",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign"}));
  must(run_command({"openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", d + "srv.key", "-out",
                    d + "srv.csr", "-subj", "/CN=" + dns_names.front()}));
  std::string san = "subjectAltName=";
  for (const auto& name : dns_names) san += "DNS:" + name + ",";
  san += "IP:" + ip;
  std::ofstream(dir_ / "ext.cnf") << "basicConstraints=critical,CA:FALSE\n"
                                     "keyUsage=critical,digitalSignature\n"
                                     "extendedKeyUsage=serverAuth\n"
                                     "subjectKeyIdentifier=hash\n"
                                     "authorityKeyIdentifier=keyid\n"
                                  << san << "\n";
  must(run_command({"openssl", "x509", "-req", "-in", d + "srv.csr", "-CA", d + "srvca.pem",
                    "-CAkey", d + "srvca.key", "-CAcreateserial", "-days", "30", "-extfile",
                    d + "ext.cnf", "-out", d + "srv.pem"}));
}

HttpsFixtureServer::HttpsFixtureServer(const std::string& ns, const std::string& address,
                                       uint16_t port, const TestPki& pki,
                                       const std::filesystem::path& directory)
    : process_(ns, {"/usr/bin/python3", "-u", https_server_script(), "--bind", address, "--port",
                    std::to_string(port), "--cert", pki.server_pem().string(), "--key",
                    pki.server_key().string(), "--directory", directory.string()}) {
  if (!wait_for_listen(ns, address, port, std::chrono::seconds(10))) {
    throw std::runtime_error("https_server.py on " + address + ":" + std::to_string(port) +
                             " did not start: " + process_.stderr_text());
  }
}

int HttpsFixtureServer::requests_logged(const std::string& method_and_target) const {
  int count = 0;
  std::istringstream lines(process_.stderr_text());
  for (std::string line; std::getline(lines, line);) {
    if (line.find("\"" + method_and_target) != std::string::npos) ++count;
  }
  return count;
}

bool HttpsTransfer::was_reset() const { return curl_saw_reset(run.exit_code, run.err); }

std::string HttpsTransfer::describe() const {
  return run.describe() + "\nelapsed " + std::to_string(elapsed.count()) + " ms, http_code " +
         std::to_string(http_code) + ", body_bytes " + std::to_string(body_bytes) +
         "\nbody (first 300 bytes): " + body().substr(0, 300);
}

void TlsTest::SetUp() {
  NetnsTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;
  pki.emplace(std::vector<std::string>{kFilesHost, kOtherHost, kAzureHost, kS3Host, kGcsHost,
                                       kFilesWildcard},
              server_address());
  web.emplace();
  https_server.emplace(net->server_ns(), server_address(), kHttpsPort, *pki, web->path());
}

::testing::AssertionResult TlsTest::start_daemon(const std::vector<std::string>& extra,
                                                 bool trust_server_ca) {
  std::vector<std::string> args = {"--scenarios", repo_scenarios_dir()};
  if (trust_server_ca) {
    args.push_back("--upstream-ca");
    args.push_back(server_ca());
  }
  args.insert(args.end(), extra.begin(), extra.end());
  return daemon->start_and_wait_ready({"tcp/" + std::to_string(kHttpsPort)}, args);
}

namespace {

std::vector<std::string> curl_argv(const HttpsGet& get, const std::string& server,
                                   const std::filesystem::path& file) {
  std::vector<std::string> argv = {"curl", "--noproxy", "*", "-sS", "-v", "--max-time",
                                   std::to_string(get.max_time.count()), "-o", file.string(),
                                   "-w", "%{http_code} %{size_download}"};
  const std::string port = std::to_string(get.port);
  if (get.host != server) {
    argv.push_back("--resolve");
    argv.push_back(get.host + ":" + port + ":" + server);
  }
  if (!get.cacert.empty()) {
    argv.push_back("--cacert");
    argv.push_back(get.cacert);
  }
  argv.insert(argv.end(), get.extra.begin(), get.extra.end());
  argv.push_back("https://" + get.host + (get.port == 443 ? "" : ":" + port) + get.path);
  return argv;
}

void parse_write_out(HttpsTransfer& transfer) {
  std::istringstream(transfer.run.out) >> transfer.http_code >> transfer.body_bytes;
}

}  // namespace

HttpsTransfer TlsTest::https(const HttpsGet& get) {
  HttpsTransfer transfer;
  transfer.file = *downloads / ("https-" + std::to_string(++transfer_count_));
  const auto started = std::chrono::steady_clock::now();
  transfer.run = run(net->client_ns(), curl_argv(get, server_address(), transfer.file),
                     get.max_time + std::chrono::seconds(15));
  transfer.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  parse_write_out(transfer);
  return transfer;
}

std::unique_ptr<Process> TlsTest::start_https(const HttpsGet& get, std::filesystem::path* file) {
  const auto out = *downloads / ("https-" + std::to_string(++transfer_count_));
  if (file != nullptr) *file = out;
  return std::make_unique<Process>(net->client_ns(), curl_argv(get, server_address(), out));
}

HttpsTransfer TlsTest::finish_https(Process& curl, const std::filesystem::path& file) {
  HttpsTransfer transfer;
  transfer.file = file;
  transfer.run.argv = curl.argv();
  transfer.run.exit_code = curl.exit_code().value_or(-1);
  transfer.run.timed_out = !curl.exit_code().has_value();
  transfer.run.out = curl.stdout_text();
  transfer.run.err = curl.stderr_text();
  parse_write_out(transfer);
  return transfer;
}

std::string TlsTest::presented_certificate(const std::optional<std::string>& sni) {
  std::vector<std::string> argv = {"openssl", "s_client", "-connect",
                                   server_address() + ":" + std::to_string(kHttpsPort),
                                   "-showcerts"};
  if (sni) {
    argv.push_back("-servername");
    argv.push_back(*sni);
  } else {
    argv.push_back("-noservername");
  }
  auto result = run(net->client_ns(), argv, std::chrono::seconds(20));
  const std::string begin = "-----BEGIN CERTIFICATE-----";
  const std::string end = "-----END CERTIFICATE-----";
  const auto from = result.out.find(begin);
  const auto to = result.out.find(end, from == std::string::npos ? 0 : from);
  if (from == std::string::npos || to == std::string::npos) {
    ADD_FAILURE() << "s_client showed no certificate: " << result.describe();
    return "";
  }
  return result.out.substr(from, to + end.size() - from) + "\n";
}

std::string TlsTest::x509_text(const std::string& pem, const std::vector<std::string>& args) {
  const auto file = *downloads / ("cert-" + std::to_string(++transfer_count_) + ".pem");
  std::ofstream(file) << pem;
  std::vector<std::string> argv = {"openssl", "x509", "-noout", "-in", file.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = run_command(argv);
  EXPECT_TRUE(result.ok()) << result.describe();
  return trimmed(result.out);
}

nlohmann::json TlsTest::probe(const std::string& mode, std::vector<std::string> args,
                              std::chrono::seconds timeout) {
  std::vector<std::string> argv = {"/usr/bin/python3", tls_probe_script(), mode, "--connect",
                                   server_address() + ":" + std::to_string(kHttpsPort)};
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = run(net->client_ns(), argv, timeout);
  EXPECT_TRUE(result.ok()) << result.describe();
  try {
    return nlohmann::json::parse(result.out);
  } catch (const nlohmann::json::exception& error) {
    ADD_FAILURE() << "tls_probe output is not JSON (" << error.what() << "): " << result.describe();
    return nlohmann::json::object();
  }
}

int64_t TlsTest::counter(const std::string& name) {
  return daemon->status_json().at("counters").at(name).get<int64_t>();
}

nlohmann::json TlsTest::calls() {
  auto result = cli_json({"calls"});
  if (!result.is_object() || !result.contains("calls")) return nlohmann::json::array();
  return result["calls"];
}

nlohmann::json TlsTest::wait_for_call(const std::function<bool(const nlohmann::json&)>& match,
                                      std::chrono::milliseconds timeout) {
  nlohmann::json found;
  wait_until(
      [&] {
        for (const auto& call : calls()) {
          if (match(call)) {
            found = call;
            return true;
          }
        }
        return false;
      },
      timeout, std::chrono::milliseconds(100));
  return found;
}

::testing::AssertionResult TlsTest::wait_for_counter(const std::string& name, int64_t value,
                                                     std::chrono::milliseconds timeout) {
  int64_t seen = -1;
  if (wait_until(
          [&] {
            seen = counter(name);
            return seen >= value;
          },
          timeout, std::chrono::milliseconds(50))) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "counters." << name << " is " << seen << " after "
                                       << timeout.count() << " ms, want >= " << value;
}

void TlsTest::expect_good_download(const std::string& host, const std::string& why) {
  auto good = https({.host = host, .path = "/big.bin", .cacert = our_ca()});
  EXPECT_EQ(good.run.exit_code, 0) << why << "\n" << good.describe();
  EXPECT_EQ(good.http_code, 200) << why << "\n" << good.describe();
  if (good.run.ok()) {
    EXPECT_EQ(sha256_file(good.file), web->big().sha256) << why;
  }
}

std::string where_found(const std::string& haystack, const std::string& needle) {
  const auto at = haystack.find(needle);
  if (at == std::string::npos) return "";
  const auto from = at < 200 ? 0 : at - 200;
  return "... " + haystack.substr(from, needle.size() + 400) + " ...";
}

}  // namespace adbcfault::testing
