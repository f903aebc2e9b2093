#pragma once
// The commands builtin_commands() registers, one per file.

#include "cli/command.h"

namespace adbcfault::cli {

Command make_status_command();                       // status_command.cpp
Command make_scenarios_command();                    // scenarios_command.cpp
Command make_enable_command();                       // enable_command.cpp
Command make_disable_command();                      // disable_command.cpp
Command make_reload_command();                       // reload_command.cpp
Command make_ca_command();                           // ca_command.cpp
Command make_calls_command();                        // calls_command.cpp
Command make_calls_count_command();                  // calls_count_command.cpp
Command make_calls_reset_command();                  // calls_reset_command.cpp
Command make_calls_wait_command();                   // calls_wait_command.cpp
Command make_calls_verify_command();                 // calls_verify_command.cpp
Command make_calls_assert_same_operation_command();  // calls_assert_same_operation_command.cpp
Command make_validate_command();                     // validate_command.cpp

}  // namespace adbcfault::cli
