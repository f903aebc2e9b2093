#include "tls/upstream_sessions.h"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <functional>
#include <memory>
#include <stdexcept>

#include "tls/ca_store.h"
#include "tls/leaf_minter.h"
#include "tls_test_support.h"

namespace adbcfault::tls {
namespace {

using testing::TempDir;

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;
using SslPtr = std::unique_ptr<SSL, SslFree>;

constexpr char kHost[] = "upstream.test";
constexpr char kKey[] = "192.0.2.10:443 upstream.test";

struct Outcome {
  bool offered = false;    // prepare() set a cached session
  bool client_ok = false;  // the client finished its handshake
  bool reused = false;     // SSL_session_reused on the client
  long verify_result = -1;
};

// A CA and a leaf for kHost (and one for an IP address) made by the project's own code.
class UpstreamSessionsTest : public ::testing::Test {
 protected:
  TempDir dir_;
  CaStore ca_ = CaStore::load_or_create(dir_.path());
  LeafMinter minter_{ca_};
  std::time_t clock_offset_ = 0;
  UpstreamSessions::Clock clock_ = [this] { return std::time(nullptr) + clock_offset_; };

  std::shared_ptr<const Leaf> leaf(const std::string& name) {
    std::string error;
    auto minted = minter_.mint(name, error);
    if (!minted) throw std::runtime_error(error);
    return minted;
  }

  // Server: TLS `version` only; tickets on (stateless) or off (session ids, server cache).
  SslCtxPtr server_context(const Leaf& leaf, int version, bool tickets = true) {
    SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
    SSL_CTX_set_min_proto_version(ctx.get(), version);
    SSL_CTX_set_max_proto_version(ctx.get(), version);
    EXPECT_EQ(SSL_CTX_use_certificate(ctx.get(), leaf.certificate.get()), 1);
    EXPECT_EQ(SSL_CTX_use_PrivateKey(ctx.get(), leaf.key.get()), 1);
    static const unsigned char kContext[] = "test";
    SSL_CTX_set_session_id_context(ctx.get(), kContext, sizeof kContext - 1);
    if (!tickets) SSL_CTX_set_options(ctx.get(), SSL_OP_NO_TICKET);
    return ctx;
  }

  // Client as the daemon configures it: verify the peer against our CA only.
  SslCtxPtr client_context(X509* trusted) {
    SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
    SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
    X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx.get()), trusted);
    UpstreamSessions::install(ctx.get());
    return ctx;
  }

  // A client SSL set up the way the relay does it: SNI + host check, or an IP check.
  static SslPtr client_ssl(SSL_CTX* ctx, const std::string& name, bool is_ip = false) {
    SslPtr ssl(SSL_new(ctx));
    if (is_ip) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()), name.c_str());
    } else if (!name.empty()) {
      SSL_set_tlsext_host_name(ssl.get(), name.c_str());
      SSL_set1_host(ssl.get(), name.c_str());
    }
    return ssl;
  }

  // One connection over an in-memory BIO pair. The client reads once after its handshake, so
  // TLS 1.3 tickets are processed, then is freed without close_notify, as the relay does.
  static Outcome connect(UpstreamSessions* sessions, SSL_CTX* client_ctx, SSL_CTX* server_ctx,
                         const std::string& key, const std::string& name, bool is_ip = false,
                         const std::function<void(SSL*)>& before_handshake = {}) {
    Outcome outcome;
    SslPtr client = client_ssl(client_ctx, name, is_ip);
    if (before_handshake) before_handshake(client.get());
    if (sessions) outcome.offered = sessions->prepare(client.get(), key);
    SslPtr server(SSL_new(server_ctx));
    BIO* client_bio = nullptr;
    BIO* server_bio = nullptr;
    BIO_new_bio_pair(&client_bio, 64 * 1024, &server_bio, 64 * 1024);
    SSL_set_bio(client.get(), client_bio, client_bio);
    SSL_set_bio(server.get(), server_bio, server_bio);
    SSL_set_connect_state(client.get());
    SSL_set_accept_state(server.get());

    bool client_done = false, server_done = false, failed = false;
    auto step = [&failed](SSL* ssl, bool& done) {
      if (done) return;
      int result = SSL_do_handshake(ssl);
      if (result == 1) {
        done = true;
        return;
      }
      int error = SSL_get_error(ssl, result);
      if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) failed = true;
    };
    for (int round = 0; round < 50 && !failed && !(client_done && server_done); ++round) {
      step(client.get(), client_done);
      step(server.get(), server_done);
    }
    outcome.client_ok = client_done && server_done && !failed;
    outcome.verify_result = SSL_get_verify_result(client.get());
    if (outcome.client_ok) {
      outcome.reused = SSL_session_reused(client.get()) == 1;
      char byte;
      EXPECT_LE(SSL_read(client.get(), &byte, 1), 0);  // no data; TLS 1.3 tickets are read here
      // Also proves the callbacks leave nothing on OpenSSL's error queue.
      EXPECT_EQ(SSL_get_error(client.get(), -1), SSL_ERROR_WANT_READ)
          << ERR_error_string(ERR_peek_error(), nullptr);
      SSL_shutdown(server.get());  // keeps a stateful server cache entry valid
    }
    return outcome;
  }
};

