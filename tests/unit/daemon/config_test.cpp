#include "daemon/config.h"

#include <gtest/gtest.h>

#include <array>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace adbcfault::daemon {
namespace {

namespace fs = std::filesystem;

ParseOutcome parse(std::vector<std::string> args) {
  args.insert(args.begin(), "adbcfaultd");
  std::vector<const char*> argv;
  for (const auto& arg : args) argv.push_back(arg.c_str());
  argv.push_back(nullptr);
  return parse_daemon_flags(static_cast<int>(args.size()), argv.data());
}

Config parse_ok(std::vector<std::string> args) {
  auto outcome = parse(std::move(args));
  EXPECT_EQ(outcome.action, ParseOutcome::Action::run) << outcome.message;
  return outcome.config;
}

std::string parse_error(std::vector<std::string> args) {
  auto outcome = parse(std::move(args));
  EXPECT_EQ(outcome.action, ParseOutcome::Action::error);
  EXPECT_EQ(outcome.message.find('\n'), std::string::npos) << outcome.message;
  return outcome.message;
}

std::vector<std::string> targets(const Config& config) {
  std::vector<std::string> out;
  for (const auto& target : config.intercept) out.push_back(target.to_string());
  return out;
}

class ConfigFile {
 public:
  explicit ConfigFile(const std::string& text) {
    char pattern[] = "/tmp/adbcf-config-XXXXXX";
    int fd = ::mkstemp(pattern);
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    ::close(fd);
    path_ = pattern;
    std::ofstream(path_) << text;
  }
  ~ConfigFile() { ::unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(DaemonFlags, Defaults) {
  auto config = parse_ok({});
  EXPECT_EQ(config.socket_path, "/run/adbcfault/control.sock");
  EXPECT_EQ(config.state_dir, "/var/lib/adbcfault");
  EXPECT_EQ(config.scenario_dirs,
            (std::vector<fs::path>{ADBCFAULT_CATALOGUE_DIR, "/etc/adbcfault/scenarios"}));
  EXPECT_TRUE(config.scenario_dirs_are_defaults);
  EXPECT_EQ(targets(config), (std::vector<std::string>{"tcp/443", "tcp/80"}));
  EXPECT_FALSE(config.cleanup);
  EXPECT_FALSE(config.check_scenarios);
  EXPECT_EQ(config.tproxy_port, 15001);
  EXPECT_EQ(config.queue_num, 4097);
  EXPECT_FALSE(config.seed);
  EXPECT_EQ(config.log_level, LogLevel::info);
  EXPECT_FALSE(config.config_file);
}

TEST(DaemonFlags, EachFlag) {
  auto config =
      parse_ok({"--socket", "/tmp/a.sock", "--state-dir=/tmp/state", "--scenarios", "/tmp/s1",
                "--intercept", "tcp/8443", "--tproxy-port", "16000", "--queue-num", "0", "--seed",
                "18446744073709551615", "--log-level", "debug", "--cleanup"});
  EXPECT_EQ(config.socket_path, "/tmp/a.sock");
  EXPECT_EQ(config.state_dir, "/tmp/state");
  EXPECT_EQ(config.scenario_dirs, (std::vector<fs::path>{"/tmp/s1"}));
  EXPECT_FALSE(config.scenario_dirs_are_defaults);
  EXPECT_EQ(targets(config), (std::vector<std::string>{"tcp/8443"}));
  EXPECT_EQ(config.tproxy_port, 16000);
  EXPECT_EQ(config.queue_num, 0);
  EXPECT_EQ(config.seed, UINT64_MAX);
  EXPECT_EQ(config.log_level, LogLevel::debug);
  EXPECT_TRUE(config.cleanup);
  EXPECT_EQ(parse_ok({"--check-scenarios", "scenarios"}).check_scenarios, fs::path("scenarios"));
  EXPECT_EQ(parse_ok({"--log-level", "warn"}).log_level, LogLevel::warn);
  EXPECT_EQ(parse_ok({"--log-level", "error"}).log_level, LogLevel::error);
}

TEST(DaemonFlags, RepeatedFlagsAccumulateAndReplaceDefaults) {
  auto config = parse_ok({"--intercept", "tcp/443", "--intercept", "tcp/8000-8100@10.200.0.0/16",
                          "--scenarios", "/a", "--scenarios", "/b"});
  EXPECT_EQ(targets(config), (std::vector<std::string>{"tcp/443", "tcp/8000-8100@10.200.0.0/16"}));
  EXPECT_EQ(config.scenario_dirs, (std::vector<fs::path>{"/a", "/b"}));
}

TEST(DaemonFlags, HelpAndVersion) {
  EXPECT_EQ(parse({"--help"}).action, ParseOutcome::Action::help);
  EXPECT_EQ(parse({"--socket", "/x", "--help"}).action, ParseOutcome::Action::help);
  EXPECT_EQ(parse({"--version"}).action, ParseOutcome::Action::version);
  auto usage = daemon_usage();
  for (const char* flag : {"--config FILE", "--socket PATH", "--state-dir DIR", "--scenarios DIR",
                           "--intercept tcp/PORT[-PORT][@CIDR]", "--cleanup",
                           "--check-scenarios DIR", "--tproxy-port N", "--queue-num N", "--seed N",
                           "--log-level LEVEL", "--help", "--version"}) {
    EXPECT_NE(usage.find(flag), std::string::npos) << flag;
  }
}

TEST(DaemonFlags, FlagErrors) {
  EXPECT_EQ(parse_error({"--intercept", "tcp/70000"}),
            "--intercept tcp/70000: port 70000 is out of range 1-65535");
  EXPECT_EQ(parse_error({"--intercept", "tcp/443", "--intercept", "udp/53"}),
            "--intercept udp/53: must look like tcp/PORT[-PORT][@CIDR] (only tcp is supported)");
  EXPECT_EQ(parse_error({"--frobnicate"}), "unknown option --frobnicate (see adbcfaultd --help)");
  EXPECT_EQ(parse_error({"--sock", "/x"}), "unknown option --sock (see adbcfaultd --help)");
  EXPECT_EQ(parse_error({"stray"}),
            "unexpected argument 'stray': adbcfaultd takes only options (see adbcfaultd --help)");
  EXPECT_EQ(parse_error({"--tproxy-port", "0"}), "--tproxy-port 0: must be a port number 1-65535");
  EXPECT_EQ(parse_error({"--tproxy-port", "65536"}),
            "--tproxy-port 65536: must be a port number 1-65535");
  EXPECT_EQ(parse_error({"--queue-num", "-1"}), "--queue-num -1: must be a queue number 0-65535");
  EXPECT_EQ(parse_error({"--seed", "x"}), "--seed x: must be a non-negative integer below 2^64");
  EXPECT_EQ(parse_error({"--log-level", "loud"}),
            "--log-level loud: must be one of debug, info, warn, error");
  EXPECT_EQ(parse_error({"--state-dir", ""}), "--state-dir : must not be empty");
  EXPECT_NE(parse_error({"--socket", "/" + std::string(120, 's')}).find("at most 107"),
            std::string::npos);
  EXPECT_NE(parse_error({"--socket", "/a", "--socket", "/b"}).find("--socket given more than once"),
            std::string::npos);
  EXPECT_NE(parse_error({"--socket"}).find("--socket"), std::string::npos);
  EXPECT_NE(parse_error({"--cleanup", "--check-scenarios", "d"}).find("give one"),
            std::string::npos);
}

TEST(DaemonConfigFile, KeysAreRead) {
  ConfigFile file(
      "# adbcfaultd settings\n"
      "socket = /tmp/file.sock\n"
      "state-dir = /tmp/file-state   # trailing comment\n"
      "\n"
      "scenarios = /etc/x\n"
      "scenarios = /etc/y\n"
      "intercept = tcp/443\n"
      "intercept = tcp/9000-9001\n"
      "tproxy-port = 15555\n"
      "queue-num = 7\n"
      "seed = 42\n"
      "log-level = warn\n");
  auto config = parse_ok({"--config", file.path()});
  EXPECT_EQ(config.config_file, fs::path(file.path()));
  EXPECT_EQ(config.socket_path, "/tmp/file.sock");
  EXPECT_EQ(config.state_dir, "/tmp/file-state");
  EXPECT_EQ(config.scenario_dirs, (std::vector<fs::path>{"/etc/x", "/etc/y"}));
  EXPECT_FALSE(config.scenario_dirs_are_defaults);
  EXPECT_EQ(targets(config), (std::vector<std::string>{"tcp/443", "tcp/9000-9001"}));
  EXPECT_EQ(config.tproxy_port, 15555);
  EXPECT_EQ(config.queue_num, 7);
  EXPECT_EQ(config.seed, 42u);
  EXPECT_EQ(config.log_level, LogLevel::warn);
}

TEST(DaemonConfigFile, CommandLineWins) {
  ConfigFile file(
      "socket = /tmp/file.sock\n"
      "intercept = tcp/443\n"
      "intercept = tcp/80\n"
      "log-level = warn\n");
  auto config =
      parse_ok({"--config", file.path(), "--socket", "/tmp/flag.sock", "--intercept", "tcp/8080"});
  EXPECT_EQ(config.socket_path, "/tmp/flag.sock");
  EXPECT_EQ(targets(config), (std::vector<std::string>{"tcp/8080"}));  // replaces, not merges
  EXPECT_EQ(config.log_level, LogLevel::warn);                         // untouched by flags
}

TEST(DaemonConfigFile, BadValueNamesFileAndLine) {
  ConfigFile file(
      "socket = /tmp/x.sock\n"
      "intercept = tcp/443\n"
      "\n"
      "intercept = tcp/70000\n");
  EXPECT_EQ(parse_error({"--config", file.path()}),
            file.path() + ":4: intercept = tcp/70000: port 70000 is out of range 1-65535");
}

TEST(DaemonConfigFile, BadValueIgnoredWhenTheFlagOverridesIt) {
  ConfigFile file("tproxy-port = banana\n");
  EXPECT_EQ(parse_ok({"--config", file.path(), "--tproxy-port", "15002"}).tproxy_port, 15002);
}

TEST(DaemonConfigFile, Errors) {
  ConfigFile unknown("socket = /x\nfrobnicate = 1\n");
  EXPECT_EQ(parse_error({"--config", unknown.path()}),
            unknown.path() + ":2: unknown key 'frobnicate' (see adbcfaultd --help)");

  ConfigFile action_key("cleanup = true\n");
  EXPECT_NE(parse_error({"--config", action_key.path()}).find(":1: unknown key 'cleanup'"),
            std::string::npos);

  ConfigFile syntax("socket /x\n");
  EXPECT_EQ(parse_error({"--config", syntax.path()}),
            syntax.path() + ":1: 'socket /x' is not `key = value`");

  ConfigFile twice("socket = /a\nlog-level = info\nsocket = /b\n");
  EXPECT_EQ(parse_error({"--config", twice.path()}),
            twice.path() + ":3: socket is already set on line 1; set it once");

  ConfigFile sectioned("[daemon]\nsocket = /a\n");
  EXPECT_NE(parse_error({"--config", sectioned.path()}).find(":2: unknown key 'daemon.socket'"),
            std::string::npos);

  ConfigFile level("log-level = loud\n");
  EXPECT_EQ(parse_error({"--config", level.path()}),
            level.path() + ":1: log-level = loud: must be one of debug, info, warn, error");

  EXPECT_EQ(parse_error({"--config", "/nonexistent/adbcfaultd.conf"}),
            "--config /nonexistent/adbcfaultd.conf: cannot read it: No such file or directory");
}

}  // namespace
TEST(DaemonFlagsJournal, SizeDefaultsAndBounds) {
  EXPECT_EQ(parse_daemon_flags(1, std::array<const char*, 1>{"adbcfaultd"}.data()).config.journal_size,
            100000u);
  std::array<const char*, 3> ok = {"adbcfaultd", "--journal-size", "500"};
  EXPECT_EQ(parse_daemon_flags(3, ok.data()).config.journal_size, 500u);
  std::array<const char*, 3> zero = {"adbcfaultd", "--journal-size", "0"};
  auto outcome = parse_daemon_flags(3, zero.data());
  EXPECT_EQ(outcome.action, ParseOutcome::Action::error);
  EXPECT_NE(outcome.message.find("--journal-size 0"), std::string::npos) << outcome.message;
}

TEST(DaemonFlagsInspect, NoInspectTurnsHttpInspectionOff) {
  std::array<const char*, 1> plain = {"adbcfaultd"};
  EXPECT_TRUE(parse_daemon_flags(1, plain.data()).config.inspect_http);
  std::array<const char*, 2> off = {"adbcfaultd", "--no-inspect"};
  auto outcome = parse_daemon_flags(2, off.data());
  ASSERT_EQ(outcome.action, ParseOutcome::Action::run) << outcome.message;
  EXPECT_FALSE(outcome.config.inspect_http);
}

TEST(DaemonFlagsTls, InterceptEntriesRepeatAndUpstreamCa) {
  std::array<const char*, 7> argv = {"adbcfaultd", "--tls-intercept", "*.test", "--tls-intercept",
                                     "10.200.0.0/16", "--upstream-ca", "/etc/extra-ca.pem"};
  auto outcome = parse_daemon_flags(7, argv.data());
  ASSERT_EQ(outcome.action, ParseOutcome::Action::run) << outcome.message;
  EXPECT_EQ(outcome.config.tls_intercept, (std::vector<std::string>{"*.test", "10.200.0.0/16"}));
  EXPECT_FALSE(outcome.config.tls_intercept_is_default);
  EXPECT_EQ(outcome.config.upstream_ca, std::filesystem::path("/etc/extra-ca.pem"));
  std::array<const char*, 1> plain = {"adbcfaultd"};
  EXPECT_TRUE(parse_daemon_flags(1, plain.data()).config.tls_intercept_is_default);
}

TEST(DaemonFlagsThrift, BodyCapDefaultsAndBounds) {
  std::array<const char*, 1> plain = {"adbcfaultd"};
  EXPECT_EQ(parse_daemon_flags(1, plain.data()).config.thrift_body_cap, 16u << 20);
  std::array<const char*, 3> small = {"adbcfaultd", "--thrift-body-cap", "4096"};
  EXPECT_EQ(parse_daemon_flags(3, small.data()).config.thrift_body_cap, 4096u);
  std::array<const char*, 3> zero = {"adbcfaultd", "--thrift-body-cap", "0"};
  auto outcome = parse_daemon_flags(3, zero.data());
  EXPECT_EQ(outcome.action, ParseOutcome::Action::error);
  EXPECT_NE(outcome.message.find("--thrift-body-cap 0"), std::string::npos) << outcome.message;
}

}  // namespace adbcfault::daemon
