#include "daemon_harness.h"

#include <signal.h>

#include <iostream>
#include <stdexcept>

#include "binaries.h"
#include "wait.h"

namespace adbcfault::testing {

DaemonHarness::DaemonHarness(std::string client_ns) : ns_(std::move(client_ns)), dir_("daemon") {}

DaemonHarness::~DaemonHarness() {
  if (running()) stop(std::chrono::seconds(5));
  retire_daemon();
  if (::testing::Test::HasFailure()) {
    std::cerr << "==== adbcfaultd stderr (" << ns_ << ") ====\n"
              << history_ << "==== end of adbcfaultd stderr ====\n";
  }
}

void DaemonHarness::retire_daemon() {
  if (!daemon_) return;
  if (daemon_->running()) {
    daemon_->kill(SIGKILL);
    daemon_->wait_for_exit(std::chrono::seconds(10));
  }
  history_ += "$ " + join_argv(daemon_->argv()) + "\n" + daemon_->stderr_text() + "[exit " +
              std::to_string(daemon_->exit_code().value_or(-1)) + "]\n";
  daemon_.reset();
}

void DaemonHarness::start(const std::vector<std::string>& intercept,
                          const std::vector<std::string>& extra_args) {
  retire_daemon();
  std::vector<std::string> argv = {adbcfaultd_path(), "--socket", socket_path(), "--state-dir",
                                   state_dir()};
  for (const auto& target : intercept) {
    argv.push_back("--intercept");
    argv.push_back(target);
  }
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  daemon_ = std::make_unique<Process>(ns_, std::move(argv));
}

::testing::AssertionResult DaemonHarness::wait_ready(std::chrono::milliseconds timeout) {
  if (!daemon_) return ::testing::AssertionFailure() << "adbcfaultd was not started";
  RunResult last;
  const bool answered = wait_until(
      [&] {
        if (!daemon_->running()) return true;
        last = run(ns_, {adbcfault_cli_path(), "--socket", socket_path(), "--json", "status"},
                   std::chrono::seconds(5));
        return last.ok();
      },
      timeout, std::chrono::milliseconds(50));
  if (!daemon_->running()) {
    return ::testing::AssertionFailure()
           << "adbcfaultd exited " << daemon_->exit_code().value_or(-1)
           << " before it was ready; stderr:\n"
           << daemon_->stderr_text();
  }
  if (!answered) {
    return ::testing::AssertionFailure() << "adbcfaultd not ready after " << timeout.count()
                                         << " ms; last status: " << last.describe();
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult DaemonHarness::start_and_wait_ready(
    const std::vector<std::string>& intercept, const std::vector<std::string>& extra_args) {
  start(intercept, extra_args);
  return wait_ready();
}

nlohmann::json DaemonHarness::status_json() {
  auto result = run(ns_, {adbcfault_cli_path(), "--socket", socket_path(), "--json", "status"},
                    std::chrono::seconds(5));
  if (!result.ok()) throw std::runtime_error("status failed: " + result.describe());
  try {
    return nlohmann::json::parse(result.out);
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(std::string("status is not JSON: ") + error.what() + "\n" +
                             result.out);
  }
}

std::optional<int> DaemonHarness::stop(std::chrono::milliseconds timeout) {
  if (!daemon_) return std::nullopt;
  daemon_->kill(SIGTERM);
  auto code = daemon_->wait_for_exit(timeout);
  if (!code) {
    daemon_->kill(SIGKILL);
    daemon_->wait_for_exit(std::chrono::seconds(10));
  }
  return code;
}

void DaemonHarness::kill9() {
  if (!daemon_) return;
  daemon_->kill(SIGKILL);
  daemon_->wait_for_exit(std::chrono::seconds(10));
}

bool DaemonHarness::running() const { return daemon_ && daemon_->running(); }

RunResult DaemonHarness::run_to_exit(std::vector<std::string> args,
                                     std::chrono::milliseconds timeout) {
  args.insert(args.begin(), adbcfaultd_path());
  auto result = run(ns_, std::move(args), timeout);
  history_ += "$ " + join_argv(result.argv) + "\n" + result.err + "[exit " +
              std::to_string(result.exit_code) + (result.timed_out ? ", timed out" : "") + "]\n";
  return result;
}

RunResult DaemonHarness::cleanup() {
  return run_to_exit({"--socket", socket_path(), "--state-dir", state_dir(), "--cleanup"});
}

std::string DaemonHarness::stderr_report() const {
  std::string report = history_;
  if (daemon_) report += "$ " + join_argv(daemon_->argv()) + "\n" + daemon_->stderr_text();
  return report;
}

}  // namespace adbcfault::testing
