#pragma once
// What the relay needs to intercept TLS, as values and functions the daemon fills: the
// ClientHello reader, the interception policy, our two SSL contexts, the leaf certificates and
// upstream session resumption.
// Null (no TlsHooks) means TLS bytes are always relayed untouched.

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace adbcfault::relay {

struct HelloPeek {
  enum class Status { kComplete, kNeedMore, kNotTls, kMalformed };
  Status status = Status::kNotTls;
  std::optional<std::string> sni;  // absent, or not a usable host name
  std::vector<std::string> alpn;
  std::string error;
};

struct TlsHooks {
  std::function<HelloPeek(std::span<const uint8_t> first_bytes)> read_hello;
  // Terminate TLS for this flow? From the SNI (if any) and the original destination.
  std::function<bool(const std::optional<std::string>& sni, uint32_t server_ip)> should_intercept;
  boost::asio::ssl::context* server_context = nullptr;  // towards clients: our leaves
  boost::asio::ssl::context* client_context = nullptr;  // towards servers: verified
  // Puts the leaf for `name` (the SNI, or the destination address) on a server session.
  std::function<bool(SSL* session, const std::string& name, std::string& error)> install_leaf;
  // Call on the upstream (client) session after its SNI and host name or IP check are set,
  // before its handshake: offers a cached session for `key` (destination "ip:port" + " " + SNI
  // or "-") and catches the sessions this handshake yields. Nothing to do on failure: a
  // handshake that offered a session and did not finish drops it when the SSL is freed.
  std::function<void(SSL* session, const std::string& key)> prepare_upstream;
};

}  // namespace adbcfault::relay
