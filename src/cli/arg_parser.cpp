#include "cli/arg_parser.h"

namespace adbcfault::cli {

namespace po = boost::program_options;

UsageError usage_error(std::string_view usage, std::string_view what) {
  std::string_view name = usage.substr(0, usage.find(' '));
  return UsageError{std::string(name) + ": " + std::string(what) + "; usage: adbcfault " +
                    std::string(usage)};
}

std::variant<ParsedArgs, UsageError> parse_args(std::string_view usage,
                                                const std::vector<std::string>& args,
                                                const po::options_description& options,
                                                std::size_t max_positional) {
  constexpr const char* kPositional = "positional-arguments";
  po::options_description all;
  all.add(options);
  all.add_options()(kPositional, po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add(kPositional, -1);

  ParsedArgs parsed;
  try {
    // No guessing: `--s` must not silently mean `--set`.
    auto style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    po::store(po::command_line_parser(args).options(all).positional(positional).style(style).run(),
              parsed.options);
    po::notify(parsed.options);
  } catch (const po::unknown_option& e) {
    return usage_error(usage, "unknown option " + e.get_option_name());
  } catch (const po::error& e) {
    return usage_error(usage, e.what());
  }
  if (parsed.options.count(kPositional)) {
    parsed.positional = parsed.options[kPositional].as<std::vector<std::string>>();
  }
  if (parsed.positional.size() > max_positional) {
    return usage_error(usage, "unexpected argument '" + parsed.positional[max_positional] + "'");
  }
  return parsed;
}

}  // namespace adbcfault::cli
