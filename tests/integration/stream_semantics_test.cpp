// TCP stream semantics through the relay: half-close in either direction and reset propagation.
// Each case runs twice: Direct (no daemon; proves the fixture programs behave as the test claims)
// and ThroughDaemon (the same exchange, intercepted; it must look identical to both ends).

#include "integration_env.h"
#include "wait.h"

namespace adbcfault::testing {
namespace {

enum class Route { kDirect, kThroughDaemon };

void PrintTo(Route route, std::ostream* out) {
  *out << (route == Route::kDirect ? "Direct" : "ThroughDaemon");
}

class StreamSemanticsTest : public NetnsTest, public ::testing::WithParamInterface<Route> {
 protected:
  void start_server(const std::string& mode, std::vector<std::string> extra_args = {}) {
    tcp_server.emplace(net->server_ns(), server_address(), kFixturePort, mode,
                       std::move(extra_args));
    if (GetParam() == Route::kThroughDaemon) {
      ASSERT_TRUE(daemon->start_and_wait_ready({intercept(kFixturePort)}));
    }
  }

  // Through the daemon, every exchange must have been one intercepted flow.
  void expect_flows(int64_t count) {
    if (GetParam() != Route::kThroughDaemon) return;
    EXPECT_TRUE(wait_until([&] { return daemon->flows_total() == count; }, std::chrono::seconds(5)))
        << "flows.total=" << daemon->flows_total() << ", want " << count;
  }

  std::string server_line() {
    auto lines = tcp_server->wait_for_connections(1, std::chrono::seconds(10));
    return lines.empty() ? "(server reported no connection)" : lines.front();
  }
};

// (f) The client sends its request and shuts down its write side; the server reads to EOF and
// only then answers. The client must still get the whole (multi-MiB) answer.
TEST_P(StreamSemanticsTest, ClientHalfCloseStillGetsFullResponse) {
  start_server("reply-after-eof", {"--bytes", std::to_string(4 << 20)});
  auto client = tcp_client(kFixturePort, {"--send", "70000", "--shutdown-write", "1"});
  EXPECT_EQ(client.out, "received=4194304 pattern_ok=1 sent=70000\n") << client.describe();
  EXPECT_EQ(server_line(), "conn received=70000 pattern_ok=1 sent=4194304");
  expect_flows(1);
}

// (f) The server answers and shuts down its write side first; the client, after seeing EOF,
// keeps sending. Everything it sent, before and after the server's FIN, must arrive.
TEST_P(StreamSemanticsTest, ServerHalfCloseClientKeepsSending) {
  start_server("close-write-first", {"--bytes", "300000"});
  auto client = tcp_client(kFixturePort, {"--send", "1000", "--send-after-eof", "2000000"});
  EXPECT_EQ(client.out, "received=300000 pattern_ok=1 sent=2001000\n") << client.describe();
  EXPECT_EQ(server_line(), "conn received=2001000 pattern_ok=1 sent=300000");
  expect_flows(1);
}

// (g) A server that resets the connection: the client sees a reset, not a clean close.
TEST_P(StreamSemanticsTest, ServerResetReachesClient) {
  start_server("reset");
  auto client = tcp_client(kFixturePort, {"--send", "100"});
  EXPECT_EQ(client.exit_code, 3) << client.describe();
  EXPECT_TRUE(client.out.starts_with("error=ECONNRESET ")) << client.describe();

  auto curl_result = curl({"--max-time", "10", "-o", "/dev/null", url(kFixturePort, "anything")});
  EXPECT_EQ(curl_result.exit_code, 56) << curl_result.describe();
  EXPECT_NE(curl_result.err.find("Connection reset by peer"), std::string::npos)
      << curl_result.describe();
  expect_flows(2);
}

INSTANTIATE_TEST_SUITE_P(Routes, StreamSemanticsTest,
                         ::testing::Values(Route::kDirect, Route::kThroughDaemon),
                         [](const ::testing::TestParamInfo<Route>& info) {
                           return info.param == Route::kDirect ? "Direct" : "ThroughDaemon";
                         });

}  // namespace
}  // namespace adbcfault::testing
