#include "scenario_fixture.h"

#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "binaries.h"

namespace adbcfault::testing {

std::string repo_scenarios_dir() { return ADBCF_REPO_SCENARIOS_DIR; }

const char kTestScenariosYaml[] = R"(# Written by scenario_fixture.cpp for one integration test.
scenarios:
  - name: it_first_byte_delay
    description: Integration test; the first response byte is held back for 2 s.
    action:
      type: delay
      milliseconds: 2000
      before: first_response_byte

  - name: it_refuse_upstream
    description: Integration test; never connect upstream, RST once the request arrives.
    action:
      type: refuse_upstream

  - name: it_coin
    description: Integration test; reset on accept with probability 0.5, until disabled.
    action:
      type: reset
    times: 0
    probability: 0.5

  - name: it_elsewhere
    description: Integration test; matches port 1 only, so it never fires here.
    match:
      port: 1
    action:
      type: reset
)";

namespace {

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

bool Transfer::was_reset() const { return curl_saw_reset(run.exit_code, run.err); }

bool curl_saw_reset(int exit_code, const std::string& verbose_stderr) {
  return (exit_code == 7 || exit_code == 55 || exit_code == 56) &&
         verbose_stderr.find("Connection reset by peer") != std::string::npos;
}

std::string parameter_text(const nlohmann::json& status, const std::string& key) {
  if (!status.is_object() || !status.contains("parameters")) return "(no parameters)";
  const auto& parameters = status["parameters"];
  if (!parameters.is_object() || !parameters.contains(key)) return "(no " + key + ")";
  const auto& value = parameters[key];
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string Transfer::describe() const {
  return run.describe() + "\nelapsed " + std::to_string(elapsed.count()) + " ms, header_bytes " +
         std::to_string(header_bytes) + ", body_bytes " + std::to_string(body_bytes);
}

void ScenarioTest::SetUp() {
  NetnsTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;
  serve_web();
  // A counting rule (no target) in the server namespace: one packet per new connection.
  auto counter = run(net->server_ns(), {"iptables", "-w", "-A", "INPUT", "-p", "tcp", "--dport",
                                        std::to_string(kTargetPort), "--syn"});
  ASSERT_TRUE(counter.ok()) << counter.describe();
  scenario_dir_.emplace("scen");
  write_scenario_file("tests_only.yaml", kTestScenariosYaml);
}

void ScenarioTest::write_scenario_file(const std::string& name, const std::string& yaml) {
  std::ofstream(scenario_dir() / name, std::ios::binary | std::ios::trunc) << yaml;
}

std::vector<std::string> ScenarioTest::daemon_args(const std::vector<std::string>& extra) const {
  std::vector<std::string> args = {"--scenarios", repo_scenarios_dir(), "--scenarios",
                                   scenario_dir().string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

::testing::AssertionResult ScenarioTest::start_daemon(const std::vector<std::string>& extra) {
  return daemon->start_and_wait_ready({intercept(kTargetPort)}, daemon_args(extra));
}

nlohmann::json ScenarioTest::control(const std::string& op, const nlohmann::json& args) {
  static const char* kScript =
      "import socket, sys\n"
      "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
      "s.settimeout(10)\n"
      "s.connect(sys.argv[1])\n"
      "s.sendall(sys.argv[2].encode() + b'\\n')\n"
      "data = b''\n"
      "while not data.endswith(b'\\n'):\n"
      "    chunk = s.recv(65536)\n"
      "    if not chunk: break\n"
      "    data += chunk\n"
      "sys.stdout.write(data.decode())\n";
  const nlohmann::json request = {{"v", 1}, {"op", op}, {"args", args}};
  auto result = run(net->client_ns(),
                    {"/usr/bin/python3", "-c", kScript, daemon->socket_path(), request.dump()});
  EXPECT_TRUE(result.ok()) << result.describe();
  try {
    auto response = nlohmann::json::parse(result.out);
    EXPECT_TRUE(response.value("ok", false)) << response.dump();
    return response.value("result", nlohmann::json());
  } catch (const nlohmann::json::exception& error) {
    ADD_FAILURE() << "control answer is not JSON (" << error.what() << "): " << result.describe();
    return nullptr;
  }
}

int64_t ScenarioTest::server_syns() {
  auto listed = run(net->server_ns(), {"iptables", "-w", "-n", "-v", "-x", "-L", "INPUT"});
  if (!listed.ok()) throw std::runtime_error("iptables -L: " + listed.describe());
  const std::string port = "dpt:" + std::to_string(kTargetPort);
  std::istringstream lines(listed.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(port) == std::string::npos) continue;
    std::istringstream fields(line);
    int64_t packets = -1;
    fields >> packets;
    return packets;
  }
  throw std::runtime_error("SYN counter rule not found:\n" + listed.out);
}

Transfer ScenarioTest::transfer(const std::string& path, std::chrono::seconds max_time,
                                std::vector<std::string> extra_curl_args) {
  Transfer result;
  result.file = *downloads / ("transfer-" + std::to_string(++transfer_count_));
  std::vector<std::string> args = {"-v", "--max-time", std::to_string(max_time.count()), "-o",
                                   result.file.string(), "-w", "%{size_header} %{size_download}"};
  args.insert(args.end(), extra_curl_args.begin(), extra_curl_args.end());
  args.push_back(target_url(path));
  const auto started = std::chrono::steady_clock::now();
  result.run = curl(std::move(args), max_time + std::chrono::seconds(10));
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  std::istringstream(result.run.out) >> result.header_bytes >> result.body_bytes;
  return result;
}

std::unique_ptr<Process> ScenarioTest::start_transfer(const std::string& path,
                                                      std::chrono::seconds max_time,
                                                      std::filesystem::path* file) {
  const auto out = *downloads / ("transfer-" + std::to_string(++transfer_count_));
  if (file != nullptr) *file = out;
  return std::make_unique<Process>(
      net->client_ns(),
      std::vector<std::string>{"curl", "--noproxy", "*", "-sS", "-v", "--max-time",
                               std::to_string(max_time.count()), "-o", out.string(), "-w",
                               "%{size_header} %{size_download}", target_url(path)});
}

bool ScenarioTest::is_prefix_of_big(const std::filesystem::path& file, std::size_t size) const {
  const std::string got = read_all(file);
  if (got.size() != size) return false;
  const std::string big = read_all(web->path() / web->big().name);
  return big.compare(0, size, got) == 0;
}

::testing::AssertionResult one_line_naming(const RunResult& result, const std::string& culprit) {
  std::string error = result.err;
  while (!error.empty() && error.back() == '\n') error.pop_back();
  if (error.empty()) return ::testing::AssertionFailure() << "no error message: " << result.describe();
  if (error.find('\n') != std::string::npos) {
    return ::testing::AssertionFailure() << "want exactly one line: " << result.describe();
  }
  if (error.find(culprit) == std::string::npos) {
    return ::testing::AssertionFailure() << "the error does not name '" << culprit
                                         << "': " << result.describe();
  }
  return ::testing::AssertionSuccess();
}

}  // namespace adbcfault::testing
