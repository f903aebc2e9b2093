#pragma once
// Mints the server certificates presented to intercepted clients: one per host name (the
// client's SNI) or IP address (the original destination, for clients that send no SNI),
// signed by our CA, with what strict clients check: SAN, serverAuth, key identifiers,
// validity inside the CA's and within the 398-day browser limit.

#include <chrono>
#include <memory>
#include <string>

#include "tls/ca_store.h"
#include "tls/openssl_ptr.h"

namespace adbcfault::tls {

struct Leaf {
  std::string name;  // canonical host name or IP text (see HostName::text)
  X509Ptr certificate;
  EvpPkeyPtr key;  // the minter's shared leaf key (an extra reference)
  std::chrono::system_clock::time_point minted_at;
  std::chrono::system_clock::time_point not_after;
};

class LeafMinter {
 public:
  struct Options {
    // Upper bound, capped at kMaxValidity; leaves never outlive the CA either.
    std::chrono::seconds validity = kMaxValidity;
  };
  static constexpr std::chrono::seconds kMaxValidity = std::chrono::days(397);

  // Generates the leaf key: one EC P-256 key serves every leaf, so minting costs one
  // signature. Shares (up-refs) the CA's certificate and key; `ca` need not outlive this.
  // Throws CaError if the key cannot be generated (start-up only).
  explicit LeafMinter(const CaStore& ca) : LeafMinter(ca, Options{}) {}
  LeafMinter(const CaStore& ca, Options options);

  // Thread-safe. Returns null and says why in `error` when `host_or_ip` is not a valid DNS
  // name or IP literal (see parse_host_name), the CA has expired, or OpenSSL fails.
  std::shared_ptr<const Leaf> mint(const std::string& host_or_ip, std::string& error) const;

  EVP_PKEY* leaf_key() const { return leaf_key_.get(); }

 private:
  X509Ptr ca_certificate_;
  EvpPkeyPtr ca_key_;
  EvpPkeyPtr leaf_key_;
  std::time_t ca_not_before_ = 0;
  std::time_t ca_not_after_ = 0;
  std::chrono::seconds validity_;
};

}  // namespace adbcfault::tls
