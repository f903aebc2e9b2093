#include "tls/leaf_minter.h"

#include <algorithm>

#include "tls/cert_builder.h"
#include "tls/host_name.h"
#include "tls/openssl_error.h"

namespace adbcfault::tls {
namespace {

constexpr size_t kMaxCommonName = 64;       // ub-common-name; the SAN carries the full name
constexpr std::time_t kBackdate = 60 * 60;  // tolerate clients whose clock is a little slow

bool add_subject_alt_name(X509* cert, const HostName& host, std::string& error) {
  GeneralNamesPtr names(GENERAL_NAMES_new());
  GeneralNamePtr name(GENERAL_NAME_new());
  // Built from the parsed value rather than an "DNS:..." config string, so no character of a
  // network-supplied name can be read as syntax.
  bool ok = names && name;
  if (ok && host.kind == HostName::Kind::kDns) {
    ASN1_IA5STRING* dns = ASN1_IA5STRING_new();
    ok = dns != nullptr &&
         ASN1_STRING_set(dns, host.text.data(), static_cast<int>(host.text.size())) == 1;
    if (dns != nullptr) GENERAL_NAME_set0_value(name.get(), GEN_DNS, dns);
  } else if (ok) {
    ASN1_OCTET_STRING* ip = ASN1_OCTET_STRING_new();
    ok = ip != nullptr &&
         ASN1_OCTET_STRING_set(ip, host.address.data(), static_cast<int>(host.address.size())) == 1;
    if (ip != nullptr) GENERAL_NAME_set0_value(name.get(), GEN_IPADD, ip);
  }
  ok = ok && sk_GENERAL_NAME_push(names.get(), name.get()) > 0;
  if (ok) name.release();  // now owned by `names`
  if (!ok ||
      X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    error = openssl_failure("adding subjectAltName");
    return false;
  }
  return true;
}

const char* key_usage_for(EVP_PKEY* key) {
  // RSA key exchange (TLS 1.2 RSA suites) encrypts to the certificate key; EC keys only sign.
  return EVP_PKEY_is_a(key, "RSA") ? "critical,digitalSignature,keyEncipherment"
                                   : "critical,digitalSignature";
}

}  // namespace

LeafMinter::LeafMinter(const CaStore& ca, Options options)
    : ca_certificate_(share(ca.certificate())),
      ca_key_(share(ca.key())),
      validity_(std::min(options.validity, kMaxValidity)) {
  std::string error;
  leaf_key_ = generate_p256_key(error);
  if (!leaf_key_) throw CaError("cannot generate the leaf key: " + error);
  ca_not_before_ = to_time_t(X509_get0_notBefore(ca_certificate_.get())).value_or(0);
  ca_not_after_ = to_time_t(X509_get0_notAfter(ca_certificate_.get())).value_or(0);
}

std::shared_ptr<const Leaf> LeafMinter::mint(const std::string& host_or_ip,
                                             std::string& error) const {
  error.clear();
  std::optional<HostName> host = parse_host_name(host_or_ip, error);
  if (!host) return nullptr;

  auto now_point = std::chrono::system_clock::now();
  std::time_t now = std::chrono::system_clock::to_time_t(now_point);
  std::time_t not_before = std::max(now - kBackdate, ca_not_before_);
  std::time_t not_after =
      std::min(now + static_cast<std::time_t>(validity_.count()), ca_not_after_);
  if (not_after <= now) {
    error = "the CA certificate has expired; replace it and restart";
    return nullptr;
  }

  X509Ptr cert = new_certificate(leaf_key_.get(), not_before, not_after, error);
  if (!cert || !set_subject(cert.get(), host->text.substr(0, kMaxCommonName), error) ||
      X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_certificate_.get())) != 1 ||
      !add_config_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE", error) ||
      !add_config_extension(cert.get(), NID_key_usage, key_usage_for(leaf_key_.get()), error) ||
      !add_config_extension(cert.get(), NID_ext_key_usage, "serverAuth", error) ||
      !add_subject_alt_name(cert.get(), *host, error) || !add_subject_key_id(cert.get(), error) ||
      !add_authority_key_id(cert.get(), ca_certificate_.get(), error) ||
      !sign_certificate(cert.get(), ca_key_.get(), error)) {
    if (error.empty()) error = openssl_failure("building the leaf certificate");
    return nullptr;
  }
  auto leaf = std::make_shared<Leaf>();
  leaf->name = std::move(host->text);
  leaf->certificate = std::move(cert);
  leaf->key = share(leaf_key_.get());
  leaf->minted_at = now_point;
  leaf->not_after = std::chrono::system_clock::from_time_t(not_after);
  return leaf;
}

}  // namespace adbcfault::tls
