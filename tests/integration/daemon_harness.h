#pragma once
// adbcfaultd under test, running in a client namespace with its own control socket and state
// directory in a private temp dir. Everything the daemon wrote to stderr, over every start in a
// test, is printed when the test has failed.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "process.h"
#include "temp_dir.h"

namespace adbcfault::testing {

class DaemonHarness {
 public:
  explicit DaemonHarness(std::string client_ns);
  ~DaemonHarness();  // SIGTERM (then SIGKILL) a running daemon; prints stderr if the test failed
  DaemonHarness(const DaemonHarness&) = delete;
  DaemonHarness& operator=(const DaemonHarness&) = delete;

  // adbcfaultd --socket S --state-dir D --intercept T... EXTRA..., without waiting.
  void start(const std::vector<std::string>& intercept,
             const std::vector<std::string>& extra_args = {});
  // Ready = `adbcfault --socket S --json status` exits 0 (the daemon answers only once its rules
  // are installed). Fails early, with the daemon's stderr, if the daemon exits first.
  ::testing::AssertionResult wait_ready(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ::testing::AssertionResult start_and_wait_ready(const std::vector<std::string>& intercept,
                                                  const std::vector<std::string>& extra_args = {});

  nlohmann::json status_json();  // throws std::runtime_error with the CLI's output on failure
  int64_t flows_total() { return status_json().at("flows").at("total").get<int64_t>(); }
  int64_t flows_live() { return status_json().at("flows").at("live").get<int64_t>(); }

  // SIGTERM and wait: the exit code, or nullopt if it did not exit in time (then SIGKILLed).
  std::optional<int> stop(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  void kill9();  // SIGKILL and reap: the crash case; rules stay behind
  bool running() const;

  // Runs adbcfaultd with exactly `args` to completion in the client namespace (bad starts).
  RunResult run_to_exit(std::vector<std::string> args,
                        std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // adbcfaultd --socket S --state-dir D --cleanup
  RunResult cleanup();

  std::string socket_path() const { return (dir_ / "control.sock").string(); }
  std::string state_dir() const { return (dir_ / "state").string(); }
  std::string stderr_report() const;  // every run's command line and stderr so far

 private:
  void retire_daemon();

  std::string ns_;
  TempDir dir_;
  std::unique_ptr<Process> daemon_;
  std::string history_;
};

}  // namespace adbcfault::testing
