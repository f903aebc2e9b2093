// The TLS part of a Flow: read the ClientHello without consuming it, decide by the interception
// policy, and either relay the TLS bytes untouched or terminate TLS with a leaf from our CA,
// originate a verified TLS session to the original destination, and run the HTTP exchange
// between the two sessions.

#include <openssl/x509v3.h>

#include <vector>

#include "common/log.h"
#include "http/response_writer.h"
#include "relay/flow.h"
#include "relay/socket_ops.h"
#include "relay/tls_byte_stream.h"

namespace adbcfault::relay {
namespace {

using boost::asio::ip::tcp;

constexpr size_t kMaxHello = 64 * 1024 + 5;
// Waiting for the rest of a ClientHello split across segments: peeked bytes stay readable, so
// we poll with a short backoff instead of waiting for readability. Bounded in total.
constexpr int kMaxHelloPolls = 40;
// A server that accepts TCP and never answers TLS must not hold the flow forever.
constexpr auto kUpstreamHandshakeTimeout = std::chrono::seconds(10);

// Only a handshake the client ended with a certificate alert is about trusting our CA.
bool looks_like_untrusted_ca(const boost::system::error_code& ec) {
  const std::string text = ec.message();
  return text.find("unknown ca") != std::string::npos ||
         text.find("certificate unknown") != std::string::npos ||
         text.find("bad certificate") != std::string::npos;
}

std::chrono::milliseconds poll_delay(int attempt) {
  return std::chrono::milliseconds(std::min(1 << std::min(attempt, 8), 250));
}

bool offers_http1(const std::vector<std::string>& alpn) {
  if (alpn.empty()) return true;  // no ALPN: HTTP/1.1 is what the client will speak
  for (const auto& protocol : alpn)
    if (protocol == "http/1.1") return true;
  return false;
}

std::string verify_failure(SSL* session, const boost::system::error_code& ec) {
  long result = SSL_get_verify_result(session);
  if (result != X509_V_OK) {
    return std::string("certificate verification failed: ") + X509_verify_cert_error_string(result);
  }
  return ec.message();
}

}  // namespace

void Flow::sniff_tls(int attempt) {
  std::vector<uint8_t> bytes(kMaxHello);
  ssize_t n = recv(client_.native_handle(), bytes.data(), bytes.size(), MSG_PEEK | MSG_DONTWAIT);
  if (n <= 0) {
    start_pumps();  // the client left or errored: the pumps see and pass that on
    return;
  }
  HelloPeek hello = context_.tls->read_hello({bytes.data(), static_cast<size_t>(n)});
  switch (hello.status) {
    case HelloPeek::Status::kNeedMore:
      if (attempt >= kMaxHelloPolls) {
        LOG_INFO("flow=" << id_ << " event=tls_hello_incomplete action=relay_untouched");
        start_pumps();
        return;
      }
      timer_.expires_after(poll_delay(attempt));
      timer_.async_wait([self = shared_from_this(), attempt](const boost::system::error_code& ec) {
        if (!ec && !self->finished_) self->sniff_tls(attempt + 1);
      });
      return;
    case HelloPeek::Status::kNotTls:
    case HelloPeek::Status::kMalformed:
      LOG_INFO("flow=" << id_ << " event=tls_hello_unreadable action=relay_untouched reason=\""
                       << hello.error << "\"");
      start_pumps();
      return;
    case HelloPeek::Status::kComplete:
      break;
  }
  if (!hello.error.empty()) {
    LOG_INFO("flow=" << id_ << " event=tls_sni_unusable reason=\"" << hello.error << "\"");
  }
  facts_.host = hello.sni;
  if (plan_.empty() && facts_.host && context_.hooks.decide_by_host) {
    plan_ = context_.hooks.decide_by_host(facts_);
    if (!plan_.empty()) {
      fault_pending_ = true;
      LOG_INFO("flow=" << id_ << " event=fault_planned scenario=" << plan_.scenario
                       << " action=" << plan_.action << " sni=" << *facts_.host);
      apply_plan_after_hello();
      return;
    }
  }
  if (!offers_http1(hello.alpn)) {
    // We speak HTTP/1.1 only; a client that offers nothing else keeps its own protocol.
    count_tls_relayed(hello.sni);
    LOG_INFO("flow=" << id_ << " event=tls_relayed reason=\"client offers no http/1.1 in ALPN\"");
    start_pumps();
    return;
  }
  if (!context_.tls->should_intercept(hello.sni, facts_.server_ip)) {
    count_tls_relayed(hello.sni);
    LOG_DEBUG("flow=" << id_ << " event=tls_relayed sni=" << hello.sni.value_or("-"));
    start_pumps();
    return;
  }
  intercept_tls(hello.sni);
}

void Flow::count_tls_relayed(const std::optional<std::string>& sni) {
  ++context_.counters.tls_relayed;
  context_.counters.tls_relayed_hosts.add(sni.value_or(server_endpoint_.address().to_string()));
}

void Flow::intercept_tls(const std::optional<std::string>& sni) {
  const std::string name = sni.value_or(server_endpoint_.address().to_string());
  auto upstream = std::make_unique<TlsByteStream>(upstream_, *context_.tls->client_context);
  SSL* session = upstream->session();
  if (sni) {
    SSL_set_tlsext_host_name(session, sni->c_str());
    SSL_set1_host(session, sni->c_str());
  } else {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(session), name.c_str());
  }
  // A session from an earlier connection to this server, verified for this same name, saves a
  // full handshake (key exchange and certificate chain) per connection.
  if (context_.tls->prepare_upstream) {
    context_.tls->prepare_upstream(session, to_string(server_endpoint_) + " " + sni.value_or("-"));
  }
  auto* raw_upstream = upstream.get();
  upstream_stream_ = std::move(upstream);
  timer_.expires_after(kUpstreamHandshakeTimeout);
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->finished_) return;
    self->upstream_handshake_timed_out_ = true;
    self->upstream_stream_->cancel();  // the handshake completes now, with an error
  });
  raw_upstream->async_handshake(
      TlsByteStream::Role::kClient,
      [self = shared_from_this(), name, session](const boost::system::error_code& ec) {
        if (self->finished_) return;
        self->timer_.cancel();
        std::string upstream_error;
        if (self->upstream_handshake_timed_out_) {
          upstream_error = "the server did not complete the TLS handshake within 10 s";
        } else if (ec) {
          upstream_error = verify_failure(session, ec);
        }
        if (upstream_error.empty() && SSL_session_reused(session) == 1) {
          ++self->context_.counters.tls_upstream_resumed;
        }
        if (!upstream_error.empty()) {
          ++self->context_.counters.tls_upstream_failures;
          LOG_WARN("flow=" << self->id_ << " event=tls_upstream_failed host=" << name
                           << " reason=\"" << upstream_error << "\"");
        }
        self->handshake_with_client(name, upstream_error);
      });
}

