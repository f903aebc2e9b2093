#include "tls/ca_generate.h"

#include <unistd.h>

#include <chrono>
#include <climits>

#include "tls/cert_builder.h"

namespace adbcfault::tls {
namespace {

constexpr size_t kMaxCommonName = 64;  // ub-common-name, RFC 5280
constexpr std::time_t kBackdate = 60 * 60;
constexpr std::time_t kLifetime = std::chrono::seconds(std::chrono::years(10)).count();

}  // namespace

std::string ca_common_name() {
  char host[HOST_NAME_MAX + 1] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "adbcfault test CA";
  std::string name = host;
  for (char& c : name) {
    bool printable = c > ' ' && c < 0x7f;
    if (!printable) c = '?';  // keeps the CN valid UTF-8 whatever the hostname holds
  }
  const std::string prefix = "adbcfault test CA (";
  name = name.substr(0, kMaxCommonName - prefix.size() - 1);
  return prefix + name + ")";
}

GeneratedCa generate_ca(std::string& error) {
  GeneratedCa ca;
  EvpPkeyPtr key = generate_p256_key(error);
  if (!key) return ca;
  std::time_t now = std::time(nullptr);
  X509Ptr cert = new_certificate(key.get(), now - kBackdate, now + kLifetime, error);
  if (!cert || !set_subject(cert.get(), ca_common_name(), error) ||
      X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1 ||
      !add_config_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0",
                            error) ||
      !add_config_extension(cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign", error) ||
      !add_subject_key_id(cert.get(), error) ||
      !add_authority_key_id(cert.get(), cert.get(), error) ||
      !sign_certificate(cert.get(), key.get(), error)) {
    if (error.empty()) error = "building the CA certificate failed";
    return ca;
  }
  ca.certificate = std::move(cert);
  ca.key = std::move(key);
  return ca;
}

}  // namespace adbcfault::tls
