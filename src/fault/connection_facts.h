#pragma once
// What the relay knows about a connection when it asks the scenario engine for a decision.

#include <cstdint>
#include <optional>
#include <string>

namespace adbcfault::fault {

struct ConnectionFacts {
  uint64_t flow_id = 0;
  uint32_t client_ip = 0;  // IPv4, host byte order
  uint16_t client_port = 0;
  uint32_t server_ip = 0;  // original destination, host byte order
  uint16_t server_port = 0;
  std::optional<std::string> host;  // SNI or HTTP Host, once a layer above TCP has seen it
};

}  // namespace adbcfault::fault
