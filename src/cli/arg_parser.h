#pragma once
// Parses one command's arguments with Boost.Program_options and turns every problem into a
// single usage line naming it.

#include <boost/program_options.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cli/command.h"

namespace adbcfault::cli {

struct ParsedArgs {
  boost::program_options::variables_map options;
  std::vector<std::string> positional;  // in order
};

// `usage` is the command's usage line ("enable NAME [--set KEY=VALUE]..."); its first word
// names the command in messages. More than `max_positional` plain words is an error.
std::variant<ParsedArgs, UsageError> parse_args(
    std::string_view usage, const std::vector<std::string>& args,
    const boost::program_options::options_description& options, std::size_t max_positional);

// "enable: missing scenario NAME; usage: adbcfault enable NAME [--set KEY=VALUE]..."
UsageError usage_error(std::string_view usage, std::string_view what);

}  // namespace adbcfault::cli
