#pragma once
// Real servers for the server namespace, and the content they serve.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "process.h"
#include "temp_dir.h"

namespace adbcfault::testing {

std::string sha256_file(const std::filesystem::path& path);  // lowercase hex

struct GeneratedFile {
  std::string name;
  std::size_t size = 0;
  std::string sha256;
};

// A directory holding big.bin (8 MiB of random bytes) and small.txt, with their digests.
class WebRoot {
 public:
  WebRoot();
  const std::filesystem::path& path() const { return dir_.path(); }
  const GeneratedFile& big() const { return big_; }
  const GeneratedFile& small() const { return small_; }

 private:
  TempDir dir_;
  GeneratedFile big_;
  GeneratedFile small_;
};

// "10.200.1.2:80", or "[::1]:80" for an IPv6 address: as URLs and `ss` write them.
std::string host_and_port(const std::string& address, uint16_t port);

// True once something listens on address:port inside `ns` (checked with `ss`, so the check
// itself opens no connection that a test could count).
bool wait_for_listen(const std::string& ns, const std::string& address, uint16_t port,
                     std::chrono::milliseconds timeout);

// `python3 -m http.server` bound to address:port in `ns`, serving `directory`. The constructor
// returns once it listens and throws (with the server's stderr) if it does not within 10 s.
class HttpServer {
 public:
  HttpServer(const std::string& ns, std::string address, uint16_t port,
             const std::filesystem::path& directory);

  std::string url(const std::string& path) const;  // "http://10.200.k.2:PORT/<path>" ([::1] too)
  // How many requests for `path` the server has logged (e.g. "GET /big.bin").
  int requests_logged(const std::string& method_and_path) const;
  Process& process() { return process_; }

 private:
  std::string address_;
  uint16_t port_;
  Process process_;
};

// tests/fixtures/tcp_server: one line of stdout per connection; see that file for the modes.
class TcpFixtureServer {
 public:
  TcpFixtureServer(const std::string& ns, const std::string& address, uint16_t port,
                   const std::string& mode, std::vector<std::string> extra_args = {});

  // Waits until the server has reported `count` finished connections; returns their lines.
  std::vector<std::string> wait_for_connections(std::size_t count,
                                                std::chrono::milliseconds timeout);
  Process& process() { return process_; }

 private:
  Process process_;
};

}  // namespace adbcfault::testing
