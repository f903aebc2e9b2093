// adbcfault: the command-line client of adbcfaultd's control socket.

#include <cstdlib>
#include <iostream>

#include "cli/app.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return adbcfault::cli::run_cli(args, {std::getenv("ADBCFAULT_SOCKET")}, std::cout, std::cerr);
}
