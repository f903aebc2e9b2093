#include "cli/global_options.h"

#include <gtest/gtest.h>

namespace adbcfault::cli {
namespace {

GlobalOptions parse_ok(std::vector<std::string> args, const char* env = nullptr) {
  auto parsed = parse_global_options(args, env);
  if (auto* error = std::get_if<UsageError>(&parsed)) ADD_FAILURE() << error->message;
  if (auto* global = std::get_if<GlobalOptions>(&parsed)) return *global;
  ADD_FAILURE() << "not a command invocation";
  return {};
}

std::string parse_error(std::vector<std::string> args) {
  auto parsed = parse_global_options(args, nullptr);
  if (auto* error = std::get_if<UsageError>(&parsed)) return error->message;
  ADD_FAILURE() << "parsed without error";
  return "";
}

TEST(GlobalOptions, Defaults) {
  auto global = parse_ok({"status"});
  EXPECT_EQ(global.socket_path, "/run/adbcfault/control.sock");
  EXPECT_FALSE(global.json);
  EXPECT_EQ(global.timeout, std::chrono::seconds(30));
  EXPECT_EQ(global.command, "status");
  EXPECT_TRUE(global.command_args.empty());
}

TEST(GlobalOptions, CommandArgumentsAreLeftForTheCommand) {
  auto global = parse_ok({"--json", "enable", "x", "--set", "a=1", "--socket", "s"});
  EXPECT_TRUE(global.json);
  EXPECT_EQ(global.command, "enable");
  EXPECT_EQ(global.command_args, (std::vector<std::string>{"x", "--set", "a=1", "--socket", "s"}));
  EXPECT_EQ(global.socket_path, "/run/adbcfault/control.sock");
}

TEST(GlobalOptions, JsonAfterTheCommandIsAccepted) {
  auto global = parse_ok({"scenarios", "--json"});
  EXPECT_TRUE(global.json);
  EXPECT_TRUE(global.command_args.empty());
}

TEST(GlobalOptions, SocketFlagBeatsEnvironment) {
  EXPECT_EQ(parse_ok({"status"}, "/tmp/env.sock").socket_path, "/tmp/env.sock");
  EXPECT_EQ(parse_ok({"--socket", "/tmp/flag.sock", "status"}, "/tmp/env.sock").socket_path,
            "/tmp/flag.sock");
  EXPECT_EQ(parse_ok({"--socket=/tmp/eq.sock", "status"}).socket_path, "/tmp/eq.sock");
  EXPECT_EQ(parse_ok({"status"}, "").socket_path, "/run/adbcfault/control.sock");
}

TEST(GlobalOptions, Timeout) {
  EXPECT_EQ(parse_ok({"--timeout", "0.25", "status"}).timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(parse_ok({"--timeout=90", "status"}).timeout, std::chrono::seconds(90));
  for (const char* bad : {"0", "-1", "abc", "1e9", "nan", ""}) {
    EXPECT_NE(parse_error({"--timeout", bad, "status"}).find("--timeout"), std::string::npos)
        << bad;
  }
}

TEST(GlobalOptions, HelpAndVersion) {
  EXPECT_TRUE(std::holds_alternative<ShowHelp>(parse_global_options({"--help"}, nullptr)));
  EXPECT_TRUE(std::holds_alternative<ShowHelp>(parse_global_options({"-h", "status"}, nullptr)));
  EXPECT_TRUE(std::holds_alternative<ShowVersion>(parse_global_options({"--version"}, nullptr)));
}

TEST(GlobalOptions, Errors) {
  EXPECT_EQ(parse_error({"--frobnicate", "status"}),
            "unknown option --frobnicate (see adbcfault --help)");
  EXPECT_EQ(parse_error({"--frob=1", "status"}), "unknown option --frob (see adbcfault --help)");
  EXPECT_NE(parse_error({"--sock", "x", "status"}).find("unknown option --sock"),
            std::string::npos);
  EXPECT_NE(parse_error({}).find("missing COMMAND"), std::string::npos);
  EXPECT_NE(parse_error({"--json"}).find("missing COMMAND"), std::string::npos);
  EXPECT_NE(parse_error({"--socket"}).find("--socket"), std::string::npos);
}

TEST(GlobalOptions, HelpListsEveryCommand) {
  auto registry = builtin_commands();
  auto help = cli_usage(registry);
  for (const auto& command : registry.all()) {
    EXPECT_NE(help.find("  " + command.usage), std::string::npos) << command.name;
  }
  EXPECT_NE(help.find("--socket PATH"), std::string::npos);
}

}  // namespace
}  // namespace adbcfault::cli
