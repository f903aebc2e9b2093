#pragma once
// One CLI command: how it is spelled, how its arguments become a control request, and how the
// daemon's result is shown to a person. Adding a command is adding one Command.
//
// A sub-command is a Command whose name is two words ("calls wait"): `adbcfault calls wait ...`
// runs it. A command that has sub-commands takes no plain words of its own, so `calls frob` is an
// unknown sub-command rather than an argument.

#include <chrono>
#include <functional>
#include <iosfwd>
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
  // The CLI waits at least this long for the answer, even when --timeout is shorter: an op the
  // daemon answers late on purpose (calls_wait) asks for its own wait plus some slack.
  std::chrono::milliseconds min_timeout{0};
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
  // Set only for a command that runs in the CLI itself instead of asking the daemon (validate):
  // it gets the request `parse` built, prints its own output (as JSON when `json`) and returns
  // the exit status (cli/exit_status.h). `format` is then unused.
  std::function<int(const Request& request, bool json, std::ostream& out, std::ostream& err)>
      run_locally;
};

// A command found for the words a user typed, with the arguments left for its `parse`.
struct ResolvedCommand {
  const Command* command = nullptr;
  std::vector<std::string> args;
};

class CommandRegistry {
 public:
  void add(Command command);  // std::logic_error on a duplicate name
  const Command* find(std::string_view name) const;
  const std::vector<Command>& all() const { return commands_; }  // in the order added
  // "calls wait" when `args` start with "wait" and that sub-command exists, else `word`. An
  // unknown command, or a plain word after a command that has sub-commands but not that one, is
  // a usage error naming the choices.
  std::variant<ResolvedCommand, UsageError> resolve(const std::string& word,
                                                    const std::vector<std::string>& args) const;
  // The sub-commands of `name` ("calls count", ...), in the order added.
  std::vector<const Command*> subcommands(std::string_view name) const;

 private:
  std::vector<Command> commands_;
};

// Every command the CLI has, in the order --help lists them.
CommandRegistry builtin_commands();

}  // namespace adbcfault::cli
