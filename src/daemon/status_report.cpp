#include "daemon/status_report.h"

#include <string>

namespace adbcfault::daemon {

nlohmann::json status_report(const StatusInputs& in) {
  nlohmann::json intercept = nlohmann::json::array();
  for (const auto& target : in.intercepts) intercept.push_back(target.to_string());
  const auto& r = in.relay;
  const auto& c = in.classifier;
  nlohmann::json report = {
      {"version", ADBCFAULT_VERSION},
      {"uptime_seconds", std::chrono::duration<double>(in.uptime).count()},
      {"intercept", intercept},
      {"rules_installed", in.rules_installed},
      {"flows", {{"live", r.flows_live}, {"total", r.flows_total}}},
      {"bytes", {{"client_to_server", r.bytes_client_to_server},
                 {"server_to_client", r.bytes_server_to_client}}},
      {"counters",
       {{"syn_queued", c.queued},
        {"syn_intercepted", c.intercepted},
        {"syn_passed", c.passed},
        {"syn_unparsed", c.unparsed},
        {"queue_receive_errors", c.receive_errors},
        {"ipv6_not_intercepted", c.ipv6_passed},
        {"upstream_connect_failures", r.upstream_connect_failures},
        {"resets_propagated", r.resets_propagated},
        {"accept_errors", r.accept_errors},
        {"faults_injected", r.faults_injected},
        {"faults_not_injected", r.faults_not_injected},
        {"tls_intercepted", r.tls_intercepted},
        {"tls_relayed", r.tls_relayed},
        {"tls_upstream_failures", r.tls_upstream_failures},
        {"tls_upstream_resumed", r.tls_upstream_resumed},
        {"tls_client_handshake_failures", r.tls_client_handshake_failures}}},
  };
  // What a user must not miss when a scenario did not fire; present only when there is some.
  nlohmann::json warnings = nlohmann::json::array();
  if (c.ipv6_passed > 0) {
    warnings.push_back(std::to_string(c.ipv6_passed) +
                       " IPv6 connection(s) to the targets passed without interception: adbcfault "
                       "steers IPv4 only (the daemon's log names each destination)");
  }
  if (r.tls_client_handshake_failures > 0) {
    warnings.push_back(std::to_string(r.tls_client_handshake_failures) +
                       " TLS client(s) did not finish the handshake with our certificate: does the "
                       "client trust the CA that 'adbcfault ca' prints? (log: "
                       "event=tls_client_handshake_failed)");
  }
  if (r.tls_upstream_failures > 0) {
    warnings.push_back(std::to_string(r.tls_upstream_failures) +
                       " TLS connection(s) to servers failed, most often a certificate the daemon "
                       "does not trust (--upstream-ca adds a CA; log: event=tls_upstream_failed)");
  }
  if (!warnings.empty()) report["warnings"] = warnings;
  // Where TLS went untouched: the daemon never saw those requests, so no HTTP scenario could.
  if (!r.tls_relayed_hosts.counts().empty()) {
    report["tls_relayed_hosts"] = r.tls_relayed_hosts.counts();
  }
  return report;
}

}  // namespace adbcfault::daemon
