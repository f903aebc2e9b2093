#include "fault/scenario_engine.h"

#include <algorithm>

namespace adbcfault::fault {
namespace {

EngineError not_found(const std::string& name) {
  return EngineError{EngineError::Code::kNotFound,
                     "no scenario named '" + name + "' (see 'adbcfault scenarios')"};
}

std::string join(const std::vector<std::string>& lines, std::string_view separator) {
  std::string text;
  for (const auto& line : lines) {
    if (!text.empty()) text += separator;
    text += line;
  }
  return text;
}

}  // namespace

ScenarioEngine::ScenarioEngine(std::vector<Scenario> scenarios, const Clock& clock, uint64_t seed)
    : clock_(clock), random_(seed) {
  for (auto& scenario : scenarios) {
    State state;
    state.effective = scenario;
    state.definition = std::move(scenario);
    states_.push_back(std::move(state));
  }
}

void ScenarioEngine::set_on_disabled(OnDisabled callback) {
  std::lock_guard lock(mutex_);
  on_disabled_ = std::move(callback);
}

ScenarioEngine::State* ScenarioEngine::find_locked(const std::string& name) {
  for (auto& state : states_) {
    if (state.definition.name == name) return &state;
  }
  return nullptr;
}

const ScenarioEngine::State* ScenarioEngine::find_locked(const std::string& name) const {
  for (const auto& state : states_) {
    if (state.definition.name == name) return &state;
  }
  return nullptr;
}

void ScenarioEngine::notify(const std::vector<std::string>& ended) {
  if (ended.empty()) return;
  OnDisabled callback;
  {
    std::lock_guard lock(mutex_);
    callback = on_disabled_;
  }
  // Outside the lock: the relay may call back into the engine (report_*) from the callback.
  if (!callback) return;
  for (const auto& name : ended) callback(name);
}

void ScenarioEngine::expire_locked(std::vector<std::string>& ended) {
  auto now = clock_.steady_now();
  for (auto& state : states_) {
    if (state.window_end && *state.window_end <= now) {
      state.enabled = false;
      state.window_end.reset();
      ended.push_back(state.definition.name);
    }
  }
}

bool ScenarioEngine::roll_locked(double probability) {
  // 53 random bits -> [0, 1), spelled out rather than std::uniform_real_distribution, whose output
  // differs between standard libraries; a seed then means the same sequence everywhere.
  double sample = static_cast<double>(random_() >> 11) * 0x1.0p-53;
  return sample < probability;
}

template <typename Matches>
ScenarioEngine::State* ScenarioEngine::fire_first_locked(Matches matches, uint64_t flow_id) {
  std::vector<State*> candidates;
  for (auto& state : states_) {
    if (state.enabled) candidates.push_back(&state);
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const State* a, const State* b) { return a->enable_order < b->enable_order; });

  for (State* state : candidates) {
    const Scenario& scenario = state->effective;
    if (!matches(scenario)) continue;
    if (state->skipped_this_enable < scenario.skip) {
      ++state->skipped_this_enable;
      continue;
    }
    // No roll at probability 1, so certain scenarios do not shift the seeded sequence.
    if (scenario.probability < 1.0 && !roll_locked(scenario.probability)) continue;

    ++state->fired;
    ++state->fired_this_enable;
    state->last_fired_at = clock_.system_now();
    state->last_flow = flow_id;
    if (scenario.times != 0 && state->fired_this_enable >= scenario.times) {
      state->enabled = false;  // one-shot (or n-shot) done; not a disable, so no callback
    }
    return state;
  }
  return nullptr;
}

ConnectionFaultPlan ScenarioEngine::on_connection(const ConnectionFacts& facts) {
  return decide_connection(facts, false);
}

ConnectionFaultPlan ScenarioEngine::on_connection_host(const ConnectionFacts& facts) {
  return decide_connection(facts, true);
}

