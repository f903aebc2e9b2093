#include "tls_test_support.h"

#include <openssl/pem.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tls/cert_builder.h"
#include "tls/pem_file.h"

namespace adbcfault::tls::testing {

TempDir::TempDir() {
  char pattern[] = "/tmp/adbcfault-tls-test-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void write_file(const std::filesystem::path& path, const std::string& content, mode_t mode) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + path.string());
  }
  ::chmod(path.c_str(), mode);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

mode_t file_mode(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return 0;
  return info.st_mode & 07777;
}

X509Ptr parse_certificate(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

std::string serial_hex(X509* cert) {
  BigNumPtr number(ASN1_INTEGER_to_BN(X509_get_serialNumber(cert), nullptr));
  char* hex = BN_bn2hex(number.get());
  std::string text = hex;
  OPENSSL_free(hex);
  return text;
}

int verify_leaf(X509* ca, X509* leaf, const std::string& name, bool is_ip, Strictness strictness) {
  X509StorePtr store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), ca);
  X509StoreCtxPtr context(X509_STORE_CTX_new());
  X509_STORE_CTX_init(context.get(), store.get(), leaf, nullptr);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(context.get());
  if (is_ip) {
    X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str());
  } else {
    X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size());
  }
  if (strictness == Strictness::kStrict)
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
  X509_STORE_CTX_set_purpose(context.get(), X509_PURPOSE_SSL_SERVER);
  if (X509_verify_cert(context.get()) == 1) return X509_V_OK;
  return X509_STORE_CTX_get_error(context.get());
}

KeyAndCertificate make_self_signed(bool is_ca, std::time_t not_before, std::time_t not_after) {
  std::string error;
  EvpPkeyPtr key = generate_p256_key(error);
  X509Ptr cert = key ? new_certificate(key.get(), not_before, not_after, error) : nullptr;
  if (!cert || !set_subject(cert.get(), is_ca ? "test CA" : "not a CA", error) ||
      X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1 ||
      !add_config_extension(cert.get(), NID_basic_constraints,
                            is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE", error) ||
      (is_ca && !add_config_extension(cert.get(), NID_key_usage, "critical,keyCertSign", error)) ||
      !add_subject_key_id(cert.get(), error) || !sign_certificate(cert.get(), key.get(), error)) {
    throw std::runtime_error("building a test certificate: " + error);
  }
  return {std::move(key), std::move(cert)};
}

void write_self_signed(const std::filesystem::path& dir, bool is_ca, std::time_t not_before,
                       std::time_t not_after) {
  KeyAndCertificate made = make_self_signed(is_ca, not_before, not_after);
  std::filesystem::create_directories(dir);
  write_file(dir / "ca.pem", certificate_to_pem(made.cert.get()), 0644);
  write_file(dir / "ca.key", private_key_to_pem(made.key.get()), 0600);
}

int run_command(const std::string& command, std::string& output) {
  output.clear();
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace adbcfault::tls::testing
