// Each command's arguments become exactly the request the protocol document promises.

#include <gtest/gtest.h>

#include "cli/arg_parser.h"
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

  Request parsed_request(const std::string& name, std::vector<std::string> args) {
    auto result = parse(name, std::move(args));
    if (auto* error = std::get_if<UsageError>(&result)) {
      ADD_FAILURE() << error->message;
      return Request{};
    }
    return std::get<Request>(result);
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

TEST_F(CommandParseTest, Calls) {
  EXPECT_EQ(request("calls", {}), Json::parse(R"({"op":"calls","args":{}})"));
  EXPECT_EQ(request("calls", {"--method", "FetchResults", "--since", "42"}),
            Json::parse(R"({"op":"calls","args":{"method":"FetchResults","since":42}})"));
  EXPECT_EQ(request("calls", {"--since=0"}), Json::parse(R"({"op":"calls","args":{"since":0}})"));
  EXPECT_EQ(usage_error("calls", {"--since", "x"}),
            "calls: --since 'x' must be a whole number; usage: adbcfault calls [--method M] "
            "[--since ID]");
  for (const char* bad : {"-1", "1.5", "", " 1", "+1", "18446744073709551616"}) {
    EXPECT_NE(usage_error("calls", {"--since", bad}).find("must be a whole number"),
              std::string::npos)
        << bad;
  }
  EXPECT_NE(usage_error("calls", {"--frob"}).find("calls: unknown option --frob"),
            std::string::npos);
  EXPECT_NE(usage_error("calls", {"--method"}).find("calls: "), std::string::npos);
  EXPECT_NE(usage_error("calls", {"x"}).find("unexpected argument 'x'"), std::string::npos);
}

TEST_F(CommandParseTest, CallsCount) {
  EXPECT_EQ(request("calls count", {"--method", "ExecuteStatement"}),
            Json::parse(R"({"op":"calls_count","args":{"method":"ExecuteStatement"}})"));
  EXPECT_EQ(request("calls count", {"--since", "7", "--method", "M"}),
            Json::parse(R"({"op":"calls_count","args":{"method":"M","since":7}})"));
  EXPECT_EQ(usage_error("calls count", {}),
            "calls count: missing --method M; usage: adbcfault calls count --method M "
            "[--since ID]");
  EXPECT_NE(usage_error("calls count", {"--method", "M", "--since", "soon"})
                .find("calls count: --since 'soon' must be a whole number"),
            std::string::npos);
  EXPECT_NE(usage_error("calls count", {"--method", "M", "--count", "1"})
                .find("calls count: unknown option --count"),
            std::string::npos);
}

TEST_F(CommandParseTest, CallsReset) {
  EXPECT_EQ(request("calls reset", {}), Json::parse(R"({"op":"calls_reset","args":{}})"));
  EXPECT_EQ(usage_error("calls reset", {"now"}),
            "calls reset: unexpected argument 'now'; usage: adbcfault calls reset");
  EXPECT_NE(usage_error("calls reset", {"--method", "M"}).find("unknown option --method"),
            std::string::npos);
}

TEST_F(CommandParseTest, CallsWait) {
  auto req =
      parsed_request("calls wait", {"--method", "FetchResults", "--count", "2", "--timeout", "10"});
  EXPECT_EQ(req.op, "calls_wait");
  EXPECT_EQ(req.args, Json::parse(R"({"method":"FetchResults","count":2,"timeout_seconds":10.0})"));
  // The CLI outwaits the daemon's own timeout, so the daemon gets to say it timed out.
  EXPECT_EQ(req.min_timeout, std::chrono::milliseconds(15'000));
  EXPECT_EQ(parsed_request("calls wait", {"--method", "M", "--count", "1", "--timeout", "0.25"})
                .min_timeout,
            std::chrono::milliseconds(5'250));
  EXPECT_EQ(
      request("calls wait", {"--method", "M", "--count", "1", "--timeout", "1.5", "--since", "9"}),
      Json::parse(R"({"op":"calls_wait",
                "args":{"method":"M","count":1,"timeout_seconds":1.5,"since":9}})"));
  // Other requests keep the global --timeout.
  EXPECT_EQ(parsed_request("calls", {}).min_timeout, std::chrono::milliseconds(0));
}

TEST_F(CommandParseTest, CallsWaitErrors) {
  EXPECT_EQ(usage_error("calls wait", {"--count", "1", "--timeout", "5"}),
            "calls wait: missing --method M; usage: adbcfault calls wait --method M --count N "
            "--timeout S [--since ID]");
  EXPECT_NE(
      usage_error("calls wait", {"--method", "M", "--timeout", "5"}).find("missing --count N"),
      std::string::npos);
  EXPECT_NE(usage_error("calls wait", {"--method", "M", "--count", "two", "--timeout", "5"})
                .find("--count 'two' must be a whole number"),
            std::string::npos);
  EXPECT_NE(usage_error("calls wait", {"--method", "M", "--count", "0", "--timeout", "5"})
                .find("--count must be at least 1"),
            std::string::npos);
  EXPECT_NE(
      usage_error("calls wait", {"--method", "M", "--count", "1"}).find("missing --timeout S"),
      std::string::npos);
  for (const char* bad : {"0", "-1", "abc", "nan", "inf", "5s", ""}) {
    EXPECT_NE(usage_error("calls wait", {"--method", "M", "--count", "1", "--timeout", bad})
                  .find("--timeout '" + std::string(bad) + "' must be a number of seconds above 0"),
              std::string::npos)
        << bad;
  }
  EXPECT_NE(usage_error("calls wait", {"--method", "M", "--count", "1", "--timeout", "5", "--x"})
                .find("calls wait: unknown option --x"),
            std::string::npos);
}

TEST_F(CommandParseTest, CallsVerify) {
  EXPECT_EQ(request("calls verify", {"--exact-sequence", "OpenSession,ExecuteStatement"}),
            Json::parse(R"({"op":"calls_verify",
                "args":{"exact_sequence":["OpenSession","ExecuteStatement"]}})"));
  EXPECT_EQ(request("calls verify", {"--contains-sequence", "FetchResults", "--since", "3"}),
            Json::parse(R"({"op":"calls_verify",
                "args":{"contains_sequence":["FetchResults"],"since":3}})"));
  EXPECT_EQ(request("calls verify", {"--method", "FetchResults", "--count", "0"}),
            Json::parse(R"({"op":"calls_verify","args":{"method":"FetchResults","count":0}})"));
  EXPECT_EQ(request("calls verify", {"--method", "CloseSession", "--exists"}),
            Json::parse(R"({"op":"calls_verify",
                "args":{"method":"CloseSession","exists":true}})"));
}

TEST_F(CommandParseTest, CallsVerifyErrors) {
  auto none = usage_error("calls verify", {});
  EXPECT_TRUE(
      none.starts_with("calls verify: missing the check: give --exact-sequence, "
                       "--contains-sequence, --method M --count N or --method M --exists; "
                       "usage: adbcfault calls verify --exact-sequence M1,M2,...|"))
      << none;
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  for (const auto& [args, says] : std::vector<Case>{
           {{"--method", "M", "--count", "1", "--exists"}, "give --count N or --exists, not both"},
           {{"--exists", "--count", "1"}, "give --count N or --exists, not both"},
           {{"--exact-sequence", "A", "--contains-sequence", "A"}, "give one check"},
           {{"--exact-sequence", "A", "--method", "M", "--count", "1"}, "give one check"},
           {{"--count", "1"}, "--count N needs --method M"},
           {{"--exists"}, "--exists needs --method M"},
           {{"--method", "M"}, "--method M needs --count N or --exists"},
           {{"--method", "M", "--exact-sequence", "A"}, "--method goes with --count or --exists"},
           {{"--method", "M", "--count", "many"}, "--count 'many' must be a whole number"},
           {{"--exact-sequence", "A,,B"}, "--exact-sequence 'A,,B' must be method names"},
           {{"--contains-sequence", "A,"}, "--contains-sequence 'A,' must be method names"},
           {{"--exact-sequence", ""}, "--exact-sequence '' must be method names"},
           {{"--exists", "--method", "M", "--since", "x"}, "--since 'x' must be a whole number"},
           {{"--method", "M", "--exists", "--frob"}, "unknown option --frob"},
       }) {
    auto message = usage_error("calls verify", args);
    EXPECT_TRUE(message.starts_with("calls verify: " + says)) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST_F(CommandParseTest, CallsAssertSameOperation) {
  EXPECT_EQ(
      request("calls assert-same-operation", {"--method", "FetchResults"}),
      Json::parse(R"({"op":"calls_assert_same_operation","args":{"method":"FetchResults"}})"));
  EXPECT_EQ(request("calls assert-same-operation", {"--method", "FetchResults", "--last", "3"}),
            Json::parse(R"({"op":"calls_assert_same_operation",
                "args":{"method":"FetchResults","last":3}})"));
  EXPECT_EQ(usage_error("calls assert-same-operation", {"--last", "3"}),
            "calls assert-same-operation: missing --method M; usage: adbcfault calls "
            "assert-same-operation --method M [--last N]");
  EXPECT_NE(usage_error("calls assert-same-operation", {"--method", "M", "--last", "x"})
                .find("--last 'x' must be a whole number"),
            std::string::npos);
  EXPECT_NE(usage_error("calls assert-same-operation", {"--method", "M", "--last", "1"})
                .find("--last must be at least 2"),
            std::string::npos);
  EXPECT_NE(usage_error("calls assert-same-operation", {"--method", "M", "--since", "1"})
                .find("unknown option --since"),
            std::string::npos);
}

TEST_F(CommandParseTest, Validate) {
  EXPECT_EQ(request("validate", {"a.yaml", "dir"}),
            Json::parse(R"({"op":"validate","args":{"files":["a.yaml","dir"]}})"));
  EXPECT_EQ(usage_error("validate", {}),
            "validate: missing FILE; usage: adbcfault validate FILE...");
  EXPECT_NE(usage_error("validate", {"a.yaml", "--strict"}).find("unknown option --strict"),
            std::string::npos);
  EXPECT_TRUE(static_cast<bool>(registry_.find("validate")->run_locally));
  EXPECT_FALSE(static_cast<bool>(registry_.find("calls")->run_locally));
}

class CommandResolveTest : public ::testing::Test {
 protected:
  // "calls count [--method, M]" or the usage error.
  std::string resolve(const std::string& word, std::vector<std::string> args) {
    auto resolved = registry_.resolve(word, args);
    if (auto* error = std::get_if<UsageError>(&resolved)) return "error: " + error->message;
    const auto& found = std::get<ResolvedCommand>(resolved);
    std::string text = found.command->name + " [";
    for (std::size_t i = 0; i < found.args.size(); ++i) text += (i ? ", " : "") + found.args[i];
    return text + "]";
  }

  CommandRegistry registry_ = builtin_commands();
};

TEST_F(CommandResolveTest, SubCommandsByTheirFirstWord) {
  EXPECT_EQ(resolve("calls", {}), "calls []");
  EXPECT_EQ(resolve("calls", {"--method", "count"}), "calls [--method, count]");
  EXPECT_EQ(resolve("calls", {"count", "--method", "M"}), "calls count [--method, M]");
  EXPECT_EQ(resolve("calls", {"reset"}), "calls reset []");
  EXPECT_EQ(resolve("calls", {"wait", "--count", "1"}), "calls wait [--count, 1]");
  EXPECT_EQ(resolve("calls", {"verify", "verify"}), "calls verify [verify]");
  EXPECT_EQ(resolve("calls", {"assert-same-operation"}), "calls assert-same-operation []");
  // Only a command with sub-commands looks at the next word: a scenario may be called "count".
  EXPECT_EQ(resolve("status", {"count"}), "status [count]");
}

TEST_F(CommandResolveTest, UnknownCommandsAndSubCommands) {
  EXPECT_EQ(resolve("calls", {"frob", "--method", "M"}),
            "error: calls: unknown sub-command 'frob' (sub-commands: count, reset, wait, verify, "
            "assert-same-operation); usage: adbcfault calls [--method M] [--since ID]");
  EXPECT_EQ(resolve("frobnicate", {}),
            "error: unknown command 'frobnicate' (commands: status, scenarios, enable, disable, "
            "reload, calls, validate, ca; see adbcfault --help)");
  EXPECT_NE(resolve("calls count", {}).find("unknown command 'calls count'"), std::string::npos);
  EXPECT_NE(resolve("count", {}).find("unknown command 'count'"), std::string::npos);
}

TEST(UsageError, NamesTheCommandByTheLeadingWordsOfItsUsage) {
  EXPECT_EQ(command_name_in("calls wait --method M"), "calls wait");
  EXPECT_EQ(command_name_in("calls assert-same-operation --method M"),
            "calls assert-same-operation");
  EXPECT_EQ(command_name_in("calls [--method M]"), "calls");
  EXPECT_EQ(command_name_in("disable NAME|--all"), "disable");
  EXPECT_EQ(command_name_in("reload"), "reload");
  EXPECT_EQ(usage_error("status [NAME]", "oops").message,
            "status: oops; usage: adbcfault status [NAME]");
}

TEST(CommandRegistry, FindsByExactNameAndRefusesDuplicates) {
  CommandRegistry registry = builtin_commands();
  std::vector<std::string> names;
  for (const auto& command : registry.all()) names.push_back(command.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"status", "scenarios", "enable", "disable", "reload", "calls",
                                      "calls count", "calls reset", "calls wait", "calls verify",
                                      "calls assert-same-operation", "validate", "ca"}));
  EXPECT_EQ(registry.find("stat"), nullptr);
  for (const auto& command : registry.all()) {
    EXPECT_EQ(command_name_in(command.usage), command.name) << command.usage;
    EXPECT_FALSE(command.summary.empty()) << command.name;
    EXPECT_NE(static_cast<bool>(command.format), static_cast<bool>(command.run_locally))
        << command.name << ": a command either asks the daemon or runs locally";
  }
  EXPECT_THROW(registry.add(Command{"status", "status", "again", {}, {}}), std::logic_error);
}

}  // namespace
}  // namespace adbcfault::cli
