// Each command's arguments become exactly the request the protocol document promises.

#include <gtest/gtest.h>

#include "cli/command.h"

namespace adbcfault::cli {
namespace {

class CommandParseTest : public ::testing::Test {
 protected:
  ParseResult parse(const std::string& name, std::vector<std::string> args) {
    const Command* command = registry_.find(name);
    if (!command) throw std::runtime_error("no command " + name);
    return command->parse(args);
  }

  Json request(const std::string& name, std::vector<std::string> args) {
    auto result = parse(name, std::move(args));
    if (auto* error = std::get_if<UsageError>(&result)) {
      ADD_FAILURE() << error->message;
      return Json();
    }
    const auto& req = std::get<Request>(result);
    return Json{{"op", req.op}, {"args", req.args}};
  }

  std::string usage_error(const std::string& name, std::vector<std::string> args) {
    auto result = parse(name, std::move(args));
    if (auto* error = std::get_if<UsageError>(&result)) return error->message;
    ADD_FAILURE() << name << " parsed without error";
    return "";
  }

  CommandRegistry registry_ = builtin_commands();
};

TEST_F(CommandParseTest, Status) {
  EXPECT_EQ(request("status", {}), Json::parse(R"({"op":"status","args":{}})"));
  EXPECT_EQ(request("status", {"tcp_hang"}),
            Json::parse(R"({"op":"scenario_status","args":{"name":"tcp_hang"}})"));
  EXPECT_NE(usage_error("status", {"a", "b"}).find("unexpected argument 'b'"), std::string::npos);
}

TEST_F(CommandParseTest, Scenarios) {
  EXPECT_EQ(request("scenarios", {}), Json::parse(R"({"op":"scenarios","args":{}})"));
  EXPECT_NE(usage_error("scenarios", {"x"}).find("unexpected argument 'x'"), std::string::npos);
}

TEST_F(CommandParseTest, EnableWithoutOverrides) {
  EXPECT_EQ(request("enable", {"tcp_hang"}),
            Json::parse(R"({"op":"enable","args":{"name":"tcp_hang","set":{}}})"));
}

TEST_F(CommandParseTest, EnableWithOverridesKeepsValuesAsStrings) {
  EXPECT_EQ(request("enable", {"http_503", "--set", "status=503", "--set=retry_after=a=b", "--set",
                               "empty="}),
            Json::parse(R"({"op":"enable","args":{"name":"http_503",
                "set":{"status":"503","retry_after":"a=b","empty":""}}})"));
  // Options may come before the name too.
  EXPECT_EQ(request("enable", {"--set", "n=1", "x"})["args"]["name"], "x");
}

TEST_F(CommandParseTest, EnableErrors) {
  auto missing = usage_error("enable", {});
  EXPECT_NE(missing.find("missing scenario NAME"), std::string::npos) << missing;
  EXPECT_NE(missing.find("usage: adbcfault enable NAME [--set KEY=VALUE]..."), std::string::npos);

  auto no_equals = usage_error("enable", {"x", "--set", "status"});
  EXPECT_NE(no_equals.find("--set 'status' must look like KEY=VALUE"), std::string::npos)
      << no_equals;
  EXPECT_NE(usage_error("enable", {"x", "--set", "=1"}).find("KEY=VALUE"), std::string::npos);
  EXPECT_NE(usage_error("enable", {"x", "--set", "a=1", "--set", "a=2"}).find("a given twice"),
            std::string::npos);
  EXPECT_NE(usage_error("enable", {"x", "--frob"}).find("unknown option --frob"),
            std::string::npos);
  EXPECT_NE(usage_error("enable", {"x", "--se", "a=1"}).find("unknown option --se"),
            std::string::npos);  // no abbreviations
  EXPECT_NE(usage_error("enable", {"x", "y"}).find("unexpected argument 'y'"), std::string::npos);
}

TEST_F(CommandParseTest, Disable) {
  EXPECT_EQ(request("disable", {"tcp_hang"}),
            Json::parse(R"({"op":"disable","args":{"name":"tcp_hang"}})"));
  EXPECT_EQ(request("disable", {"--all"}), Json::parse(R"({"op":"disable","args":{"all":true}})"));
  EXPECT_NE(usage_error("disable", {}).find("missing scenario NAME (or --all)"), std::string::npos);
  EXPECT_NE(usage_error("disable", {"x", "--all"}).find("not both"), std::string::npos);
}

TEST_F(CommandParseTest, Reload) {
  EXPECT_EQ(request("reload", {}), Json::parse(R"({"op":"reload","args":{}})"));
}

TEST(CommandRegistry, FindsByExactNameAndRefusesDuplicates) {
  CommandRegistry registry = builtin_commands();
  std::vector<std::string> names;
  for (const auto& command : registry.all()) names.push_back(command.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"status", "scenarios", "enable", "disable", "reload"}));
  EXPECT_EQ(registry.find("stat"), nullptr);
  for (const auto& command : registry.all()) {
    EXPECT_TRUE(command.usage.starts_with(command.name)) << command.usage;
    EXPECT_FALSE(command.summary.empty()) << command.name;
  }
  EXPECT_THROW(registry.add(Command{"status", "status", "again", {}, {}}), std::logic_error);
}

}  // namespace
}  // namespace adbcfault::cli
