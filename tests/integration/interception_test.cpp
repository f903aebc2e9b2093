// The interception core, end to end: a real curl with no proxy settings in the client namespace,
// a real HTTP server in the server namespace, adbcfaultd steering the target port between them.

#include <signal.h>

#include "integration_env.h"
#include "wait.h"

namespace adbcfault::testing {
namespace {

class InterceptionTest : public NetnsTest {
 protected:
  void SetUp() override {
    NetnsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    serve_web();
  }

  // Waits for flows.total to reach `expected` and every flow to have closed.
  ::testing::AssertionResult flows_settle_at(int64_t expected) {
    int64_t total = -1, live = -1;
    wait_until(
        [&] {
          total = daemon->flows_total();
          live = daemon->flows_live();
          return total >= expected && live == 0;
        },
        std::chrono::seconds(5));
    if (total == expected && live == 0) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "flows.total=" << total << " (want " << expected
                                         << "), flows.live=" << live << " (want 0)";
  }
};

// (a) The exact bytes arrive, through the daemon, in exactly one flow: a re-intercepted upstream
// connection would count twice (or loop).
TEST_F(InterceptionTest, PassThroughIsByteExactAndCountsOneFlow) {
  ASSERT_TRUE(daemon->start_and_wait_ready({intercept(kTargetPort)}));
  const auto before = daemon->status_json();
  EXPECT_TRUE(before.at("rules_installed").get<bool>()) << before.dump();
  const int64_t total_before = before.at("flows").at("total").get<int64_t>();
  const int64_t to_client_before = before.at("bytes").at("server_to_client").get<int64_t>();
  const int64_t to_server_before = before.at("bytes").at("client_to_server").get<int64_t>();
  const auto syn_count = [](const nlohmann::json& status, const char* which) {
    return status.at("counters").at(which).get<int64_t>();
  };

  std::filesystem::path file;
  auto result = fetch(url(kTargetPort, "big.bin"), &file);
  ASSERT_TRUE(result.ok()) << result.describe();
  EXPECT_EQ(std::filesystem::file_size(file), web->big().size);
  EXPECT_EQ(sha256_file(file), web->big().sha256);
  EXPECT_EQ(target_http->requests_logged("GET /big.bin"), 1);

  EXPECT_TRUE(flows_settle_at(total_before + 1));
  const auto after = daemon->status_json();
  EXPECT_GE(after.at("bytes").at("server_to_client").get<int64_t>() - to_client_before,
            static_cast<int64_t>(web->big().size))
      << after.dump();
  EXPECT_GT(after.at("bytes").at("client_to_server").get<int64_t>() - to_server_before, 0)
      << after.dump();
  // The classifier (on its own thread) saw curl's SYN and only that one: the daemon's upstream
  // SYN carries the bypass mark and never reaches the queue.
  EXPECT_EQ(syn_count(after, "syn_queued") - syn_count(before, "syn_queued"), 1) << after.dump();
  EXPECT_EQ(syn_count(after, "syn_intercepted") - syn_count(before, "syn_intercepted"), 1)
      << after.dump();
}

// (b) A port not given to --intercept is left alone; the target port, in the same test, is not.
TEST_F(InterceptionTest, NonTargetPortIsNotIntercepted) {
  ASSERT_TRUE(daemon->start_and_wait_ready({intercept(kTargetPort)}));
  const int64_t total_before = daemon->flows_total();

  std::filesystem::path file;
  auto other = fetch(url(kOtherPort, "big.bin"), &file);
  ASSERT_TRUE(other.ok()) << other.describe();
  EXPECT_EQ(sha256_file(file), web->big().sha256);
  EXPECT_FALSE(wait_until([&] { return daemon->flows_total() != total_before; },
                          std::chrono::milliseconds(500)))
      << "a fetch from non-target port " << kOtherPort << " was counted as a flow";
  EXPECT_EQ(daemon->flows_total(), total_before);

  auto target = fetch(url(kTargetPort, "small.txt"));  // the counter does count intercepted flows
  ASSERT_TRUE(target.ok()) << target.describe();
  EXPECT_TRUE(flows_settle_at(total_before + 1));
}

// (d) adbcfault steers IPv4 only. An IPv6 connection to a target port passes untouched, but not
// unseen: it is counted, `status` warns about it and the log names its destination, so a
// scenario that did not fire has a visible reason. (The lifecycle tests prove that stopping
// takes the IPv6 rules out again: they compare ip6tables-save too.)
TEST_F(InterceptionTest, Ipv6ConnectionToATargetPassesAndIsReported) {
  HttpServer local_ipv6(net->client_ns(), "::1", kTargetPort, web->path());
  ASSERT_TRUE(daemon->start_and_wait_ready({intercept(kTargetPort)}));
  const int64_t total_before = daemon->flows_total();

  const auto file = *downloads / "over-ipv6.bin";
  auto result = curl({"-g", "-f", "-o", file.string(), local_ipv6.url("big.bin")});
  ASSERT_TRUE(result.ok()) << result.describe();
  EXPECT_EQ(sha256_file(file), web->big().sha256);
  EXPECT_EQ(local_ipv6.requests_logged("GET /big.bin"), 1);

  nlohmann::json status;
  EXPECT_TRUE(wait_until(
      [&] {
        status = daemon->status_json();
        return status.at("counters").at("ipv6_not_intercepted") == 1;
      },
      std::chrono::seconds(5)))
      << status.dump();
  EXPECT_EQ(status.at("counters").at("syn_intercepted"), 0) << status.dump();
  EXPECT_EQ(daemon->flows_total(), total_before) << "the IPv6 connection was relayed";
  ASSERT_TRUE(status.contains("warnings")) << status.dump();

  auto shown = cli({"status"});
  ASSERT_EQ(shown.exit_code, 0) << shown.describe();
  EXPECT_NE(shown.out.find("warning: 1 IPv6 connection(s) to the targets passed without "
                           "interception"),
            std::string::npos)
      << shown.out;
  const std::string logged = "event=ipv6_not_intercepted dst=[::1]:" + std::to_string(kTargetPort);
  EXPECT_TRUE(wait_until([&] { return daemon->stderr_report().find(logged) != std::string::npos; },
                         std::chrono::seconds(5)))
      << daemon->stderr_report();

  // The watch fails open like the steering: with the daemon gone, its IPv6 rules still in place
  // and nobody on the queue, connections pass.
  daemon->kill9();
  auto after_crash =
      curl({"-g", "-f", "--max-time", "2", "-o", "/dev/null", local_ipv6.url("small.txt")});
  EXPECT_TRUE(after_crash.ok()) << after_crash.describe();
}

// (c) Safety invariant 1: after kill -9, new connections to the target port reach the server
// within 1 s (NFQUEUE --queue-bypass: no listener on the queue means packets pass).
TEST_F(InterceptionTest, FailsOpenWithinOneSecondAfterKill9) {
  ASSERT_TRUE(daemon->start_and_wait_ready({intercept(kTargetPort)}));
  auto through = fetch(url(kTargetPort, "small.txt"));
  ASSERT_TRUE(through.ok()) << through.describe();
  ASSERT_TRUE(flows_settle_at(1)) << "the fetch before the crash was not intercepted";

  daemon->kill9();
  ASSERT_FALSE(daemon->running());
  const auto crashed_at = std::chrono::steady_clock::now();
  RunResult attempt;
  std::chrono::milliseconds took{0};
  wait_until(
      [&] {
        const auto started = std::chrono::steady_clock::now();
        attempt = curl({"--max-time", "1", "-o", "/dev/null", url(kTargetPort, "small.txt")});
        took = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        return attempt.ok();
      },
      std::chrono::seconds(3), std::chrono::milliseconds(50));
  ASSERT_TRUE(attempt.ok()) << "no connection got through within 3 s of kill -9: "
                            << attempt.describe();
  EXPECT_LT(took.count(), 1000);
  EXPECT_LT(std::chrono::steady_clock::now() - crashed_at, std::chrono::seconds(3));
}

}  // namespace
}  // namespace adbcfault::testing