void Flow::handshake_with_client(const std::string& name, const std::string& upstream_error) {
  auto client = std::make_unique<TlsByteStream>(client_, *context_.tls->server_context);
  std::string error;
  if (!context_.tls->install_leaf(client->session(), name, error)) {
    // Nothing sent to the client yet, but the upstream session is ours now: the client cannot
    // be relayed untouched any more. Close rather than lie.
    LOG_WARN("flow=" << id_ << " event=tls_leaf_failed host=" << name << " reason=\"" << error << "\"");
    reset_and_close(client_);
    finish("no certificate for the client");
    return;
  }
  auto* raw_client = client.get();
  client_stream_ = std::move(client);
  raw_client->async_handshake(
      TlsByteStream::Role::kServer,
      [self = shared_from_this(), name, upstream_error](const boost::system::error_code& ec) {
        if (self->finished_) return;
        if (ec) {
          // Typically: the client does not trust our CA and sent an alert.
          ++self->context_.counters.tls_client_handshake_failures;
          LOG_INFO("flow=" << self->id_ << " event=tls_client_handshake_failed host=" << name
                           << " reason=\"" << ec.message() << "\""
                           << (looks_like_untrusted_ca(ec) ? " hint=\"trust the CA from 'adbcfault ca'\"" : ""));
          self->client_stream_->reset();
          self->upstream_stream_->close();
          self->finish("client TLS handshake failed");
          return;
        }
        if (!upstream_error.empty()) {
          self->answer_upstream_tls_failure(upstream_error);
          return;
        }
        ++self->context_.counters.tls_intercepted;
        LOG_DEBUG("flow=" << self->id_ << " event=tls_intercepted host=" << name);
        self->start_http();
      });
}

void Flow::answer_upstream_tls_failure(const std::string& error) {
  // The client reached us; tell it, in HTTP, why the server was refused, and journal it.
  std::string host = facts_.host.value_or(server_endpoint_.address().to_string());
  std::string body = "adbcfault: TLS to " + host + " (" + to_string(server_endpoint_) +
                     ") failed: " + error + "\n";
  if (context_.http && context_.http->journal) {
    journal::CallEntry entry;
    entry.time = std::chrono::system_clock::now();
    entry.flow_id = id_;
    entry.client = to_string(client_endpoint_);
    entry.server = to_string(server_endpoint_);
    entry.host = host;
    entry.http_status = 502;
    entry.note = "upstream TLS failed: " + error;
    context_.http->journal->append(std::move(entry));
  }
  auto response = std::make_shared<std::string>(
      http::make_response(502, {{"Content-Type", "text/plain"}, {"Connection", "close"}}, body));
  client_stream_->async_write(boost::asio::buffer(*response),
                              [self = shared_from_this(), response](const boost::system::error_code&, size_t) {
                                self->client_stream_->close();
                                self->upstream_stream_->reset();
                                self->finish("upstream TLS failed");
                              });
}

}  // namespace adbcfault::relay
