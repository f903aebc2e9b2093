#include "integration_env.h"

#include "binaries.h"

namespace adbcfault::testing {

void NetnsTest::SetUp() {
  ADBCFAULT_REQUIRE_KERNEL_OR_SKIP();
  net.emplace();
  downloads.emplace("dl");
  daemon.emplace(net->client_ns());
}

void NetnsTest::serve_web() {
  web.emplace();
  target_http.emplace(net->server_ns(), server_address(), kTargetPort, web->path());
  other_http.emplace(net->server_ns(), server_address(), kOtherPort, web->path());
}

RunResult NetnsTest::curl(std::vector<std::string> args, std::chrono::milliseconds timeout) {
  std::vector<std::string> argv = {"curl", "--noproxy", "*", "-sS"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(net->client_ns(), std::move(argv), timeout);
}

RunResult NetnsTest::fetch(const std::string& url, std::filesystem::path* file) {
  const auto path = *downloads / ("fetch-" + std::to_string(++fetch_count_));
  if (file != nullptr) *file = path;
  return curl({"--max-time", "20", "-o", path.string(), url});
}

RunResult NetnsTest::tcp_client(uint16_t port, std::vector<std::string> args) {
  std::vector<std::string> argv = {tcp_client_path(), "--connect",
                                   server_address() + ":" + std::to_string(port)};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(net->client_ns(), std::move(argv));
}

RunResult NetnsTest::cli(std::vector<std::string> args, std::chrono::milliseconds timeout) {
  args.insert(args.begin(), {adbcfault_cli_path(), "--socket", daemon->socket_path()});
  return run(net->client_ns(), std::move(args), timeout);
}

nlohmann::json NetnsTest::cli_json(std::vector<std::string> args) {
  args.insert(args.begin(), "--json");
  auto result = cli(std::move(args));
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  if (!result.ok()) return nullptr;
  try {
    return nlohmann::json::parse(result.out);
  } catch (const nlohmann::json::exception& error) {
    ADD_FAILURE() << "not JSON (" << error.what() << "): " << result.describe();
    return nullptr;
  }
}

}  // namespace adbcfault::testing
