#include <algorithm>
#include <stdexcept>

#include "cli/arg_parser.h"
#include "cli/builtin_commands.h"
#include "cli/command.h"

namespace adbcfault::cli {
namespace {

bool is_top_level(const Command& command) { return command.name.find(' ') == std::string::npos; }

}  // namespace

void CommandRegistry::add(Command command) {
  if (find(command.name)) throw std::logic_error("CLI command '" + command.name + "' added twice");
  commands_.push_back(std::move(command));
}

const Command* CommandRegistry::find(std::string_view name) const {
  auto it = std::find_if(commands_.begin(), commands_.end(),
                         [&](const Command& command) { return command.name == name; });
  return it == commands_.end() ? nullptr : &*it;
}

std::vector<const Command*> CommandRegistry::subcommands(std::string_view name) const {
  std::vector<const Command*> found;
  for (const auto& command : commands_) {
    std::string_view candidate = command.name;
    if (candidate.size() > name.size() + 1 && candidate.starts_with(name) &&
        candidate[name.size()] == ' ') {
      found.push_back(&command);
    }
  }
  return found;
}

std::variant<ResolvedCommand, UsageError> CommandRegistry::resolve(
    const std::string& word, const std::vector<std::string>& args) const {
  const Command* command = word.find(' ') == std::string::npos ? find(word) : nullptr;
  if (!command) {
    std::string names;
    for (const auto& c : commands_) {
      if (is_top_level(c)) names += (names.empty() ? "" : ", ") + c.name;
    }
    return UsageError{"unknown command '" + word + "' (commands: " + names +
                      "; see adbcfault --help)"};
  }
  auto subs = subcommands(word);
  if (subs.empty() || args.empty() || args[0].starts_with('-')) {
    return ResolvedCommand{command, args};
  }
  if (const Command* sub = find(word + " " + args[0])) {
    return ResolvedCommand{sub, std::vector<std::string>(args.begin() + 1, args.end())};
  }
  std::string names;
  for (const auto* sub : subs) {
    names += (names.empty() ? "" : ", ") + sub->name.substr(word.size() + 1);
  }
  return usage_error(command->usage,
                     "unknown sub-command '" + args[0] + "' (sub-commands: " + names + ")");
}

CommandRegistry builtin_commands() {
  CommandRegistry registry;
  registry.add(make_status_command());
  registry.add(make_scenarios_command());
  registry.add(make_enable_command());
  registry.add(make_disable_command());
  registry.add(make_reload_command());
  registry.add(make_calls_command());
  registry.add(make_calls_count_command());
  registry.add(make_calls_reset_command());
  registry.add(make_calls_wait_command());
  registry.add(make_calls_verify_command());
  registry.add(make_calls_assert_same_operation_command());
  registry.add(make_validate_command());
  registry.add(make_ca_command());
  return registry;
}

}  // namespace adbcfault::cli
