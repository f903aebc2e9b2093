#include "tls/cert_builder.h"

#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/rand.h>

#include <cstring>

#include "tls/openssl_error.h"

namespace adbcfault::tls {
namespace {

Asn1OctetStringPtr public_key_hash(X509* cert, std::string& error) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  Asn1OctetStringPtr hash(ASN1_OCTET_STRING_new());
  if (!hash || X509_pubkey_digest(cert, EVP_sha1(), digest, &length) != 1 ||
      ASN1_OCTET_STRING_set(hash.get(), digest, static_cast<int>(length)) != 1) {
    error = openssl_failure("hashing the public key");
    return nullptr;
  }
  return hash;
}

bool set_random_serial(X509* cert, std::string& error) {
  unsigned char bytes[16];
  BigNumPtr number;
  do {
    if (RAND_bytes(bytes, sizeof bytes) != 1) {
      error = openssl_failure("generating a serial number");
      return false;
    }
    number.reset(BN_bin2bn(bytes, sizeof bytes, nullptr));  // unsigned: always >= 0
  } while (number && BN_is_zero(number.get()));
  if (!number || BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(cert)) == nullptr) {
    error = openssl_failure("setting the serial number");
    return false;
  }
  return true;
}

}  // namespace

EvpPkeyPtr generate_p256_key(std::string& error) {
  EvpPkeyPtr key(EVP_EC_gen(SN_X9_62_prime256v1));
  if (!key) error = openssl_failure("generating an EC P-256 key");
  return key;
}

X509Ptr new_certificate(EVP_PKEY* public_key, std::time_t not_before, std::time_t not_after,
                        std::string& error) {
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      !set_random_serial(cert.get(), error)) {
    if (error.empty()) error = openssl_failure("allocating a certificate");
    return nullptr;
  }
  // ASN1_TIME_set picks UTCTime before 2050 and GeneralizedTime after, as RFC 5280 requires.
  if (ASN1_TIME_set(X509_getm_notBefore(cert.get()), not_before) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert.get()), not_after) == nullptr ||
      X509_set_pubkey(cert.get(), public_key) != 1) {
    error = openssl_failure("setting validity and public key");
    return nullptr;
  }
  return cert;
}

bool set_subject(X509* cert, const std::string& common_name, std::string& error) {
  X509_NAME* name = X509_get_subject_name(cert);
  auto text = [](const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); };
  static const std::string kOrganization = "adbcfault";
  if (X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8, text(common_name),
                                 static_cast<int>(common_name.size()), -1, 0) != 1 ||
      X509_NAME_add_entry_by_NID(name, NID_organizationName, MBSTRING_UTF8, text(kOrganization),
                                 static_cast<int>(kOrganization.size()), -1, 0) != 1) {
    error = openssl_failure("setting the subject name");
    return false;
  }
  return true;
}

bool add_config_extension(X509* cert, int nid, const char* value, std::string& error) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, nullptr, cert, nullptr, nullptr, 0);
  X509ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
  if (!extension || X509_add_ext(cert, extension.get(), -1) != 1) {
    error = openssl_failure(std::string("adding extension ") + OBJ_nid2sn(nid));
    return false;
  }
  return true;
}

bool add_subject_key_id(X509* cert, std::string& error) {
  Asn1OctetStringPtr hash = public_key_hash(cert, error);
  if (!hash) return false;
  if (X509_add1_ext_i2d(cert, NID_subject_key_identifier, hash.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    error = openssl_failure("adding subjectKeyIdentifier");
    return false;
  }
  return true;
}

bool add_authority_key_id(X509* cert, X509* issuer, std::string& error) {
  AuthorityKeyIdPtr key_id(AUTHORITY_KEYID_new());
  if (!key_id) {
    error = openssl_failure("allocating authorityKeyIdentifier");
    return false;
  }
  // A self-signed certificate under construction has no cached extensions to ask yet.
  const ASN1_OCTET_STRING* issuer_id = issuer == cert ? nullptr : X509_get0_subject_key_id(issuer);
  if (issuer_id != nullptr) {
    key_id->keyid = ASN1_OCTET_STRING_dup(issuer_id);
  } else {
    key_id->keyid = public_key_hash(issuer, error).release();
  }
  if (key_id->keyid == nullptr || X509_add1_ext_i2d(cert, NID_authority_key_identifier,
                                                    key_id.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    if (error.empty()) error = openssl_failure("adding authorityKeyIdentifier");
    return false;
  }
  return true;
}

bool sign_certificate(X509* cert, EVP_PKEY* issuer_key, std::string& error) {
  const EVP_MD* digest = EVP_sha256();
  // 2 means the key type dictates its digest: "UNDEF" for Ed25519 and Ed448, which hash
  // internally and take none; another name (SM2's SM3) is used as told.
  char mandatory[64] = {};
  if (EVP_PKEY_get_default_digest_name(issuer_key, mandatory, sizeof mandatory) == 2) {
    digest = std::strcmp(mandatory, "UNDEF") == 0 ? nullptr : EVP_get_digestbyname(mandatory);
  }
  if (X509_sign(cert, issuer_key, digest) <= 0) {
    error = openssl_failure("signing the certificate");
    return false;
  }
  return true;
}

std::optional<std::time_t> to_time_t(const ASN1_TIME* time) {
  std::tm parts{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &parts) != 1) return std::nullopt;
  return timegm(&parts);
}

std::string describe_time(const ASN1_TIME* time) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || ASN1_TIME_print(bio.get(), time) != 1) return "an unreadable time";
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

}  // namespace adbcfault::tls
