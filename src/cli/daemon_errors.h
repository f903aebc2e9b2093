#pragma once
// What to tell a person when the daemon cannot be reached or did not answer.

#include <chrono>
#include <filesystem>
#include <string>

#include "control/line_client.h"

namespace adbcfault::cli {

// One line without the "adbcfault: " prefix, saying what happened and what to do.
std::string describe_client_error(const control::ClientError& error,
                                  const std::filesystem::path& socket_path,
                                  std::chrono::milliseconds timeout);

}  // namespace adbcfault::cli
