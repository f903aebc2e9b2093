#include "tls/upstream_sessions.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include <iterator>
#include <stdexcept>

namespace adbcfault::tls {

struct UpstreamSessions::SslState {
  std::weak_ptr<UpstreamSessions*> owner;
  std::string key;
  uint64_t offered_generation = 0;  // 0: nothing offered
};

namespace {

// The name the SSL's certificate check is set to: "dns:<host>", "ip:<address>", or empty when
// none is set (then the chain may verify but says nothing about whom we reached).
std::string identity_of(SSL* ssl) {
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  if (const char* host = X509_VERIFY_PARAM_get0_host(param, 0)) return std::string("dns:") + host;
  // Without an IP this queues an error; left there it would fail the caller's next SSL call
  // (SSL_get_error reads the queue).
  ERR_set_mark();
  char* ip = X509_VERIFY_PARAM_get1_ip_asc(param);
  ERR_pop_to_mark();
  if (ip == nullptr) return {};
  std::string identity = std::string("ip:") + ip;
  OPENSSL_free(ip);
  return identity;
}

// A copied SSL must not share (and later free twice) the original's state.
int dup_no_state(CRYPTO_EX_DATA*, const CRYPTO_EX_DATA*, void** data, int, long, void*) {
  *data = nullptr;
  return 1;
}

// How long the server lets us resume: the session timeout, or the ticket's lifetime hint if
// that is shorter.
std::time_t expiry_of(const SSL_SESSION* session) {
  long lifetime = SSL_SESSION_get_timeout(session);
  unsigned long hint = SSL_SESSION_get_ticket_lifetime_hint(session);
  if (SSL_SESSION_has_ticket(session) && hint > 0 && hint < static_cast<unsigned long>(lifetime))
    lifetime = static_cast<long>(hint);
  return static_cast<std::time_t>(SSL_SESSION_get_time(session)) + lifetime;
}

}  // namespace

UpstreamSessions::UpstreamSessions(size_t capacity, Clock clock)
    : capacity_(capacity),
      clock_(clock ? std::move(clock) : [] { return std::time(nullptr); }),
      self_(std::make_shared<UpstreamSessions*>(this)) {
  if (capacity_ == 0) throw std::invalid_argument("UpstreamSessions capacity must be positive");
  state_index();  // register the ex_data index now, not on the first connection
}

UpstreamSessions::~UpstreamSessions() = default;

int UpstreamSessions::state_index() {
  // Registered once per process. The free callback runs for every SSL, ours or not.
  static const int index =
      SSL_get_ex_new_index(0, nullptr, nullptr, dup_no_state, &UpstreamSessions::on_ssl_free);
  return index;
}

UpstreamSessions::SslState* UpstreamSessions::state_of(SSL* ssl) {
  return static_cast<SslState*>(SSL_get_ex_data(ssl, state_index()));
}

void UpstreamSessions::install(SSL_CTX* ctx) {
  state_index();
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_CTX_sess_set_new_cb(ctx, &UpstreamSessions::on_new_session);
}

bool UpstreamSessions::prepare(SSL* ssl, const std::string& key) {
  SslState* state = state_of(ssl);
  if (state == nullptr) {
    state = new SslState;  // freed by on_ssl_free with the SSL
    if (SSL_set_ex_data(ssl, state_index(), state) != 1) {
      delete state;
      return false;
    }
  }
  state->owner = self_;
  state->key = key;
  state->offered_generation = 0;

  auto found = index_.find(key);
  if (found == index_.end()) return false;
  Entries::iterator entry = found->second;
  if (clock_() >= entry->expires || !SSL_SESSION_is_resumable(entry->session.get())) {
    ++counters_.expired;
    erase(entry);
    return false;
  }
  // Offered only to an SSL that checks the name this session was verified for.
  if (entry->identity != identity_of(ssl)) return false;
  // A copy: OpenSSL marks the session of an SSL freed without close_notify not resumable.
  SessionPtr copy(SSL_SESSION_dup(entry->session.get()));
  if (!copy || SSL_set_session(ssl, copy.get()) != 1) return false;  // SSL_set_session up-refs
  entries_.splice(entries_.begin(), entries_, entry);
  state->offered_generation = entry->generation;
  ++counters_.offered;
  return true;
}

void UpstreamSessions::forget(const std::string& key) {
  auto found = index_.find(key);
  if (found != index_.end()) erase(found->second);
}

std::string UpstreamSessions::key_for(const std::string& ip_port,
                                      const std::optional<std::string>& sni) {
  return ip_port + " " + sni.value_or("-");
}

int UpstreamSessions::on_new_session(SSL* ssl, SSL_SESSION* session) {
  SslState* state = state_of(ssl);
  if (state == nullptr) return 0;
  std::shared_ptr<UpstreamSessions*> owner = state->owner.lock();
  if (owner) (*owner)->store(ssl, state->key, session);
  return 0;  // we keep a copy, not OpenSSL's reference: it frees `session` itself
}

void UpstreamSessions::on_ssl_free(void* parent, void* data, CRYPTO_EX_DATA*, int, long, void*) {
  auto* state = static_cast<SslState*>(data);
  if (state == nullptr) return;
  // Called early in SSL_free, while the handshake state is still readable. A handshake that
  // started with a cached session and never finished (alert, failed verification, timeout,
  // cancel) must not get that session again.
  SSL* ssl = static_cast<SSL*>(parent);
  if (state->offered_generation != 0 && !SSL_in_before(ssl) && !SSL_is_init_finished(ssl)) {
    if (std::shared_ptr<UpstreamSessions*> owner = state->owner.lock())
      (*owner)->drop_failed(state->key, state->offered_generation);
  }
  delete state;
}

void UpstreamSessions::store(SSL* ssl, const std::string& key, SSL_SESSION* session) {
  // Only sessions whose handshake verified the chain and the server's name; a verify callback
  // that overrode a failure still leaves the failure in SSL_get_verify_result.
  const std::string identity = identity_of(ssl);
  if ((SSL_get_verify_mode(ssl) & SSL_VERIFY_PEER) == 0 ||
      SSL_get_verify_result(ssl) != X509_V_OK || identity.empty() ||
      SSL_SESSION_get0_peer(session) == nullptr || !SSL_SESSION_is_resumable(session)) {
    ++counters_.refused;
    return;
  }
  SessionPtr copy(SSL_SESSION_dup(session));
  if (!copy) return;
  const std::time_t expires = expiry_of(copy.get());

  auto found = index_.find(key);
  Entries::iterator entry;
  if (found != index_.end()) {
    entry = found->second;
    entries_.splice(entries_.begin(), entries_, entry);
  } else {
    entries_.push_front(Entry{key, {}, nullptr, 0, 0});
    entry = entries_.begin();
    index_.emplace(key, entry);
  }
  entry->identity = identity;
  entry->session = std::move(copy);
  entry->expires = expires;
  entry->generation = next_generation_++;
  ++counters_.stored;
  while (entries_.size() > capacity_) {
    ++counters_.evicted;
    erase(std::prev(entries_.end()));
  }
}

void UpstreamSessions::drop_failed(const std::string& key, uint64_t generation) {
  auto found = index_.find(key);
  // A newer session stored since (by another connection) is not the one that failed.
  if (found == index_.end() || found->second->generation != generation) return;
  ++counters_.failed;
  erase(found->second);
}

void UpstreamSessions::erase(Entries::iterator entry) {
  index_.erase(entry->key);
  entries_.erase(entry);
}

}  // namespace adbcfault::tls
