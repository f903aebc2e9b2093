#pragma once
// The certificate authority that signs every leaf adbcfault presents. Its files live in the
// state directory: ca.pem (certificate, 0644, the file users trust) and ca.key (private key,
// 0600). The first start creates them; later starts reuse them, so a CA trusted once stays
// trusted; a user may put their own CA there instead (any key type OpenSSL reads, unencrypted).

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "tls/openssl_ptr.h"

namespace adbcfault::tls {

// Start-up failure. The message is one line naming the file and the problem, meant for the
// user as is; it never contains key material.
class CaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class CaStore {
 public:
  static constexpr const char* kCertificateFile = "ca.pem";
  static constexpr const char* kKeyFile = "ca.key";

  // Loads ca.pem and ca.key from `state_dir`, or creates both (and the directory) when neither
  // exists. Throws CaError when the directory cannot be created, a file is unreadable or not
  // PEM, only one of the two exists, the key is encrypted, does not match the certificate or
  // is readable by group or others, or the certificate is not a CA or not valid now.
  static CaStore load_or_create(const std::filesystem::path& state_dir);

  X509* certificate() const { return certificate_.get(); }
  EVP_PKEY* key() const { return key_.get(); }
  const std::string& certificate_pem() const { return certificate_pem_; }
  const std::filesystem::path& certificate_path() const { return certificate_path_; }
  bool created() const { return created_; }  // this start generated the CA
  // Usable but risky properties of a user-provided CA (missing extensions that strict
  // verifiers such as Python 3.13+ require, near expiry), one line each, for the start-up log.
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  CaStore(X509Ptr certificate, EvpPkeyPtr key, std::filesystem::path certificate_path,
          bool created);

  X509Ptr certificate_;
  EvpPkeyPtr key_;
  std::string certificate_pem_;
  std::filesystem::path certificate_path_;
  bool created_ = false;
  std::vector<std::string> warnings_;
};

}  // namespace adbcfault::tls
