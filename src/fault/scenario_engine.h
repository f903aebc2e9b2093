#pragma once
// The loaded scenarios and what has happened to them: which are enabled, how often each fired,
// and the decision for each new connection. Pure logic: no sockets, no timers, no threads. The
// daemon arms one timer at next_deadline() and calls expire_due(); the relay calls
// on_connection() at accept and reports back whether the planned action really ran.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "fault/clock.h"
#include "fault/connection_facts.h"
#include "fault/connection_fault_plan.h"
#include "fault/http_fault_plan.h"
#include "fault/http_request_facts.h"
#include "fault/overrides.h"
#include "fault/scenario.h"
#include "fault/scenario_loader.h"

namespace adbcfault::fault {

struct NotInjected {
  uint64_t flow = 0;
  std::string reason;
  std::chrono::system_clock::time_point at;
};

struct ScenarioSummary {
  std::string name;
  std::string layer;   // "tcp" for every connection-level action
  std::string action;  // action type
  std::string description;
  std::optional<std::string> reference;
  std::string file;
  bool enabled = false;
  uint64_t fired = 0;                 // since load, across enables
  std::optional<uint64_t> remaining;  // fires left in this enable; nullopt when times = 0
};

struct ScenarioStatus : ScenarioSummary {
  uint64_t injected = 0;                          // fires the relay confirmed
  std::map<std::string, std::string> parameters;  // action parameters of the last enable
  std::optional<std::chrono::system_clock::time_point> last_fired_at;
  std::optional<uint64_t> last_flow;
  std::vector<NotInjected> not_injected;  // oldest first, the last kNotInjectedKept
};

struct EngineError {
  enum class Code { kNotFound, kInvalidArgument };
  Code code = Code::kInvalidArgument;
  std::string message;
};

struct EnableResult {
  std::string name;
  std::map<std::string, std::string> parameters;  // effective action parameters
};

struct ReloadResult {
  size_t scenarios = 0;
  size_t files = 0;
  std::vector<std::string> disabled;  // were enabled, and were removed or changed behaviour
  std::vector<std::string> errors;    // non-empty: nothing changed
  bool ok() const { return errors.empty(); }
};

class ScenarioEngine {
 public:
  using OnDisabled = std::function<void(const std::string& name)>;
  static constexpr size_t kNotInjectedKept = 20;

  // `clock` must outlive the engine. `seed` makes probability rolls reproducible.
  ScenarioEngine(std::vector<Scenario> scenarios, const Clock& clock, uint64_t seed);

  // Called (outside the engine's lock) for each scenario that disable, disable_all, window
  // expiry or reload disables, even when it had already disabled itself after firing, so the
  // relay can end hangs that wait for "until disabled". Not called when a scenario disables
  // itself on reaching `times`.
  void set_on_disabled(OnDisabled callback);

  // The decision at accept. Enabled scenarios are tried in the order they were enabled; each that
  // matches counts the connection (skip, then probability) and the first to fire wins. Empty
  // plan: leave the connection alone.
  ConnectionFaultPlan on_connection(const ConnectionFacts& facts);
  // The decision once a TLS flow has named its host (SNI), among the TCP-layer scenarios that
  // match by `host` only: those could not match at accept, where no host is known; the others
  // had their turn there and are not counted twice.
  ConnectionFaultPlan on_connection_host(const ConnectionFacts& facts);
  // The decision per HTTP request, among scenarios of the HTTP layer, by the same rules.
  HttpFaultPlan on_http_request(const HttpRequestFacts& facts);
  void report_injected(const std::string& name, uint64_t flow_id);
  void report_not_injected(const std::string& name, uint64_t flow_id, std::string reason);

  // Enables `name` with per-enable overrides (see overrides.h); restarts its counts for this
  // enable (times, skip, window) but keeps its history. On error nothing changes.
  std::variant<EnableResult, EngineError> enable(const std::string& name,
                                                 const Overrides& overrides = {});
  std::optional<EngineError> disable(const std::string& name);
  std::vector<std::string> disable_all();  // returns the names that were enabled

  // Loads `paths` and swaps the set in whole, or changes nothing and returns the errors.
  ReloadResult reload(const std::vector<std::string>& paths);
  // The same with a set already loaded (tests, or a caller that loads elsewhere).
  ReloadResult reload_with(LoadResult loaded);

  // The earliest window end still to act on, for the daemon's single timer.
  std::optional<std::chrono::steady_clock::time_point> next_deadline() const;
  void expire_due();

  std::vector<ScenarioSummary> list() const;  // in load order
  // `host` patterns of the enabled scenarios: TLS to those hosts is intercepted so the scenario
  // can see (and fault) what is inside.
  std::vector<std::string> enabled_host_globs() const;
  std::optional<ScenarioStatus> status(const std::string& name) const;

 private:
  ConnectionFaultPlan decide_connection(const ConnectionFacts& facts, bool host_scenarios_only);
  struct State {
    Scenario definition;  // as loaded
    Scenario effective;   // definition + overrides of the last enable
    Overrides overrides;  // of the last enable
    bool enabled = false;
    uint64_t enable_order = 0;
    uint64_t fired = 0;
    uint64_t injected = 0;
    uint64_t fired_this_enable = 0;
    uint64_t skipped_this_enable = 0;
    // Kept after the scenario disables itself, so holds it started end with its window.
    std::optional<std::chrono::steady_clock::time_point> window_end;
    std::optional<std::chrono::system_clock::time_point> last_fired_at;
    std::optional<uint64_t> last_flow;
    std::deque<NotInjected> not_injected;
  };

  // Tries enabled scenarios in enable order; the first that matches and passes skip and
  // probability fires and is returned (counted), else null.
  template <typename Matches>
  State* fire_first_locked(Matches matches, uint64_t flow_id);
  State* find_locked(const std::string& name);
  const State* find_locked(const std::string& name) const;
  void expire_locked(std::vector<std::string>& ended);
  bool roll_locked(double probability);
  ScenarioSummary summary_locked(const State& state) const;
  void notify(const std::vector<std::string>& ended);

  const Clock& clock_;
  mutable std::mutex mutex_;
  std::vector<State> states_;
  uint64_t enable_counter_ = 0;
  std::mt19937_64 random_;
  OnDisabled on_disabled_;
};

}  // namespace adbcfault::fault
