#pragma once
// Client-side TLS session resumption towards upstream servers: a bounded LRU of SSL_SESSIONs,
// one per key, filled by OpenSSL's new-session callback (TLS 1.3 tickets arrive after the
// handshake, while the relay reads) and offered to the next handshake with the same key.
//
// Resumption never bypasses verification. A session is stored only from a handshake that ran
// with SSL_VERIFY_PEER, ended with X509_V_OK, and checked a host name or IP address; the
// session remembers that name (its *identity*) and is offered only to an SSL set to check the
// same name. The key (the relay's choice: destination ip:port plus SNI or "-") partitions the
// cache further.
//
// The cache keeps its own copies (SSL_SESSION_dup) both ways: OpenSSL marks a connection's
// session not resumable when the SSL is freed without having sent close_notify (a reset, for
// one), and that must not spoil the cached one.
//
// A handshake that offered a cached session and did not complete (alert, verification failure,
// timeout, cancel) drops that session: this is detected when the SSL is freed, so the caller
// does nothing on failure. forget(key) drops one by hand.
//
// Not thread-safe: one thread (the relay's event loop) uses it, and the SSLs it prepared are
// used and freed on that thread. An SSL that outlives the cache is harmless: its sessions are
// then simply not stored.

#include <openssl/ssl.h>

#include <cstdint>
#include <ctime>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace adbcfault::tls {

class UpstreamSessions {
 public:
  static constexpr size_t kDefaultCapacity = 1024;
  using Clock = std::function<std::time_t()>;  // seconds since the epoch, like SSL_SESSION_get_time

  struct Counters {
    uint64_t stored = 0;   // sessions (or TLS 1.3 tickets) kept from verified handshakes
    uint64_t refused = 0;  // new sessions not kept: unverified handshake, no name checked
    uint64_t offered = 0;  // prepare() put a cached session on an SSL
    uint64_t expired = 0;  // cached sessions found past their lifetime and dropped
    uint64_t evicted = 0;  // dropped to stay within capacity
    uint64_t failed = 0;   // dropped because a handshake that offered them did not complete
  };

  // Throws std::invalid_argument if capacity is 0. `clock` defaults to time(nullptr).
  explicit UpstreamSessions(size_t capacity = kDefaultCapacity, Clock clock = {});
  ~UpstreamSessions();
  UpstreamSessions(const UpstreamSessions&) = delete;
  UpstreamSessions& operator=(const UpstreamSessions&) = delete;

  // Turns on client session caching on `ctx` (SSL_SESS_CACHE_CLIENT, no internal store) and
  // installs the new-session callback. Sessions are only caught on SSLs passed to prepare().
  static void install(SSL_CTX* ctx);

  // Call on a client SSL before its handshake, after its SNI and host name or IP check are set.
  // Remembers `key` on the SSL (so the sessions its handshake yields are stored under it) and,
  // if an unexpired, resumable session with the same identity is cached for `key`, sets a copy
  // of it with SSL_set_session. Returns true if a session was offered. Calling it again on the
  // same SSL replaces the key.
  bool prepare(SSL* ssl, const std::string& key);

  // Drops the session cached for `key`, if any.
  void forget(const std::string& key);

  size_t size() const { return index_.size(); }
  size_t capacity() const { return capacity_; }
  const Counters& counters() const { return counters_; }

  // The key the relay uses: "<ip>:<port> <sni>", or "<ip>:<port> -" without SNI.
  static std::string key_for(const std::string& ip_port, const std::optional<std::string>& sni);

 private:
  struct SessionFree {
    void operator()(SSL_SESSION* session) const { SSL_SESSION_free(session); }
  };
  using SessionPtr = std::unique_ptr<SSL_SESSION, SessionFree>;
  struct Entry {
    std::string key;
    std::string identity;  // the host name or IP address the handshake verified
    SessionPtr session;
    std::time_t expires = 0;
    uint64_t generation = 0;  // tells a replaced entry from the one a handshake was offered
  };
  using Entries = std::list<Entry>;  // most recently used first
  struct SslState;                   // per-SSL ex_data: owner, key, what was offered

  static int state_index();
  static SslState* state_of(SSL* ssl);
  static int on_new_session(SSL* ssl, SSL_SESSION* session);
  static void on_ssl_free(void* parent, void* data, CRYPTO_EX_DATA*, int, long, void*);
  void store(SSL* ssl, const std::string& key, SSL_SESSION* session);
  void drop_failed(const std::string& key, uint64_t generation);
  void erase(Entries::iterator entry);

  const size_t capacity_;
  Clock clock_;
  Entries entries_;
  std::unordered_map<std::string, Entries::iterator> index_;
  uint64_t next_generation_ = 1;
  Counters counters_;
  // SslStates point here weakly, so an SSL freed after the cache does not touch it.
  std::shared_ptr<UpstreamSessions*> self_;
};

}  // namespace adbcfault::tls
