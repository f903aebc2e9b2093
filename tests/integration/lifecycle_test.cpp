// Start, stop, crash, restart and bad starts of adbcfaultd, judged by the kernel state it leaves:
// iptables-save, ip6tables-save, ip rule and every routing table of the client namespace.
// Rules and routes of other users are installed first (install_foreign_state) and must survive.

#include <regex>

#include "integration_env.h"
#include "net_snapshot.h"
#include "wait.h"

namespace adbcfault::testing {
namespace {

class LifecycleTest : public NetnsTest {
 protected:
  void SetUp() override {
    NetnsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    serve_web();
    install_foreign_state(net->client_ns());
    pristine = capture_net_state(net->client_ns());
  }

  NetState now() { return capture_net_state(net->client_ns()); }

  // A fetch of big.bin through the daemon: exact bytes, counted as one more flow.
  void expect_intercepted_fetch() {
    const int64_t total_before = daemon->flows_total();
    std::filesystem::path file;
    auto result = fetch(url(kTargetPort, "big.bin"), &file);
    ASSERT_TRUE(result.ok()) << result.describe();
    EXPECT_EQ(sha256_file(file), web->big().sha256);
    EXPECT_TRUE(wait_until([&] { return daemon->flows_total() == total_before + 1; },
                           std::chrono::seconds(5)))
        << "flows.total " << daemon->flows_total() << ", want " << total_before + 1;
  }