class ResumptionByVersion : public UpstreamSessionsTest,
                            public ::testing::WithParamInterface<int> {};

TEST_P(ResumptionByVersion, TheSecondHandshakeWithTheSameKeyResumes) {
  auto upstream = leaf(kHost);
  SslCtxPtr server = server_context(*upstream, GetParam());
  SslCtxPtr client = client_context(ca_.certificate());
  UpstreamSessions sessions(UpstreamSessions::kDefaultCapacity, clock_);

  Outcome first = connect(&sessions, client.get(), server.get(), kKey, kHost);
  ASSERT_TRUE(first.client_ok);
  EXPECT_FALSE(first.offered);
  EXPECT_FALSE(first.reused);
  EXPECT_EQ(sessions.size(), 1u);
  EXPECT_GE(sessions.counters().stored, 1u);

  // Again and again: the relay never sends close_notify, which must not spoil the cache.
  for (int round = 0; round < 3; ++round) {
    Outcome next = connect(&sessions, client.get(), server.get(), kKey, kHost);
    ASSERT_TRUE(next.client_ok) << "round " << round;
    EXPECT_TRUE(next.offered) << "round " << round;
    EXPECT_TRUE(next.reused) << "round " << round;
    EXPECT_EQ(next.verify_result, X509_V_OK) << "a resumed session keeps its verified result";
  }
  EXPECT_EQ(sessions.counters().offered, 3u);
  EXPECT_EQ(sessions.counters().refused, 0u);
  EXPECT_EQ(sessions.size(), 1u) << "one session per key";
}

INSTANTIATE_TEST_SUITE_P(Tls, ResumptionByVersion,
                         ::testing::Values(TLS1_3_VERSION, TLS1_2_VERSION),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return info.param == TLS1_3_VERSION ? "Tls13" : "Tls12";
                         });

TEST_F(UpstreamSessionsTest, Tls12WithSessionIdsResumes) {
  auto upstream = leaf(kHost);
  SslCtxPtr server = server_context(*upstream, TLS1_2_VERSION, /*tickets=*/false);
  SslCtxPtr client = client_context(ca_.certificate());
  UpstreamSessions sessions;
  ASSERT_TRUE(connect(&sessions, client.get(), server.get(), kKey, kHost).client_ok);
  Outcome second = connect(&sessions, client.get(), server.get(), kKey, kHost);
  ASSERT_TRUE(second.client_ok);
  EXPECT_TRUE(second.reused);
}

TEST_F(UpstreamSessionsTest, AnIpAddressWithoutSniResumes) {
  auto upstream = leaf("192.0.2.10");
  SslCtxPtr server = server_context(*upstream, TLS1_3_VERSION);
  SslCtxPtr client = client_context(ca_.certificate());
  UpstreamSessions sessions;
  const std::string key = UpstreamSessions::key_for("192.0.2.10:443", std::nullopt);
  EXPECT_EQ(key, "192.0.2.10:443 -");
  ASSERT_TRUE(connect(&sessions, client.get(), server.get(), key, "192.0.2.10", true).client_ok);
  Outcome second = connect(&sessions, client.get(), server.get(), key, "192.0.2.10", true);
  ASSERT_TRUE(second.client_ok);
  EXPECT_TRUE(second.reused);
}

