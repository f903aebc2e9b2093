#pragma once
// One CLI command: how it is spelled, how its arguments become a control request, and how the
// daemon's result is shown to a person. Adding a command is adding one Command.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace adbcfault::cli {

using Json = nlohmann::json;

struct Request {
  std::string op;
  Json args = Json::object();
};

struct UsageError {
  std::string message;  // one line, without the "adbcfault: " prefix
};

using ParseResult = std::variant<Request, UsageError>;

struct Command {
  std::string name;     // "enable"
  std::string usage;    // "enable NAME [--set KEY=VALUE]..."
  std::string summary;  // one line for --help
  // `args` are the words after the command name.
  std::function<ParseResult(const std::vector<std::string>& args)> parse;
  // Human-readable rendering of a successful result, ending in a newline. Gets the request too,
  // since one command may send different ops (status vs. status NAME).
  std::function<std::string(const Request& request, const Json& result)> format;
};

class CommandRegistry {
 public:
  void add(Command command);  // std::logic_error on a duplicate name
  const Command* find(std::string_view name) const;
  const std::vector<Command>& all() const { return commands_; }  // in the order added

 private:
  std::vector<Command> commands_;
};

// Every command the CLI has, in the order --help lists them.
CommandRegistry builtin_commands();

}  // namespace adbcfault::cli
