#pragma once
// The steps shared by CA creation and leaf minting. Each returns false (or null) with the
// OpenSSL reason in `error`; none throws, so minting on the data path can use them.

#include <ctime>
#include <optional>
#include <string>

#include "tls/openssl_ptr.h"

namespace adbcfault::tls {

// EC P-256: every client we target accepts it, and signing is far cheaper than RSA.
EvpPkeyPtr generate_p256_key(std::string& error);

// A new version-3 certificate with a random positive 128-bit serial (RFC 5280 allows up to 20
// octets; randomness keeps serials unique without keeping state), validity and public key set.
X509Ptr new_certificate(EVP_PKEY* public_key, std::time_t not_before, std::time_t not_after,
                        std::string& error);

// Appends "CN=<common_name>, O=adbcfault"; `common_name` must be at most 64 characters.
bool set_subject(X509* cert, const std::string& common_name, std::string& error);

// An extension written in openssl.cnf syntax ("critical,CA:TRUE"), for the fixed-text ones.
bool add_config_extension(X509* cert, int nid, const char* value, std::string& error);

// subjectKeyIdentifier: SHA-1 of the public key bits (RFC 5280 section 4.2.1.2, method 1).
bool add_subject_key_id(X509* cert, std::string& error);

// authorityKeyIdentifier naming the issuer's key: its subjectKeyIdentifier, or the same hash
// of its public key when a user-provided CA has none.
bool add_authority_key_id(X509* cert, X509* issuer, std::string& error);

// Signs with SHA-256, or with the key type's own mandatory digest (Ed25519 and Ed448 take none).
bool sign_certificate(X509* cert, EVP_PKEY* issuer_key, std::string& error);

std::optional<std::time_t> to_time_t(const ASN1_TIME* time);
std::string describe_time(const ASN1_TIME* time);  // "Nov 21 03:41:00 2035 GMT"

}  // namespace adbcfault::tls