TEST_F(UpstreamSessionsTest, ADifferentKeyDoesNotResume) {
  auto upstream = leaf(kHost);
  SslCtxPtr server = server_context(*upstream, TLS1_3_VERSION);
  SslCtxPtr client = client_context(ca_.certificate());
  UpstreamSessions sessions;
  ASSERT_TRUE(connect(&sessions, client.get(), server.get(), kKey, kHost).client_ok);
  Outcome other =
      connect(&sessions, client.get(), server.get(), "192.0.2.11:443 upstream.test", kHost);
  ASSERT_TRUE(other.client_ok);
  EXPECT_FALSE(other.offered);
  EXPECT_FALSE(other.reused);
  EXPECT_EQ(sessions.size(), 2u);
}

TEST_F(UpstreamSessionsTest, ASessionIsOfferedOnlyToAnSslCheckingTheNameItWasVerifiedFor) {
  auto upstream = leaf(kHost);
  SslCtxPtr server = server_context(*upstream, TLS1_3_VERSION);
  SslCtxPtr client = client_context(ca_.certificate());
  UpstreamSessions sessions;
  ASSERT_TRUE(connect(&sessions, client.get(), server.get(), kKey, kHost).client_ok);
  // Same key (a caller mistake), but this SSL checks another name: no resumption, and the
  // full handshake fails verification as it should.
  Outcome other = connect(&sessions, client.get(), server.get(), kKey, "other.test");
  EXPECT_FALSE(other.offered);
  EXPECT_FALSE(other.client_ok);
  EXPECT_EQ(other.verify_result, X509_V_ERR_HOSTNAME_MISMATCH);
  SslPtr unchecked = client_ssl(client.get(), "");
  EXPECT_FALSE(sessions.prepare(unchecked.get(), kKey)) << "no name checked";
  EXPECT_EQ(sessions.counters().offered, 0u);
}

TEST_F(UpstreamSessionsTest, TheLeastRecentlyUsedKeyIsEvicted) {
  auto upstream = leaf(kHost);
  SslCtxPtr server = server_context(*upstream, TLS1_3_VERSION);
  SslCtxPtr client = client_context(ca_.certificate());
  UpstreamSessions sessions(2);
  EXPECT_EQ(sessions.capacity(), 2u);
  ASSERT_TRUE(connect(&sessions, client.get(), server.get(), "a", kHost).client_ok);
  ASSERT_TRUE(connect(&sessions, client.get(), server.get(), "b", kHost).client_ok);
  SslPtr probe = client_ssl(client.get(), kHost);
  EXPECT_TRUE(sessions.prepare(probe.get(), "a"));  // a is now the most recently used
  ASSERT_TRUE(connect(&sessions, client.get(), server.get(), "c", kHost).client_ok);  // evicts b
  EXPECT_EQ(sessions.size(), 2u);
  EXPECT_EQ(sessions.counters().evicted, 1u);
  for (const char* key : {"a", "b", "c"}) {
    SslPtr ssl = client_ssl(client.get(), kHost);
    EXPECT_EQ(sessions.prepare(ssl.get(), key), std::string(key) != "b") << key;
  }
}

TEST_F(UpstreamSessionsTest, AnExpiredSessionIsNotOffered) {
  auto upstream = leaf(kHost);
  SslCtxPtr server = server_context(*upstream, TLS1_3_VERSION);
  SSL_CTX_set_timeout(server.get(), 100);  // the ticket lifetime the server announces
  SslCtxPtr client = client_context(ca_.certificate());
  UpstreamSessions sessions(UpstreamSessions::kDefaultCapacity, clock_);
  ASSERT_TRUE(connect(&sessions, client.get(), server.get(), kKey, kHost).client_ok);

  clock_offset_ = 95;
  SslPtr before = client_ssl(client.get(), kHost);
  EXPECT_TRUE(sessions.prepare(before.get(), kKey)) << "still within the ticket's lifetime";

  clock_offset_ = 101;
  Outcome late = connect(&sessions, client.get(), server.get(), kKey, kHost);
  ASSERT_TRUE(late.client_ok);
  EXPECT_FALSE(late.offered);
  EXPECT_FALSE(late.reused);
  EXPECT_EQ(sessions.counters().expired, 1u);
  EXPECT_EQ(sessions.size(), 1u) << "the full handshake stored a fresh ticket";
}

