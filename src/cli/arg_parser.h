#pragma once
// Parses one command's arguments with Boost.Program_options and turns every problem into a
// single usage line naming it.

#include <boost/program_options.hpp>
#include <cstdint>
#include <functional>
#include <optional>
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

// `usage` is the command's usage line ("enable NAME [--set KEY=VALUE]..."); its leading
// lower-case words name the command in messages. More than `max_positional` plain words is an
// error.
std::variant<ParsedArgs, UsageError> parse_args(
    std::string_view usage, const std::vector<std::string>& args,
    const boost::program_options::options_description& options, std::size_t max_positional);

// "enable: missing scenario NAME; usage: adbcfault enable NAME [--set KEY=VALUE]..."
UsageError usage_error(std::string_view usage, std::string_view what);

// The command's name at the start of a usage line: "calls wait" for "calls wait --method M ...".
std::string_view command_name_in(std::string_view usage);

// What is wrong with the arguments, without the command name or usage ("missing --method M").
// Thrown by `build` and the option readers below; parse_command turns it into a UsageError.
struct BadUsage {
  std::string what;
};

// parse_args, then `build` on what it parsed. A BadUsage from `build` becomes the usage error.
ParseResult parse_command(std::string_view usage, const std::vector<std::string>& args,
                          const boost::program_options::options_description& options,
                          std::size_t max_positional,
                          const std::function<Request(const ParsedArgs&)>& build);

// Option readers for `build`: nullopt when the option was not given.
std::optional<std::string> text_option(const ParsedArgs& parsed, const char* name);
// Decimal digits only ("0", "42"), else BadUsage "--NAME 'x' must be a whole number".
std::optional<std::uint64_t> number_option(const ParsedArgs& parsed, const char* name);
// A finite number above 0 ("5", "0.5"), else BadUsage.
std::optional<double> seconds_option(const ParsedArgs& parsed, const char* name);
// "A,B,C" as {"A","B","C"}; an empty list or an empty name in it is a BadUsage.
std::optional<std::vector<std::string>> list_option(const ParsedArgs& parsed, const char* name);

}  // namespace adbcfault::cli
