#include <algorithm>
#include <stdexcept>

#include "cli/builtin_commands.h"
#include "cli/command.h"

namespace adbcfault::cli {

void CommandRegistry::add(Command command) {
  if (find(command.name)) throw std::logic_error("CLI command '" + command.name + "' added twice");
  commands_.push_back(std::move(command));
}

const Command* CommandRegistry::find(std::string_view name) const {
  auto it = std::find_if(commands_.begin(), commands_.end(),
                         [&](const Command& command) { return command.name == name; });
  return it == commands_.end() ? nullptr : &*it;
}

CommandRegistry builtin_commands() {
  CommandRegistry registry;
  registry.add(make_status_command());
  registry.add(make_scenarios_command());
  registry.add(make_enable_command());
  registry.add(make_disable_command());
  registry.add(make_reload_command());
  return registry;
}

}  // namespace adbcfault::cli