TEST_F(UpstreamSessionsTest, ForgetDropsTheSession) {
  auto upstream = leaf(kHost);
  SslCtxPtr server = server_context(*upstream, TLS1_2_VERSION);
  SslCtxPtr client = client_context(ca_.certificate());
  UpstreamSessions sessions;
  ASSERT_TRUE(connect(&sessions, client.get(), server.get(), kKey, kHost).client_ok);
  sessions.forget("not cached");
  EXPECT_EQ(sessions.size(), 1u);
  sessions.forget(kKey);
  EXPECT_EQ(sessions.size(), 0u);
  Outcome after = connect(&sessions, client.get(), server.get(), kKey, kHost);
  EXPECT_FALSE(after.offered);
  EXPECT_FALSE(after.reused);
}

TEST_F(UpstreamSessionsTest, UnverifiedHandshakesAreNotStored) {
  auto upstream = leaf(kHost);
  SslCtxPtr server = server_context(*upstream, TLS1_3_VERSION);
  UpstreamSessions sessions;

  SslCtxPtr no_verify = client_context(ca_.certificate());
  SSL_CTX_set_verify(no_verify.get(), SSL_VERIFY_NONE, nullptr);
  ASSERT_TRUE(connect(&sessions, no_verify.get(), server.get(), kKey, kHost).client_ok);

  // A verify callback that waves a failure through: the handshake completes, the failure is
  // still in SSL_get_verify_result.
  TempDir other_dir;
  CaStore other_ca = CaStore::load_or_create(other_dir.path());
  SslCtxPtr wrong_trust = client_context(other_ca.certificate());
  SSL_CTX_set_verify(wrong_trust.get(), SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
  Outcome waved = connect(&sessions, wrong_trust.get(), server.get(), kKey, kHost);
  ASSERT_TRUE(waved.client_ok);
  EXPECT_NE(waved.verify_result, X509_V_OK);

  // Verified chain, but no host name or IP checked.
  SslCtxPtr client = client_context(ca_.certificate());
  ASSERT_TRUE(connect(&sessions, client.get(), server.get(), kKey, "").client_ok);

  EXPECT_EQ(sessions.size(), 0u);
  EXPECT_EQ(sessions.counters().stored, 0u);
  EXPECT_GE(sessions.counters().refused, 3u);
}

TEST_F(UpstreamSessionsTest, AFailedHandshakeDropsTheSessionItOffered) {
  auto upstream = leaf(kHost);
  SslCtxPtr server = server_context(*upstream, TLS1_3_VERSION);
  SslCtxPtr client = client_context(ca_.certificate());
  UpstreamSessions sessions;
  ASSERT_TRUE(connect(&sessions, client.get(), server.get(), kKey, kHost).client_ok);

  // Another server at that address now: its own ticket keys and a leaf we do not trust.
  TempDir other_dir;
  CaStore other_ca = CaStore::load_or_create(other_dir.path());
  LeafMinter other_minter(other_ca);
  std::string error;
  auto impostor_leaf = other_minter.mint(kHost, error);
  ASSERT_NE(impostor_leaf, nullptr) << error;
  SslCtxPtr impostor = server_context(*impostor_leaf, TLS1_3_VERSION);
  Outcome refused = connect(&sessions, client.get(), impostor.get(), kKey, kHost);
  EXPECT_TRUE(refused.offered);
  EXPECT_FALSE(refused.client_ok);
  EXPECT_FALSE(refused.reused);
  EXPECT_EQ(sessions.size(), 0u) << "dropped when the failed SSL was freed";
  EXPECT_EQ(sessions.counters().failed, 1u);
}

TEST_F(UpstreamSessionsTest, AnSslFreedBeforeItsHandshakeKeepsTheSession) {
  auto upstream = leaf(kHost);
  SslCtxPtr server = server_context(*upstream, TLS1_3_VERSION);
  SslCtxPtr client = client_context(ca_.certificate());
  UpstreamSessions sessions;
  ASSERT_TRUE(connect(&sessions, client.get(), server.get(), kKey, kHost).client_ok);
  {
    SslPtr abandoned = client_ssl(client.get(), kHost);
    EXPECT_TRUE(sessions.prepare(abandoned.get(), kKey));
  }
  EXPECT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions.counters().failed, 0u);
}

