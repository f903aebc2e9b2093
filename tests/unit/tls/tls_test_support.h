#pragma once
// Helpers shared by the tls unit tests: scratch directories, file I/O, and verifying a leaf
// the way a strict TLS client does.

#include <sys/types.h>

#include <ctime>
#include <filesystem>
#include <string>

#include "tls/openssl_ptr.h"

namespace adbcfault::tls::testing {

// A fresh directory under /tmp, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

void write_file(const std::filesystem::path& path, const std::string& content, mode_t mode);
std::string read_file(const std::filesystem::path& path);
mode_t file_mode(const std::filesystem::path& path);  // permission bits only

X509Ptr parse_certificate(const std::string& pem);
std::string serial_hex(X509* cert);

// Verifies `leaf` as a TLS server certificate for `name` (a host name, or an IP address when
// `is_ip`) against a store holding only `ca`, by default with X509_V_FLAG_X509_STRICT (as
// Python 3.13+ does). Returns the X509_V_* result (X509_V_OK on success).
enum class Strictness { kStrict, kDefault };
int verify_leaf(X509* ca, X509* leaf, const std::string& name, bool is_ip = false,
                Strictness strictness = Strictness::kStrict);

// A CA (or, with is_ca false, an end-entity certificate) signed by its own fresh P-256 key,
// with a chosen validity window. Throws when OpenSSL refuses a step.
struct KeyAndCertificate {
  EvpPkeyPtr key;
  X509Ptr cert;
};
KeyAndCertificate make_self_signed(bool is_ca, std::time_t not_before, std::time_t not_after);

// The same, written as ca.pem / ca.key (0600) into `dir`.
void write_self_signed(const std::filesystem::path& dir, bool is_ca, std::time_t not_before,
                       std::time_t not_after);

// Runs a shell command, returns its exit status, and puts stdout and stderr in `output`.
int run_command(const std::string& command, std::string& output);

}  // namespace adbcfault::tls::testing
