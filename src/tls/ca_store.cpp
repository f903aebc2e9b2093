#include "tls/ca_store.h"

#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "tls/ca_generate.h"
#include "tls/cert_builder.h"
#include "tls/openssl_error.h"
#include "tls/pem_file.h"

namespace adbcfault::tls {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& message) {
  take_openssl_error();  // leave the queue empty for whoever handles the exception
  throw CaError(message);
}

std::string text(const fs::path& path) { return path.string(); }

void create_state_dir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) fail(text(dir) + ": cannot create the state directory: " + ec.message());
  if (!fs::is_directory(dir, ec)) fail(text(dir) + ": state directory is not a directory");
}

// Wipes key text on every path out of the scope that holds it.
struct CleansedString {
  std::string value;
  ~CleansedString() { OPENSSL_cleanse(value.data(), value.size()); }
};

void create_files(const fs::path& cert_path, const fs::path& key_path) {
  std::string error;
  GeneratedCa ca = generate_ca(error);
  if (!ca.certificate) fail(text(cert_path) + ": cannot generate a CA: " + error);
  CleansedString key_pem{private_key_to_pem(ca.key.get())};
  std::string cert_pem = certificate_to_pem(ca.certificate.get());
  if (key_pem.value.empty() || cert_pem.empty()) fail(text(key_path) + ": cannot encode the CA");
  // The key goes first: a crash between the two renames leaves a key without a certificate,
  // which the next start reports instead of silently pairing files from different CAs.
  if (!write_file_atomically(key_path, key_pem.value, 0600, error) ||
      !write_file_atomically(cert_path, cert_pem, 0644, error)) {
    fail(error);
  }
}

void check_key_mode(const fs::path& key_path) {
  struct stat info {};
  if (::stat(key_path.c_str(), &info) != 0) {
    fail(text(key_path) + ": cannot read: " + std::strerror(errno));
  }
  unsigned mode = info.st_mode & 07777;
  if ((mode & 077) != 0) {
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", mode);
    fail(text(key_path) + " is readable by others (mode " + octal + "); chmod 600 it");
  }
}

X509Ptr read_certificate(const fs::path& path) {
  std::string pem, error;
  if (!read_text_file(path, pem, error)) fail(error);
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert) fail(text(path) + ": not a PEM certificate");
  return cert;
}

// Refuses to prompt on the terminal for a passphrase; records that one was wanted.
int refuse_passphrase(char*, int, int, void* asked) {
  *static_cast<bool*>(asked) = true;
  return -1;
}

EvpPkeyPtr read_private_key(const fs::path& path) {
  CleansedString pem;
  std::string error;
  if (!read_text_file(path, pem.value, error)) fail(error);
  BioPtr bio(BIO_new_mem_buf(pem.value.data(), static_cast<int>(pem.value.size())));
  bool asked = false;
  EvpPkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, refuse_passphrase, &asked)
                     : nullptr);
  if (!key && asked) {
    fail(text(path) + ": private key is encrypted; adbcfault needs it unencrypted (mode 0600)");
  }
  if (!key) fail(text(path) + ": not a PEM private key");
  return key;
}

void check_certificate(X509* cert, EVP_PKEY* key, const fs::path& cert_path,
                       const fs::path& key_path) {
  if (X509_check_private_key(cert, key) != 1) {
    fail(text(key_path) + ": private key does not match the certificate in " + text(cert_path));
  }
  // 1: basicConstraints CA:TRUE (and keyCertSign if keyUsage is present). Other non-zero
  // answers are legacy forms (v1 roots, Netscape types) that strict clients refuse as issuers.
  if (X509_check_ca(cert) != 1) {
    fail(text(cert_path) +
         ": certificate is not a CA (it needs basicConstraints CA:TRUE and keyUsage keyCertSign)");
  }
  if (X509_cmp_current_time(X509_get0_notAfter(cert)) <= 0) {
    fail(text(cert_path) + ": certificate expired on " + describe_time(X509_get0_notAfter(cert)) +
         "; replace it, or delete ca.pem and ca.key to generate a new CA");
  }
  if (X509_cmp_current_time(X509_get0_notBefore(cert)) >= 0) {
    fail(text(cert_path) + ": certificate is not valid before " +
         describe_time(X509_get0_notBefore(cert)) + "; check the clock or replace it");
  }
}

std::vector<std::string> find_weaknesses(X509* cert, const fs::path& cert_path) {
  std::vector<std::string> warnings;
  std::string strict = " (clients that verify strictly, such as Python 3.13+, reject its leaves)";
  uint32_t flags = X509_get_extension_flags(cert);
  if ((flags & EXFLAG_KUSAGE) == 0) {
    warnings.push_back(text(cert_path) + ": CA has no keyUsage extension" + strict);
  }
  if ((flags & EXFLAG_BCONS_CRITICAL) == 0) {
    warnings.push_back(text(cert_path) + ": CA basicConstraints is not critical" + strict);
  }
  if (X509_get0_subject_key_id(cert) == nullptr) {
    warnings.push_back(text(cert_path) + ": CA has no subjectKeyIdentifier" + strict);
  }
  std::time_t in_30_days = std::time(nullptr) + 30 * 24 * 60 * 60;
  if (X509_cmp_time(X509_get0_notAfter(cert), &in_30_days) < 0) {
    warnings.push_back(text(cert_path) + ": CA expires on " +
                       describe_time(X509_get0_notAfter(cert)) + "; leaves expire with it");
  }
  return warnings;
}

}  // namespace

CaStore CaStore::load_or_create(const fs::path& state_dir) {
  create_state_dir(state_dir);
  fs::path cert_path = state_dir / kCertificateFile;
  fs::path key_path = state_dir / kKeyFile;
  std::error_code ec;
  bool have_cert = fs::exists(fs::symlink_status(cert_path, ec));
  bool have_key = fs::exists(fs::symlink_status(key_path, ec));
  bool created = false;
  if (!have_cert && !have_key) {
    create_files(cert_path, key_path);
    created = true;
  } else if (have_cert != have_key) {
    const fs::path& present = have_cert ? cert_path : key_path;
    const fs::path& missing = have_cert ? key_path : cert_path;
    fail(text(present) + " exists but " + text(missing) +
         " is missing; restore it, or delete both to generate a new CA");
  }
  // A CA just created goes through the same checks: what was written is what gets used.
  check_key_mode(key_path);
  X509Ptr cert = read_certificate(cert_path);
  EvpPkeyPtr key = read_private_key(key_path);
  check_certificate(cert.get(), key.get(), cert_path, key_path);
  CaStore store(std::move(cert), std::move(key), cert_path, created);
  store.warnings_ = find_weaknesses(store.certificate(), cert_path);
  return store;
}

CaStore::CaStore(X509Ptr certificate, EvpPkeyPtr key, fs::path certificate_path, bool created)
    : certificate_(std::move(certificate)),
      key_(std::move(key)),
      certificate_pem_(certificate_to_pem(certificate_.get())),
      certificate_path_(std::move(certificate_path)),
      created_(created) {}

}  // namespace adbcfault::tls
