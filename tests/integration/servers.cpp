#include "servers.h"

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "binaries.h"
#include "wait.h"

namespace adbcfault::testing {
namespace {

GeneratedFile write_file(const std::filesystem::path& dir, std::string name,
                         const std::string& bytes) {
  std::ofstream(dir / name, std::ios::binary).write(bytes.data(), std::ssize(bytes));
  return {name, bytes.size(), sha256_file(dir / name)};
}

std::string random_bytes(std::size_t size) {
  std::mt19937_64 generator(std::random_device{}());
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; i += 8) {
    const uint64_t word = generator();
    for (std::size_t j = 0; j < 8 && i + j < size; ++j)
      bytes[i + j] = static_cast<char>(word >> (8 * j));
  }
  return bytes;
}

std::vector<std::string> nonempty_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

}  // namespace

std::string sha256_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("sha256_file: cannot open " + path.string());
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_DigestInit_ex(context, EVP_sha256(), nullptr);
  std::array<char, 65536> buffer;
  while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
    EVP_DigestUpdate(context, buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest;
  unsigned int length = 0;
  EVP_DigestFinal_ex(context, digest.data(), &length);
  EVP_MD_CTX_free(context);
  static const char* hex = "0123456789abcdef";
  std::string text;
  for (unsigned int i = 0; i < length; ++i) {
    text += hex[digest[i] >> 4];
    text += hex[digest[i] & 0xf];
  }
  return text;
}

WebRoot::WebRoot()
    : dir_("www"),
      big_(write_file(dir_.path(), "big.bin", random_bytes(8 << 20))),
      small_(write_file(dir_.path(), "small.txt", "adbcfault integration test\n")) {}

std::string host_and_port(const std::string& address, uint16_t port) {
  const bool ipv6 = address.find(':') != std::string::npos;
  return (ipv6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

bool wait_for_listen(const std::string& ns, const std::string& address, uint16_t port,
                     std::chrono::milliseconds timeout) {
  const std::string local = host_and_port(address, port);
  return wait_until(
      [&] {
        auto listening = run(ns, {"ss", "-Hltn", "src", local});
        return listening.ok() && listening.out.find(local) != std::string::npos;
      },
      timeout);
}

HttpServer::HttpServer(const std::string& ns, std::string address, uint16_t port,
                       const std::filesystem::path& directory)
    : address_(std::move(address)),
      port_(port),
      process_(ns, {"/usr/bin/python3", "-u", "-m", "http.server", "--bind", address_,
                    std::to_string(port_), "--directory", directory.string()}) {
  if (!wait_for_listen(ns, address_, port_, std::chrono::seconds(10))) {
    throw std::runtime_error("http.server on " + url("") +
                             " did not start: " + process_.stderr_text());
  }
}

std::string HttpServer::url(const std::string& path) const {
  return "http://" + host_and_port(address_, port_) + "/" + path;
}

int HttpServer::requests_logged(const std::string& method_and_path) const {
  int count = 0;
  for (const auto& line : nonempty_lines(process_.stderr_text())) {
    if (line.find("\"" + method_and_path + " ") != std::string::npos) ++count;
  }
  return count;
}

TcpFixtureServer::TcpFixtureServer(const std::string& ns, const std::string& address, uint16_t port,
                                   const std::string& mode, std::vector<std::string> extra_args)
    : process_(ns, [&] {
        std::vector<std::string> argv = {tcp_server_path(), "--listen",
                                         address + ":" + std::to_string(port), "--mode", mode};
        argv.insert(argv.end(), extra_args.begin(), extra_args.end());
        return argv;
      }()) {
  if (!wait_for_listen(ns, address, port, std::chrono::seconds(10))) {
    throw std::runtime_error("tcp_server " + mode + " did not start: " + process_.stderr_text());
  }
}

std::vector<std::string> TcpFixtureServer::wait_for_connections(std::size_t count,
                                                                std::chrono::milliseconds timeout) {
  std::vector<std::string> lines;
  wait_until(
      [&] {
        lines.clear();
        for (auto& line : nonempty_lines(process_.stdout_text())) {
          if (line.starts_with("conn ")) lines.push_back(line);
        }
        return lines.size() >= count;
      },
      timeout);
  return lines;
}

}  // namespace adbcfault::testing