ConnectionFaultPlan ScenarioEngine::decide_connection(const ConnectionFacts& facts,
                                                      bool host_scenarios_only) {
  std::vector<std::string> ended;
  ConnectionFaultPlan plan;
  {
    std::lock_guard lock(mutex_);
    expire_locked(ended);
    auto matches = [&](const Scenario& s) {
      if (host_scenarios_only && s.match.host_globs.empty()) return false;
      return s.action->layer == "tcp" && s.match.matches(facts);
    };
    if (State* state = fire_first_locked(matches, facts.flow_id)) {
      const Scenario& scenario = state->effective;
      plan = make_plan(*scenario.action, scenario.params, scenario.name);
    }
  }
  notify(ended);
  return plan;
}

HttpFaultPlan ScenarioEngine::on_http_request(const HttpRequestFacts& facts) {
  std::vector<std::string> ended;
  HttpFaultPlan plan;
  {
    std::lock_guard lock(mutex_);
    expire_locked(ended);
    auto matches = [&](const Scenario& s) {
      // An observing scenario never fires, so it never uses up a one-shot either.
      return s.action->layer == "http" && s.action->type != "observe" && s.match.matches_http(facts);
    };
    if (State* state = fire_first_locked(matches, facts.connection.flow_id)) {
      const Scenario& scenario = state->effective;
      plan = make_http_plan(*scenario.action, scenario.params, scenario.name,
                            effective_phase(*scenario.action, scenario.match.phase), facts);
    }
  }
  notify(ended);
  return plan;
}

void ScenarioEngine::report_injected(const std::string& name, uint64_t /*flow_id*/) {
  std::lock_guard lock(mutex_);
  // A scenario removed by a reload while its flow ran has nowhere to count; that is fine.
  if (State* state = find_locked(name)) ++state->injected;
}

void ScenarioEngine::report_not_injected(const std::string& name, uint64_t flow_id,
                                         std::string reason) {
  std::lock_guard lock(mutex_);
  State* state = find_locked(name);
  if (!state) return;
  state->not_injected.push_back(NotInjected{flow_id, std::move(reason), clock_.system_now()});
  while (state->not_injected.size() > kNotInjectedKept) state->not_injected.pop_front();
}

std::variant<EnableResult, EngineError> ScenarioEngine::enable(const std::string& name,
                                                               const Overrides& overrides) {
  std::lock_guard lock(mutex_);
  State* state = find_locked(name);
  if (!state) return not_found(name);
  auto applied = apply_overrides(state->definition, overrides);
  if (!applied.scenario) {
    return EngineError{EngineError::Code::kInvalidArgument, join(applied.errors, "; ")};
  }
  state->effective = std::move(*applied.scenario);
  state->overrides = overrides;
  state->enabled = true;
  state->enable_order = ++enable_counter_;
  state->fired_this_enable = 0;
  state->skipped_this_enable = 0;
  state->window_end.reset();
  if (state->effective.duration_seconds) {
    state->window_end =
        clock_.steady_now() + std::chrono::seconds(*state->effective.duration_seconds);
  }
  return EnableResult{name, state->effective.params.to_strings()};
}

std::optional<EngineError> ScenarioEngine::disable(const std::string& name) {
  {
    std::lock_guard lock(mutex_);
    State* state = find_locked(name);
    if (!state) return not_found(name);
    state->enabled = false;
    state->window_end.reset();
  }
  notify({name});
  return std::nullopt;
}

std::vector<std::string> ScenarioEngine::disable_all() {
  std::vector<std::string> were_enabled, ended;
  {
    std::lock_guard lock(mutex_);
    for (auto& state : states_) {
      if (state.enabled) were_enabled.push_back(state.definition.name);
      state.enabled = false;
      state.window_end.reset();
      ended.push_back(state.definition.name);
    }
  }
  notify(ended);
  return were_enabled;
}

ReloadResult ScenarioEngine::reload(const std::vector<std::string>& paths) {
  return reload_with(load_scenarios(paths));
}

