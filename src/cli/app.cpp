#include "cli/app.h"

#include <algorithm>

#include "cli/command.h"
#include "cli/daemon_errors.h"
#include "cli/exit_status.h"
#include "cli/global_options.h"
#include "control/line_client.h"
#include "control/protocol.h"

namespace adbcfault::cli {
namespace {

int fail(std::ostream& err, const std::string& message) {
  err << "adbcfault: " << message << "\n";
  return kExitError;
}

bool wants_help(const std::vector<std::string>& args) {
  return std::any_of(args.begin(), args.end(),
                     [](const std::string& a) { return a == "--help" || a == "-h"; });
}

// `adbcfault COMMAND --help`: the usage line, and the sub-commands when there are any.
std::string command_help(const CommandRegistry& commands, const Command& command) {
  std::string out = "usage: adbcfault " + command.usage + "\n  " + command.summary + "\n";
  auto subs = commands.subcommands(command.name);
  if (!subs.empty()) out += "\nsub-commands:\n";
  for (const auto* sub : subs) out += "  adbcfault " + sub->usage + "\n    " + sub->summary + "\n";
  return out;
}

}  // namespace

int run_cli(const std::vector<std::string>& args, const CliEnvironment& env, std::ostream& out,
            std::ostream& err) {
  const CommandRegistry commands = builtin_commands();
  auto parsed = parse_global_options(args, env.socket);
  if (std::holds_alternative<ShowHelp>(parsed)) {
    out << cli_usage(commands);
    return kExitOk;
  }
  if (std::holds_alternative<ShowVersion>(parsed)) {
    out << "adbcfault " << ADBCFAULT_VERSION << "\n";
    return kExitOk;
  }
  if (auto* error = std::get_if<UsageError>(&parsed)) return fail(err, error->message);
  const auto& global = std::get<GlobalOptions>(parsed);

  auto resolved = commands.resolve(global.command, global.command_args);
  if (auto* error = std::get_if<UsageError>(&resolved)) return fail(err, error->message);
  const auto& [command, command_args] = std::get<ResolvedCommand>(resolved);
  if (wants_help(command_args)) {
    out << command_help(commands, *command);
    return kExitOk;
  }
  auto request = command->parse(command_args);
  if (auto* error = std::get_if<UsageError>(&request)) return fail(err, error->message);
  const auto& req = std::get<Request>(request);
  if (command->run_locally) return command->run_locally(req, global.json, out, err);

  const auto timeout = std::max(global.timeout, req.min_timeout);
  auto line =
      control::round_trip(global.socket_path, control::encode_request(req.op, req.args), timeout);
  if (auto* error = std::get_if<control::ClientError>(&line)) {
    return fail(err, describe_client_error(*error, global.socket_path, timeout));
  }
  std::string why;
  auto response = control::decode_response(std::get<std::string>(line), why);
  if (!response) {
    return fail(err, "adbcfaultd sent a malformed answer (" + why +
                         "): are the daemon and the CLI the same version?");
  }
  if (auto* error = std::get_if<control::Error>(&response->result)) {
    return print_daemon_error(*error, err);
  }
  const auto& result = std::get<control::Json>(response->result);
  if (global.json || !result.is_object()) {
    out << result.dump(2, ' ', false, control::Json::error_handler_t::replace) << "\n";
  } else {
    out << command->format(req, result);
  }
  return kExitOk;
}

}  // namespace adbcfault::cli
