#pragma once
// Totals the relay keeps for `adbcfault status`; tests assert these, not log text.

#include <cstdint>

#include "relay/host_tally.h"

namespace adbcfault::relay {

struct RelayCounters {
  uint64_t flows_live = 0;
  uint64_t flows_total = 0;
  uint64_t bytes_client_to_server = 0;
  uint64_t bytes_server_to_client = 0;
  uint64_t upstream_connect_failures = 0;
  uint64_t resets_propagated = 0;  // a RST from one side turned into a RST to the other
  uint64_t accept_errors = 0;
  uint64_t faults_injected = 0;
  uint64_t faults_not_injected = 0;
  uint64_t tls_intercepted = 0;           // TLS terminated and re-originated
  uint64_t tls_relayed = 0;               // TLS relayed untouched (not a host we intercept)
  uint64_t tls_upstream_failures = 0;     // server's certificate refused, or handshake failed
  uint64_t tls_upstream_resumed = 0;      // upstream handshake resumed a cached session
  uint64_t tls_client_handshake_failures = 0;  // client refused our leaf, or gave up
  HostTally tls_relayed_hosts;  // SNI (or the address, without one) of each relayed TLS flow
};

}  // namespace adbcfault::relay
