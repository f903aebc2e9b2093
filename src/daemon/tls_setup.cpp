#include "daemon/tls_setup.h"

#include <openssl/ssl.h>

#include <stdexcept>

#include "common/log.h"
#include "tls/client_hello.h"

namespace adbcfault::daemon {
namespace {

namespace ssl = boost::asio::ssl;

constexpr unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

// We speak HTTP/1.1 to both sides; a client that offered it gets it (the relay never
// intercepts a client that offers only other protocols).
int select_http11(SSL*, const unsigned char** out, unsigned char* out_length,
                  const unsigned char* offered, unsigned int offered_length, void*) {
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_length, kHttp11, sizeof kHttp11, offered,
                            offered_length) != OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

tls::InterceptPolicy policy_from(const std::optional<std::vector<std::string>>& entries) {
  if (!entries) return tls::default_intercept_policy();
  std::string error;
  auto policy = tls::parse_intercept_policy(*entries, error);
  if (!policy) throw std::runtime_error("--tls-intercept: " + error);
  return *policy;
}

void configure_server(ssl::context& context) {
  SSL_CTX* ctx = context.native_handle();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_alpn_select_cb(ctx, select_http11, nullptr);
  // Clients that resume sessions skip a signature per connection.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
  static const unsigned char kContext[] = "adbcfault";
  SSL_CTX_set_session_id_context(ctx, kContext, sizeof kContext - 1);
}

void configure_client(ssl::context& context, const std::optional<std::filesystem::path>& extra_ca) {
  SSL_CTX* ctx = context.native_handle();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_alpn_protos(ctx, kHttp11, sizeof kHttp11);
  context.set_verify_mode(ssl::verify_peer);
  boost::system::error_code ec;
  context.set_default_verify_paths(ec);
  if (ec) LOG_WARN("event=tls_system_store_unavailable error=\"" << ec.message() << "\"");
  if (extra_ca) {
    context.load_verify_file(extra_ca->string(), ec);
    if (ec) {
      throw std::runtime_error("--upstream-ca " + extra_ca->string() + ": " + ec.message() +
                               " (expected PEM certificates)");
    }
  }
}

relay::HelloPeek read_hello(std::span<const uint8_t> bytes) {
  tls::HelloResult result = tls::parse_client_hello(bytes);
  relay::HelloPeek peek;
  switch (result.status) {
    case tls::HelloStatus::kComplete: peek.status = relay::HelloPeek::Status::kComplete; break;
    case tls::HelloStatus::kNeedMore: peek.status = relay::HelloPeek::Status::kNeedMore; break;
    case tls::HelloStatus::kNotTls: peek.status = relay::HelloPeek::Status::kNotTls; break;
    case tls::HelloStatus::kMalformed: peek.status = relay::HelloPeek::Status::kMalformed; break;
  }
  peek.sni = result.hello.sni;
  peek.alpn = result.hello.alpn;
  peek.error = result.error;
  return peek;
}

}  // namespace

TlsSetup::TlsSetup(TlsOptions options)
    : options_(std::move(options)),
      ca_(tls::CaStore::load_or_create(options_.state_dir)),
      minter_(ca_),
      leaves_(minter_),
      policy_(policy_from(options_.intercept)),
      server_context_(ssl::context::tls_server),
      client_context_(ssl::context::tls_client) {
  for (const auto& warning : ca_.warnings()) LOG_WARN("event=ca_warning detail=\"" << warning << "\"");
  configure_server(server_context_);
  configure_client(client_context_, options_.upstream_ca);
  // A resumed upstream handshake skips the server's certificate chain, its verification and
  // the server's signature.
  tls::UpstreamSessions::install(client_context_.native_handle());

  hooks_.read_hello = read_hello;
  hooks_.should_intercept = [this](const std::optional<std::string>& sni, uint32_t server_ip) {
    std::vector<std::string> extra;
    if (options_.scenario_hosts) extra = options_.scenario_hosts();
    return tls::should_intercept(policy_, sni, server_ip, extra);
  };
  hooks_.server_context = &server_context_;
  hooks_.client_context = &client_context_;
  hooks_.install_leaf = [this](SSL* session, const std::string& name, std::string& error) {
    auto leaf = leaves_.get(name, error);
    if (!leaf) return false;
    if (SSL_use_certificate(session, leaf->certificate.get()) != 1 ||
        SSL_use_PrivateKey(session, leaf->key.get()) != 1) {
      error = "OpenSSL refused the leaf for " + name;
      return false;
    }
    return true;
  };
  hooks_.prepare_upstream = [this](SSL* session, const std::string& key) {
    upstream_sessions_.prepare(session, key);
  };
}

}  // namespace adbcfault::daemon