ReloadResult ScenarioEngine::reload_with(LoadResult loaded) {
  ReloadResult result;
  if (!loaded.ok()) {
    result.errors = std::move(loaded.errors);
    return result;
  }
  result.scenarios = loaded.scenarios.size();
  result.files = loaded.files.size();

  std::vector<std::string> ended;
  {
    std::lock_guard lock(mutex_);
    for (const auto& state : states_) {
      bool kept = std::any_of(loaded.scenarios.begin(), loaded.scenarios.end(),
                              [&](const Scenario& s) { return s.name == state.definition.name; });
      if (kept) continue;
      if (state.enabled) result.disabled.push_back(state.definition.name);
      ended.push_back(state.definition.name);
    }
    std::vector<State> next;
    for (auto& scenario : loaded.scenarios) {
      // Names are unique, so each old state is found (and moved from) at most once.
      State* old = find_locked(scenario.name);
      if (!old) {
        State state;
        state.effective = scenario;
        state.definition = std::move(scenario);
        next.push_back(std::move(state));
        continue;
      }
      State state = std::move(*old);
      std::optional<Scenario> carried;
      if (same_behaviour(state.definition, scenario)) {
        // Same behaviour: keep the enable and its overrides; take the new prose and position.
        carried = apply_overrides(scenario, state.overrides).scenario;
      }
      if (!carried) {
        // Changed behaviour: an enabled test must not silently start doing something else, so
        // it is disabled like `disable NAME`; its history stays.
        if (state.enabled) result.disabled.push_back(scenario.name);
        ended.push_back(scenario.name);
        state.enabled = false;
        state.window_end.reset();
        state.overrides.clear();
        state.fired_this_enable = 0;
        state.skipped_this_enable = 0;
        carried = scenario;
      }
      state.effective = std::move(*carried);
      state.definition = std::move(scenario);
      next.push_back(std::move(state));
    }
    states_ = std::move(next);
  }
  notify(ended);
  return result;
}

std::optional<std::chrono::steady_clock::time_point> ScenarioEngine::next_deadline() const {
  std::lock_guard lock(mutex_);
  std::optional<std::chrono::steady_clock::time_point> earliest;
  for (const auto& state : states_) {
    if (state.window_end && (!earliest || *state.window_end < *earliest)) {
      earliest = state.window_end;
    }
  }
  return earliest;
}

void ScenarioEngine::expire_due() {
  std::vector<std::string> ended;
  {
    std::lock_guard lock(mutex_);
    expire_locked(ended);
  }
  notify(ended);
}

ScenarioSummary ScenarioEngine::summary_locked(const State& state) const {
  const Scenario& scenario = state.effective;
  ScenarioSummary summary;
  summary.name = scenario.name;
  summary.layer = scenario.action->layer;
  if (!scenario.match.thrift_methods.empty()) summary.layer = "thrift";
  summary.action = scenario.action->type;
  summary.description = scenario.description;
  summary.reference = scenario.reference;
  summary.file = scenario.where.file;
  summary.enabled = state.enabled;
  summary.fired = state.fired;
  if (scenario.times != 0) {
    summary.remaining = scenario.times - std::min(state.fired_this_enable, scenario.times);
  }
  return summary;
}

std::vector<ScenarioSummary> ScenarioEngine::list() const {
  std::lock_guard lock(mutex_);
  std::vector<ScenarioSummary> summaries;
  for (const auto& state : states_) summaries.push_back(summary_locked(state));
  return summaries;
}

std::optional<ScenarioStatus> ScenarioEngine::status(const std::string& name) const {
  std::lock_guard lock(mutex_);
  const State* state = find_locked(name);
  if (!state) return std::nullopt;
  ScenarioStatus status;
  static_cast<ScenarioSummary&>(status) = summary_locked(*state);
  status.injected = state->injected;
  status.parameters = state->effective.params.to_strings();
  status.last_fired_at = state->last_fired_at;
  status.last_flow = state->last_flow;
  status.not_injected.assign(state->not_injected.begin(), state->not_injected.end());
  return status;
}

std::vector<std::string> ScenarioEngine::enabled_host_globs() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> globs;
  for (const auto& state : states_) {
    if (!state.enabled) continue;
    const auto& hosts = state.effective.match.host_globs;
    globs.insert(globs.end(), hosts.begin(), hosts.end());
  }
  return globs;
}

}  // namespace adbcfault::fault
