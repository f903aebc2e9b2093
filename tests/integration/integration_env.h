#pragma once
// The base fixture of the integration tests: gate, namespaces, servers, daemon, in that order.
// Members are destroyed in reverse, so the daemon stops before the servers, and the namespaces
// go last, taking anything that survived with them.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "daemon_harness.h"
#include "kernel_gate.h"
#include "netns_fixture.h"
#include "process.h"
#include "servers.h"
#include "temp_dir.h"

namespace adbcfault::testing {

class NetnsTest : public ::testing::Test {
 protected:
  static constexpr uint16_t kTargetPort = 8080;   // given to --intercept
  static constexpr uint16_t kOtherPort = 8081;    // never given to --intercept
  static constexpr uint16_t kFixturePort = 9000;  // tcp_server fixtures

  static std::string intercept(uint16_t port) { return "tcp/" + std::to_string(port); }

  void SetUp() override;  // the gate, then a NetnsPair and a DaemonHarness (not started)
  // WebRoot served by http.server on kTargetPort and kOtherPort in the server namespace.
  void serve_web();

  // curl --noproxy '*' -sS ARGS... in the client namespace (no proxy: interception is transparent).
  RunResult curl(std::vector<std::string> args,
                 std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Downloads `url` to a fresh file in downloads and returns the result; `file` gets its path.
  RunResult fetch(const std::string& url, std::filesystem::path* file = nullptr);
  // adbcfault --socket S ARGS... in the client namespace.
  RunResult cli(std::vector<std::string> args,
                std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // adbcfault --socket S --json ARGS...: the parsed result; fails the test (returns null) unless
  // it exits 0 with JSON.
  nlohmann::json cli_json(std::vector<std::string> args);
  // Runs tests/fixtures/tcp_client in the client namespace against server_address():port.
  RunResult tcp_client(uint16_t port, std::vector<std::string> args);

  const std::string& server_address() const { return net->server_address(); }
  std::string url(uint16_t port, const std::string& path) const {
    return "http://" + server_address() + ":" + std::to_string(port) + "/" + path;
  }

  std::optional<NetnsPair> net;
  std::optional<WebRoot> web;
  std::optional<HttpServer> target_http;
  std::optional<HttpServer> other_http;
  std::optional<TcpFixtureServer> tcp_server;
  std::optional<DaemonHarness> daemon;
  std::optional<TempDir> downloads;

 private:
  int fetch_count_ = 0;
};

}  // namespace adbcfault::testing
