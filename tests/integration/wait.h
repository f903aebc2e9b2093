#pragma once
// Bounded waiting for integration tests: poll a condition until it holds or a deadline passes.
// Tests never sleep for a fixed time; they wait for the thing they need, with a limit.

#include <chrono>
#include <functional>

namespace adbcfault::testing {

using namespace std::chrono_literals;

// Calls `done` every `poll_interval` until it returns true (returns true) or `timeout` has passed
// (returns false). `done` is always called at least once, and once more at the deadline.
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll_interval = 20ms);

}  // namespace adbcfault::testing
