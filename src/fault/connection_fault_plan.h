#pragma once
// What the scenario engine asks the relay to do to one connection. Actions (fault/actions/)
// fill a plan from their validated parameters; the relay (relay/flow.*) carries it out. Keeping
// the plan a plain value lets each action be tested without sockets, and the relay implement
// each mechanism once.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace adbcfault::fault {

enum class Direction { kClientToServer, kServerToClient };
enum class HangEnd { kClose, kReset, kHold };  // kHold: until the scenario is disabled

struct ConnectionFaultPlan {
  std::string scenario;  // name of the scenario that produced this plan
  std::string action;    // action type, e.g. "reset"

  bool reset_on_accept = false;                    // RST to the client right after accept
  std::chrono::milliseconds connect_delay{0};      // wait before connecting upstream
  std::chrono::milliseconds first_response_byte_delay{0};

  struct AfterBytes {
    Direction direction = Direction::kServerToClient;
    uint64_t bytes = 0;
  };
  std::optional<AfterBytes> reset_after;           // RST to the client after N bytes relayed
  std::optional<uint64_t> close_after_response_bytes;  // FIN to the client after N response bytes

  struct Hang {
    std::optional<std::chrono::milliseconds> duration;  // nullopt: until disabled
    HangEnd end = HangEnd::kClose;
  };
  std::optional<Hang> hang;  // accept, never connect upstream, never answer

  struct Throttle {
    Direction direction = Direction::kServerToClient;
    uint64_t bytes_per_second = 0;
  };
  std::optional<Throttle> throttle;

  // As if the server reset the connection mid-request: no upstream connection is made; the
  // client gets a RST once its first request bytes arrive.
  bool refuse_upstream = false;

  bool empty() const {
    return !reset_on_accept && connect_delay.count() == 0 &&
           first_response_byte_delay.count() == 0 && !reset_after && !close_after_response_bytes &&
           !hang && !throttle && !refuse_upstream;
  }
};

}  // namespace adbcfault::fault
