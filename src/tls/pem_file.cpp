#include "tls/pem_file.h"

#include <fcntl.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace adbcfault::tls {
namespace {

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  return length > 0 ? std::string(data, static_cast<size_t>(length)) : std::string();
}

// Closes the descriptor and, unless kept (or nameless), removes the file.
class OpenFile {
 public:
  OpenFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~OpenFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  int fd() const { return fd_; }
  bool close() {
    int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }
  void keep() { path_.clear(); }

 private:
  int fd_;
  std::string path_;
};

bool write_all(int fd, const std::string& content) {
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::string certificate_to_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return {};
  return bio_text(bio.get());
}

std::string private_key_to_pem(EVP_PKEY* key) {
  // BIO_s_secmem wipes its buffer when freed; the copy handed out is the caller's to wipe.
  BioPtr bio(BIO_new(BIO_s_secmem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return {};
  }
  return bio_text(bio.get());
}

bool read_text_file(const std::filesystem::path& path, std::string& out, std::string& error) {
  auto fail = [&](const char* reason) {
    error = path.string() + ": cannot read: " + reason;
    return false;
  };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(std::strerror(errno));
  OpenFile file(fd, "");  // only for closing
  struct stat info {};
  if (::fstat(fd, &info) != 0) return fail(std::strerror(errno));
  if (S_ISDIR(info.st_mode)) return fail("it is a directory");
  if (!S_ISREG(info.st_mode)) return fail("not a regular file");
  // A CA certificate or key is a few KiB; a huge file is a mistake, not something to slurp.
  constexpr off_t kMaxSize = 1 << 20;
  if (info.st_size > kMaxSize) return fail("larger than 1 MiB");
  std::string content(static_cast<size_t>(info.st_size), '\0');
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::read(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(std::strerror(errno));
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  content.resize(done);
  out = std::move(content);
  return true;
}

bool write_file_atomically(const std::filesystem::path& path, const std::string& content,
                           unsigned mode, std::string& error) {
  std::string temp_path = path.string() + ".tmp-XXXXXX";
  int fd = ::mkostemp(temp_path.data(), O_CLOEXEC);  // created 0600 whatever the umask
  if (fd < 0) {
    error = path.string() + ": cannot create: " + std::strerror(errno);
    return false;
  }
  OpenFile temp(fd, temp_path);
  if (::fchmod(temp.fd(), mode) != 0 || !write_all(temp.fd(), content) || ::fsync(temp.fd()) != 0 ||
      !temp.close() || ::rename(temp_path.c_str(), path.c_str()) != 0) {
    error = path.string() + ": cannot write: " + std::strerror(errno);
    return false;
  }
  temp.keep();
  // The rename is durable only once the directory entry is.
  int dir = ::open(path.parent_path().empty() ? "." : path.parent_path().c_str(),
                   O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

}  // namespace adbcfault::tls