  NetState pristine;
};

// (d) Safety invariant 2, clean stop: SIGTERM removes every rule and route it added.
TEST_F(LifecycleTest, SigtermStopRestoresKernelState) {
  ASSERT_TRUE(daemon->start_and_wait_ready({intercept(kTargetPort)}));
  ASSERT_NE(describe_difference(pristine, now()), "")
      << "a running daemon changed nothing the snapshot sees: the comparison below would prove "
         "nothing";
  expect_intercepted_fetch();

  EXPECT_EQ(daemon->stop(), 0);
  EXPECT_EQ(describe_difference(pristine, now()), "");
}

// (d) Safety invariant 2, crash then --cleanup: same result as a clean stop; twice is harmless.
TEST_F(LifecycleTest, CleanupAfterKill9RestoresKernelState) {
  ASSERT_TRUE(daemon->start_and_wait_ready({intercept(kTargetPort)}));
  expect_intercepted_fetch();
  daemon->kill9();
  ASSERT_NE(describe_difference(pristine, now()), "") << "kill -9 left nothing to clean up?";

  auto cleanup = daemon->cleanup();
  EXPECT_EQ(cleanup.exit_code, 0) << cleanup.describe();
  EXPECT_EQ(describe_difference(pristine, now()), "");
  auto again = daemon->cleanup();
  EXPECT_EQ(again.exit_code, 0) << again.describe();
  EXPECT_EQ(describe_difference(pristine, now()), "");
}

// (e) Restart after a crash: the leftovers are replaced, not duplicated, and interception works.
TEST_F(LifecycleTest, RestartAfterKill9ReplacesRules) {
  ASSERT_TRUE(daemon->start_and_wait_ready({intercept(kTargetPort)}));
  const NetState first = now();
  daemon->kill9();

  ASSERT_TRUE(daemon->start_and_wait_ready({intercept(kTargetPort)}));
  EXPECT_EQ(describe_difference(first, now()), "");
  expect_intercepted_fetch();
  EXPECT_EQ(daemon->stop(), 0);
  EXPECT_EQ(describe_difference(pristine, now()), "");
}

// (h) Safety invariant 3: port 22 is never touched; a target that covers it is refused.
class Port22Test : public LifecycleTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(Port22Test, TargetCoveringPort22IsRefused) {
  auto result = daemon->run_to_exit({"--socket", daemon->socket_path(), "--state-dir",
                                     daemon->state_dir(), "--intercept", GetParam()});
  EXPECT_FALSE(result.timed_out) << "adbcfaultd started instead of refusing";
  EXPECT_NE(result.exit_code, 0) << result.describe();
  EXPECT_TRUE(std::regex_search(result.err, std::regex(R"((^|[^0-9])22([^0-9]|$))")))
      << "the refusal should mention port 22: " << result.describe();
  EXPECT_EQ(describe_difference(pristine, now()), "");
}

INSTANTIATE_TEST_SUITE_P(Targets, Port22Test,
                         ::testing::Values("tcp/1-1024", "tcp/22", "tcp/20-30@10.200.0.0/16"));

// (i) Bad start: refused with one line naming the culprit; nothing installed.
struct BadStart {
  const char* name;
  std::vector<std::string> args;
  std::string culprit;  // must appear in the error line
};

void PrintTo(const BadStart& bad, std::ostream* out) { *out << bad.name; }

class BadStartTest : public LifecycleTest, public ::testing::WithParamInterface<BadStart> {};

TEST_P(BadStartTest, RefusedWithOneLineAndNothingInstalled) {
  std::vector<std::string> args = {"--socket",    daemon->socket_path(),
                                   "--state-dir", daemon->state_dir(),
                                   "--intercept", intercept(kTargetPort)};
  args.insert(args.end(), GetParam().args.begin(), GetParam().args.end());
  auto result = daemon->run_to_exit(args);
  EXPECT_FALSE(result.timed_out) << "adbcfaultd started instead of refusing";
  EXPECT_NE(result.exit_code, 0) << result.describe();
  std::string error = result.err;
  while (error.ends_with('\n')) error.pop_back();
  EXPECT_EQ(error.find('\n'), std::string::npos) << "want exactly one line: " << result.describe();
  EXPECT_NE(error.find(GetParam().culprit), std::string::npos) << result.describe();
  EXPECT_EQ(describe_difference(pristine, now()), "");
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, BadStartTest,
    ::testing::Values(BadStart{"UnknownFlag", {"--no-such-flag"}, "--no-such-flag"},
                      BadStart{"PortOutOfRange", {"--intercept", "tcp/70000"}, "tcp/70000"},
                      BadStart{"NotTcp", {"--intercept", "udp/53"}, "udp/53"}),
    [](const ::testing::TestParamInfo<BadStart>& info) { return std::string(info.param.name); });

// A transparent-listener port that another program holds: refused before anything touches the
// kernel, with the port and the flag that changes it named.
TEST_F(LifecycleTest, BusyTproxyPortIsRefusedAndNothingInstalled) {
  Process holder(net->client_ns(),
                 {"/usr/bin/python3", "-c",
                  "import socket,time\n"
                  "s=socket.socket(); s.bind(('127.0.0.1', 15099)); s.listen(1)\n"
                  "print('bound', flush=True); time.sleep(60)"});
  ASSERT_TRUE(wait_until([&] { return holder.stdout_text().find("bound") != std::string::npos; },
                         std::chrono::seconds(10)))
      << holder.stderr_text();
  auto result = daemon->run_to_exit({"--socket", daemon->socket_path(), "--state-dir",
                                     daemon->state_dir(), "--intercept", intercept(kTargetPort),
                                     "--tproxy-port", "15099"});
  EXPECT_FALSE(result.timed_out) << "adbcfaultd started instead of refusing";
  EXPECT_NE(result.exit_code, 0) << result.describe();
  std::string error = result.err;
  while (error.ends_with('\n')) error.pop_back();
  EXPECT_EQ(error.find('\n'), std::string::npos) << "want exactly one line: " << result.describe();
  EXPECT_NE(error.find("127.0.0.1:15099"), std::string::npos) << result.describe();
  EXPECT_NE(error.find("--tproxy-port"), std::string::npos) << result.describe();
  EXPECT_EQ(describe_difference(pristine, now()), "");
}

}  // namespace
}  // namespace adbcfault::testing
