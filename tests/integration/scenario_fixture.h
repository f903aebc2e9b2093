#pragma once
// The fixture of the scenario tests (scenario_faults_test.cpp, scenario_control_test.cpp):
// adbcfaultd in the client namespace with the repo's shipped catalogue (scenarios/, by absolute
// source path) plus a per-test scenario directory of test-only YAML, intercepting the web
// server's port; and helpers to see what a real client (curl) and the server observed.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "integration_env.h"

namespace adbcfault::testing {

// The repo's scenarios/ directory (the shipped catalogue), fixed by CMake.
std::string repo_scenarios_dir();

// Test-only scenarios written into the fixture's own scenario directory (tests_only.yaml).
// it_first_byte_delay  delay 2000 ms before the first response byte
// it_refuse_upstream   refuse_upstream
// it_coin              reset on accept, probability 0.5, times 0 (until disabled)
// it_elsewhere         reset on accept, but only for port 1: never fires in these tests
extern const char kTestScenariosYaml[];

// What curl reported about one transfer.
struct Transfer {
  RunResult run;
  std::chrono::milliseconds elapsed{0};
  int64_t header_bytes = -1;  // curl's %{size_header}: status line and headers as received
  int64_t body_bytes = -1;    // curl's %{size_download}
  std::filesystem::path file;  // the body as written by curl

  int64_t total_bytes() const { return header_bytes + body_bytes; }
  // curl_saw_reset(run.exit_code, run.err)
  bool was_reset() const;
  std::string describe() const;
};

// What curl (run with -v) reports for a TCP reset: ECONNRESET's text, "Connection reset by peer",
// with exit 56 (on a read), 55 (on a send) or 7 (when the RST beats curl's check that its
// non-blocking connect completed: "connect to ... failed: Connection reset by peer"). A refused
// SYN says "Connection refused" instead, so it does not count.
bool curl_saw_reset(int exit_code, const std::string& verbose_stderr);

// A parameter from `status NAME` or `enable` as text, whether the daemon sends it as a JSON
// string or a number ("(no KEY)" when absent).
std::string parameter_text(const nlohmann::json& status, const std::string& key);

class ScenarioTest : public NetnsTest {
 protected:
  // Gate, namespaces, http.server on kTargetPort, a SYN counter in front of it, and the scenario
  // directory holding kTestScenariosYaml. The daemon is not started: call start_daemon().
  void SetUp() override;

  const std::filesystem::path& scenario_dir() const { return scenario_dir_->path(); }
  void write_scenario_file(const std::string& name, const std::string& yaml);

  // --scenarios <repo>/scenarios --scenarios <scenario_dir()> EXTRA...
  std::vector<std::string> daemon_args(const std::vector<std::string>& extra = {}) const;
  ::testing::AssertionResult start_daemon(const std::vector<std::string>& extra = {});

  nlohmann::json scenario_status(const std::string& name) { return cli_json({"status", name}); }
  nlohmann::json scenario_list() { return cli_json({"scenarios"}); }
  // One raw control-protocol request (for ops the CLI does not have yet, e.g. "calls").
  nlohmann::json control(const std::string& op, const nlohmann::json& args = nlohmann::json::object());

  // TCP SYNs (new connections) that reached the server namespace for kTargetPort: counted by an
  // iptables rule there, so it sees connections the web server would not log (no request).
  int64_t server_syns();

  // curl -o FILE -w '%{size_header} %{size_download}' --max-time MAX URL, timed.
  Transfer transfer(const std::string& path, std::chrono::seconds max_time = std::chrono::seconds(20),
                    std::vector<std::string> extra_curl_args = {});
  // The same curl, started in the background (the test's main thread owns it).
  std::unique_ptr<Process> start_transfer(const std::string& path, std::chrono::seconds max_time,
                                          std::filesystem::path* file = nullptr);

  // True when `file` holds exactly the first `size` bytes of big.bin.
  bool is_prefix_of_big(const std::filesystem::path& file, std::size_t size) const;

  std::string target_url(const std::string& path) const { return url(kTargetPort, path); }

 private:
  std::optional<TempDir> scenario_dir_;
  int transfer_count_ = 0;
};

// A CLI error as users see it: exactly one line on stderr, naming `culprit`.
::testing::AssertionResult one_line_naming(const RunResult& result, const std::string& culprit);

}  // namespace adbcfault::testing
