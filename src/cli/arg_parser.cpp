#include "cli/arg_parser.h"

#include <charconv>
#include <cmath>

namespace adbcfault::cli {

namespace po = boost::program_options;

std::string_view command_name_in(std::string_view usage) {
  std::size_t end = 0;
  while (end < usage.size()) {
    std::size_t word_end = std::min(usage.find(' ', end), usage.size());
    std::string_view word = usage.substr(end, word_end - end);
    bool is_name = !word.empty() && word[0] != '-' &&
                   word.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") == std::string_view::npos;
    if (!is_name) break;
    end = word_end + 1;
  }
  return usage.substr(0, end == 0 ? 0 : end - 1);
}

UsageError usage_error(std::string_view usage, std::string_view what) {
  return UsageError{std::string(command_name_in(usage)) + ": " + std::string(what) +
                    "; usage: adbcfault " + std::string(usage)};
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

ParseResult parse_command(std::string_view usage, const std::vector<std::string>& args,
                          const po::options_description& options, std::size_t max_positional,
                          const std::function<Request(const ParsedArgs&)>& build) {
  auto parsed = parse_args(usage, args, options, max_positional);
  if (auto* error = std::get_if<UsageError>(&parsed)) return *error;
  try {
    return build(std::get<ParsedArgs>(parsed));
  } catch (const BadUsage& bad) {
    return usage_error(usage, bad.what);
  }
}

std::optional<std::string> text_option(const ParsedArgs& parsed, const char* name) {
  if (!parsed.options.count(name)) return std::nullopt;
  return parsed.options[name].as<std::string>();
}

std::optional<std::uint64_t> number_option(const ParsedArgs& parsed, const char* name) {
  auto text = text_option(parsed, name);
  if (!text) return std::nullopt;
  std::uint64_t value = 0;
  const char* end = text->data() + text->size();
  auto [stop, ec] = std::from_chars(text->data(), end, value);
  // from_chars takes no sign or spaces, so digits only is all it accepts here.
  if (text->empty() || ec != std::errc() || stop != end) {
    throw BadUsage{"--" + std::string(name) + " '" + *text + "' must be a whole number"};
  }
  return value;
}

std::optional<double> seconds_option(const ParsedArgs& parsed, const char* name) {
  auto text = text_option(parsed, name);
  if (!text) return std::nullopt;
  double value = 0;
  const char* end = text->data() + text->size();
  auto [stop, ec] = std::from_chars(text->data(), end, value);
  if (text->empty() || ec != std::errc() || stop != end || !std::isfinite(value) || value <= 0) {
    throw BadUsage{"--" + std::string(name) + " '" + *text +
                   "' must be a number of seconds above 0"};
  }
  return value;
}

std::optional<std::vector<std::string>> list_option(const ParsedArgs& parsed, const char* name) {
  auto text = text_option(parsed, name);
  if (!text) return std::nullopt;
  std::vector<std::string> items;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = std::min(text->find(',', start), text->size());
    items.push_back(text->substr(start, comma - start));
    if (items.back().empty()) {
      throw BadUsage{"--" + std::string(name) + " '" + *text +
                     "' must be method names separated by commas, none of them empty"};
    }
    if (comma == text->size()) break;
    start = comma + 1;
  }
  return items;
}

}  // namespace adbcfault::cli
