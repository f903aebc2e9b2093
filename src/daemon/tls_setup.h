#pragma once
// Everything TLS interception needs, built at start-up: the CA (created on first start), the
// leaf cache, our two SSL contexts, the upstream session cache and the interception policy,
// exposed to the relay as TlsHooks. Start-up errors (an unreadable CA, a bad --upstream-ca)
// throw with a one-line message naming the file.

#include <boost/asio/ssl/context.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "relay/tls_hooks.h"
#include "tls/ca_store.h"
#include "tls/intercept_policy.h"
#include "tls/leaf_cache.h"
#include "tls/leaf_minter.h"
#include "tls/upstream_sessions.h"

namespace adbcfault::daemon {

struct TlsOptions {
  std::filesystem::path state_dir;
  std::optional<std::vector<std::string>> intercept;  // nullopt: tls::default_intercept_policy()
  std::optional<std::filesystem::path> upstream_ca;
  // Host patterns named by enabled scenarios: their TLS is intercepted too.
  std::function<std::vector<std::string>()> scenario_hosts;
};

class TlsSetup {
 public:
  explicit TlsSetup(TlsOptions options);
  relay::TlsHooks& hooks() { return hooks_; }
  const tls::CaStore& ca() const { return ca_; }
  tls::LeafCache::Counters leaf_counters() const { return leaves_.counters(); }

 private:
  TlsOptions options_;
  tls::CaStore ca_;
  tls::LeafMinter minter_;
  tls::LeafCache leaves_;
  tls::InterceptPolicy policy_;
  boost::asio::ssl::context server_context_;
  boost::asio::ssl::context client_context_;
  tls::UpstreamSessions upstream_sessions_;  // relay thread only
  relay::TlsHooks hooks_;
};

}  // namespace adbcfault::daemon
