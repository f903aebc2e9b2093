#pragma once
// A fresh self-signed CA for this machine, used when the state directory has none.

#include <string>

#include "tls/openssl_ptr.h"

namespace adbcfault::tls {

struct GeneratedCa {
  X509Ptr certificate;
  EvpPkeyPtr key;
};

// EC P-256 key; subject "CN=adbcfault test CA (<hostname>), O=adbcfault"; valid from an hour
// ago (clients with a slightly slow clock) for ten years; basicConstraints critical CA:TRUE
// pathlen:0 (it signs leaves only); keyUsage critical keyCertSign, cRLSign; key identifiers.
// On failure both members are null and `error` says why.
GeneratedCa generate_ca(std::string& error);

// "adbcfault test CA (<hostname>)", the hostname cut so the CN fits in 64 characters.
std::string ca_common_name();

}  // namespace adbcfault::tls