TEST_F(UpstreamSessionsTest, AFailureDoesNotDropANewerSessionForTheKey) {
  auto upstream = leaf(kHost);
  SslCtxPtr server = server_context(*upstream, TLS1_3_VERSION);
  SslCtxPtr client = client_context(ca_.certificate());
  UpstreamSessions sessions;
  ASSERT_TRUE(connect(&sessions, client.get(), server.get(), kKey, kHost).client_ok);

  // Offered the first session, sent its ClientHello, then abandoned mid-handshake...
  SslPtr stalled = client_ssl(client.get(), kHost);
  ASSERT_TRUE(sessions.prepare(stalled.get(), kKey));
  BIO* near_end = nullptr;
  BIO* far_end = nullptr;
  BIO_new_bio_pair(&near_end, 64 * 1024, &far_end, 64 * 1024);
  SSL_set_bio(stalled.get(), near_end, near_end);
  SSL_set_connect_state(stalled.get());
  EXPECT_EQ(SSL_get_error(stalled.get(), SSL_do_handshake(stalled.get())), SSL_ERROR_WANT_READ);
  // ...while another connection stored a newer ticket under the same key.
  ASSERT_TRUE(connect(&sessions, client.get(), server.get(), kKey, kHost).reused);
  const uint64_t stored = sessions.counters().stored;
  stalled.reset();
  BIO_free(far_end);
  EXPECT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions.counters().failed, 0u);
  EXPECT_EQ(sessions.counters().stored, stored);
  EXPECT_TRUE(connect(&sessions, client.get(), server.get(), kKey, kHost).reused);
}

TEST_F(UpstreamSessionsTest, UnpreparedSslsAreIgnored) {
  auto upstream = leaf(kHost);
  SslCtxPtr server = server_context(*upstream, TLS1_3_VERSION);
  SslCtxPtr client = client_context(ca_.certificate());
  UpstreamSessions sessions;
  ASSERT_TRUE(connect(nullptr, client.get(), server.get(), kKey, kHost).client_ok);
  EXPECT_EQ(sessions.size(), 0u);
  EXPECT_EQ(sessions.counters().stored + sessions.counters().refused, 0u);
}

TEST_F(UpstreamSessionsTest, AnSslThatOutlivesTheCacheIsHarmless) {
  auto upstream = leaf(kHost);
  SslCtxPtr server = server_context(*upstream, TLS1_3_VERSION);
  SslCtxPtr client = client_context(ca_.certificate());
  auto sessions = std::make_unique<UpstreamSessions>();
  Outcome outcome =
      connect(nullptr, client.get(), server.get(), kKey, kHost, false, [&sessions](SSL* ssl) {
        sessions->prepare(ssl, kKey);
        sessions.reset();  // before the handshake and its tickets
      });
  EXPECT_TRUE(outcome.client_ok);
}

TEST(UpstreamSessionsConfig, ZeroCapacityIsRefused) {
  EXPECT_THROW(UpstreamSessions(0), std::invalid_argument);
}

TEST(UpstreamSessionsConfig, InstallTurnsOnClientCachingWithoutTheInternalStore) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  UpstreamSessions::install(ctx.get());
  EXPECT_EQ(SSL_CTX_get_session_cache_mode(ctx.get()),
            SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  EXPECT_NE(SSL_CTX_sess_get_new_cb(ctx.get()), nullptr);
}

}  // namespace
}  // namespace adbcfault::tls
