#pragma once
// What to tell a person when the daemon cannot be reached, did not answer, or answered an error.

#include <chrono>
#include <filesystem>
#include <ostream>
#include <string>

#include "control/dispatcher.h"
#include "control/line_client.h"

namespace adbcfault::cli {

// One line without the "adbcfault: " prefix, saying what happened and what to do.
std::string describe_client_error(const control::ClientError& error,
                                  const std::filesystem::path& socket_path,
                                  std::chrono::milliseconds timeout);

// Prints the daemon's error answer as "adbcfault: MESSAGE", every line of the message as it came
// (a failed check explains itself at length), and returns the exit status its code means:
// kExitFailed for `failed`, else kExitError.
int print_daemon_error(const control::Error& error, std::ostream& err);

}  // namespace adbcfault::cli
