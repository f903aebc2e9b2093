#pragma once
// Flows per host name, for `status`: which TLS hosts were relayed untouched, so a user whose
// HTTPS scenario never fired can see that the daemon never looked inside those connections.
// Bounded: past kMaxHosts distinct names, further ones are tallied together under kOthers, so a
// client that sweeps names cannot grow it.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

namespace adbcfault::relay {

class HostTally {
 public:
  static constexpr size_t kMaxHosts = 32;
  static constexpr const char* kOthers = "(other hosts)";

  void add(const std::string& host);
  const std::map<std::string, uint64_t>& counts() const { return counts_; }

 private:
  std::map<std::string, uint64_t> counts_;
};

}  // namespace adbcfault::relay
