#pragma once
// The commands builtin_commands() registers, one per file.

#include "cli/command.h"

namespace adbcfault::cli {

Command make_status_command();     // status_command.cpp
Command make_scenarios_command();  // scenarios_command.cpp
Command make_enable_command();     // enable_command.cpp
Command make_disable_command();    // disable_command.cpp
Command make_reload_command();     // reload_command.cpp

}  // namespace adbcfault::cli
