#include "cli/app.h"

#include <algorithm>

#include "cli/command.h"
#include "cli/daemon_errors.h"
#include "cli/exit_status.h"
#include "cli/global_options.h"
#include "control/error_codes.h"
#include "control/line_client.h"
#include "control/protocol.h"

namespace adbcfault::cli {
namespace {

int fail(std::ostream& err, const std::string& message) {
  err << "adbcfault: " << message << "\n";
  return kExitError;
}

std::string command_names(const CommandRegistry& commands) {
  std::string names;
  for (const auto& command : commands.all()) names += (names.empty() ? "" : ", ") + command.name;
  return names;
}

bool wants_help(const std::vector<std::string>& args) {
  return std::any_of(args.begin(), args.end(),
                     [](const std::string& a) { return a == "--help" || a == "-h"; });
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

  const Command* command = commands.find(global.command);
  if (!command) {
    return fail(err, "unknown command '" + global.command +
                         "' (commands: " + command_names(commands) + "; see adbcfault --help)");
  }
  if (wants_help(global.command_args)) {
    out << "usage: adbcfault " << command->usage << "\n  " << command->summary << "\n";
    return kExitOk;
  }
  auto request = command->parse(global.command_args);
  if (auto* error = std::get_if<UsageError>(&request)) return fail(err, error->message);
  const auto& req = std::get<Request>(request);

  auto line = control::round_trip(global.socket_path, control::encode_request(req.op, req.args),
                                  global.timeout);
  if (auto* error = std::get_if<control::ClientError>(&line)) {
    return fail(err, describe_client_error(*error, global.socket_path, global.timeout));
  }
  std::string why;
  auto response = control::decode_response(std::get<std::string>(line), why);
  if (!response) {
    return fail(err, "adbcfaultd sent a malformed answer (" + why +
                         "): are the daemon and the CLI the same version?");
  }
  if (auto* error = std::get_if<control::Error>(&response->result)) {
    err << "adbcfault: " << error->message << "\n";
    return error->code == control::codes::kFailed ? kExitFailed : kExitError;
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
