#pragma once
// PEM text and the files it lives in. Writes go to a temporary file created with the final
// mode and are renamed into place, so a reader (or a crash) never sees a half-written file and
// a private key is never readable by others, not even for a moment.

#include <filesystem>
#include <string>

#include "tls/openssl_ptr.h"

namespace adbcfault::tls {

std::string certificate_to_pem(X509* cert);

// Unencrypted PKCS#8 PEM. The caller wipes the returned text with OPENSSL_cleanse after use.
std::string private_key_to_pem(EVP_PKEY* key);

// Whole file into `out`; on failure `error` is "<path>: cannot read: <reason>".
bool read_text_file(const std::filesystem::path& path, std::string& out, std::string& error);

// Creates `path` with exactly `mode` (umask does not apply) via a temporary file in the same
// directory, fsync and rename. On failure no temporary file is left behind.
bool write_file_atomically(const std::filesystem::path& path, const std::string& content,
                           unsigned mode, std::string& error);

}  // namespace adbcfault::tls
