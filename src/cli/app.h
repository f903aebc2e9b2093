#pragma once
// The whole `adbcfault` command behind a function, so tests can run it without a process.

#include <ostream>
#include <string>
#include <vector>

namespace adbcfault::cli {

struct CliEnvironment {
  const char* socket = nullptr;  // $ADBCFAULT_SOCKET
};

// `args` excludes argv[0]. Returns the exit status (cli/exit_status.h).
int run_cli(const std::vector<std::string>& args, const CliEnvironment& env, std::ostream& out,
            std::ostream& err);

}  // namespace adbcfault::cli
