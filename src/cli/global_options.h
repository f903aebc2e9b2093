#pragma once
// The options before the command: `adbcfault [--socket PATH] [--json] [--timeout S] COMMAND ...`

#include <chrono>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "cli/command.h"

namespace adbcfault::cli {

inline constexpr char kDefaultSocket[] = "/run/adbcfault/control.sock";
inline constexpr std::chrono::milliseconds kDefaultTimeout{30'000};

struct GlobalOptions {
  std::filesystem::path socket_path = kDefaultSocket;
  bool json = false;
  std::chrono::milliseconds timeout = kDefaultTimeout;
  std::string command;
  std::vector<std::string> command_args;
};

struct ShowHelp {};
struct ShowVersion {};

using GlobalParse = std::variant<GlobalOptions, ShowHelp, ShowVersion, UsageError>;

// `args` excludes argv[0]. `env_socket` is $ADBCFAULT_SOCKET (may be null); --socket wins.
// `--json` is also accepted after the command, where people tend to type it.
GlobalParse parse_global_options(const std::vector<std::string>& args, const char* env_socket);

// The text of `adbcfault --help`.
std::string cli_usage(const CommandRegistry& commands);

}  // namespace adbcfault::cli
