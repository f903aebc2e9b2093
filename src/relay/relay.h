#pragma once
// The relay: accepts intercepted connections and runs a Flow for each. Everything runs on one
// io_context thread, so flows, counters and the flow table need no locks.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <string>

#include "relay/fault_hooks.h"
#include "relay/http_hooks.h"
#include "relay/tls_hooks.h"
#include "relay/flow_table.h"
#include "relay/relay_counters.h"

namespace adbcfault::relay {

struct RelayOptions {
  uint16_t listen_port = 0;
  uint32_t bypass_mark = 0;
  HttpHooks* http = nullptr;  // null: relay bytes without looking at HTTP
  TlsHooks* tls = nullptr;    // null: relay TLS untouched
};

class Relay {
 public:
  // Binds the listener; throws std::runtime_error with a one-line reason.
  Relay(boost::asio::io_context& io, RelayOptions options, FaultHooks hooks);
  ~Relay();

  void start();
  // Stops accepting and closes every flow.
  void stop();
  void end_scenario(const std::string& name);
  const RelayCounters& counters() const { return counters_; }

 private:
  void accept_next();

  boost::asio::io_context& io_;
  RelayOptions options_;
  FaultHooks hooks_;
  RelayCounters counters_;
  FlowTable table_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer accept_retry_;
  uint64_t next_flow_id_ = 1;
  boost::asio::ip::tcp::endpoint accepted_peer_;  // filled by accept() itself
  bool stopped_ = false;
};

}  // namespace adbcfault::relay
