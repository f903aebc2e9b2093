#pragma once
// Owners for OpenSSL objects. Every object this layer creates or up-refs lives in one of these,
// so an early return on any error path frees it; raw pointers only ever borrow.

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace adbcfault::tls {

template <typename T, void (*Free)(T*)>
struct OpensslDeleter {
  void operator()(T* object) const { Free(object); }
};

template <typename T, void (*Free)(T*)>
using OpensslPtr = std::unique_ptr<T, OpensslDeleter<T, Free>>;

// BIO_free returns int, so it cannot be a Free parameter directly.
inline void free_bio(BIO* bio) { BIO_free(bio); }

using Asn1IntegerPtr = OpensslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;
using Asn1OctetStringPtr = OpensslPtr<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;
using Asn1TimePtr = OpensslPtr<ASN1_TIME, ASN1_TIME_free>;
using AuthorityKeyIdPtr = OpensslPtr<AUTHORITY_KEYID, AUTHORITY_KEYID_free>;
using BigNumPtr = OpensslPtr<BIGNUM, BN_free>;
using BioPtr = OpensslPtr<BIO, free_bio>;
using EvpPkeyPtr = OpensslPtr<EVP_PKEY, EVP_PKEY_free>;
using GeneralNamePtr = OpensslPtr<GENERAL_NAME, GENERAL_NAME_free>;
using GeneralNamesPtr = OpensslPtr<GENERAL_NAMES, GENERAL_NAMES_free>;
using X509ExtensionPtr = OpensslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using X509NamePtr = OpensslPtr<X509_NAME, X509_NAME_free>;
using X509Ptr = OpensslPtr<X509, X509_free>;
using X509StoreCtxPtr = OpensslPtr<X509_STORE_CTX, X509_STORE_CTX_free>;
using X509StorePtr = OpensslPtr<X509_STORE, X509_STORE_free>;

// A second owner of an object someone else owns (reference count + 1).
inline X509Ptr share(X509* cert) {
  X509_up_ref(cert);
  return X509Ptr(cert);
}
inline EvpPkeyPtr share(EVP_PKEY* key) {
  EVP_PKEY_up_ref(key);
  return EvpPkeyPtr(key);
}

}  // namespace adbcfault::tls
