#include "cli/global_options.h"

#include <algorithm>
#include <boost/program_options.hpp>
#include <charconv>
#include <cmath>

namespace adbcfault::cli {
namespace {

namespace po = boost::program_options;

constexpr char kSynopsis[] = "adbcfault [--socket PATH] [--json] [--timeout SECONDS] COMMAND ...";

po::options_description global_options() {
  po::options_description options;
  // clang-format off
  options.add_options()
      ("help,h", "print this help")
      ("version", "print the version")
      ("socket", po::value<std::string>(), "")
      ("json", "")
      ("timeout", po::value<std::string>(), "");
  // clang-format on
  return options;
}

UsageError global_usage_error(const std::string& what) {
  return UsageError{what + " (see adbcfault --help)"};
}

std::optional<std::chrono::milliseconds> parse_timeout(const std::string& text) {
  double seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(seconds) || seconds <= 0 || seconds > 86400) {
    return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000)));
}

}  // namespace

GlobalParse parse_global_options(const std::vector<std::string>& args, const char* env_socket) {
  auto options = global_options();

  // Global options end at the first plain word, the command; what follows is the command's.
  std::size_t command_at = args.size();
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word == "--") {
      command_at = i + 1;
      break;
    }
    if (word.size() < 2 || word[0] != '-') {
      command_at = i;
      break;
    }
    std::string name = word.starts_with("--") ? word.substr(2, word.find('=') - 2) : word;
    const po::option_description* option = options.find_nothrow(name, false);
    if (!option) return global_usage_error("unknown option " + word.substr(0, word.find('=')));
    if (option->semantic()->max_tokens() > 0 && word.find('=') == std::string::npos) ++i;
  }
  std::vector<std::string> before(args.begin(), args.begin() + std::min(command_at, args.size()));
  if (!before.empty() && before.back() == "--") before.pop_back();

  po::variables_map values;
  try {
    auto style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    po::store(po::command_line_parser(before).options(options).style(style).run(), values);
  } catch (const po::error& e) {
    return global_usage_error(e.what());
  }
  if (values.count("help")) return ShowHelp{};
  if (values.count("version")) return ShowVersion{};

  GlobalOptions global;
  if (values.count("socket")) {
    global.socket_path = values["socket"].as<std::string>();
  } else if (env_socket != nullptr && *env_socket != '\0') {
    global.socket_path = env_socket;
  }
  if (global.socket_path.empty()) return global_usage_error("--socket needs a path");
  global.json = values.count("json") > 0;
  if (values.count("timeout")) {
    const auto& text = values["timeout"].as<std::string>();
    auto timeout = parse_timeout(text);
    if (!timeout) {
      return global_usage_error("--timeout " + text +
                                ": must be a number of seconds, above 0 "
                                "and at most 86400");
    }
    global.timeout = *timeout;
  }
  if (command_at >= args.size()) {
    return UsageError{std::string("missing COMMAND; usage: ") + kSynopsis +
                      " (see adbcfault --help)"};
  }
  global.command = args[command_at];
  for (std::size_t i = command_at + 1; i < args.size(); ++i) {
    if (args[i] == "--json") {
      global.json = true;
    } else {
      global.command_args.push_back(args[i]);
    }
  }
  return global;
}

std::string cli_usage(const CommandRegistry& commands) {
  std::string out = std::string("usage: ") + kSynopsis +
                    "\n\nSwitches adbcfaultd's fault scenarios on and off and shows what they "
                    "did.\n\ncommands:\n";
  // Summaries line up after the usages; a usage too long for that gets its summary below it.
  constexpr std::size_t kWidestInline = 40;
  std::size_t width = 0;
  for (const auto& command : commands.all()) {
    if (command.usage.size() <= kWidestInline) width = std::max(width, command.usage.size());
  }
  for (const auto& command : commands.all()) {
    out += "  " + command.usage;
    if (command.usage.size() > width) out += "\n" + std::string(width + 2, ' ');
    out += std::string(width - std::min(width, command.usage.size()) + 2, ' ') + command.summary +
           "\n";
  }
  out += std::string("\noptions:\n") + "  --socket PATH      control socket (default " +
         kDefaultSocket +
         ", or $ADBCFAULT_SOCKET)\n"
         "  --json             print the daemon's result as JSON\n"
         "  --timeout SECONDS  how long to wait for the daemon's answer (default 30)\n"
         "  --help, --version\n"
         "\nexit status: 0 success, 1 an assertion or wait did not hold, 2 usage or daemon error\n";
  return out;
}

}  // namespace adbcfault::cli
