#include "daemon/config.h"

#include <sys/un.h>

#include <boost/program_options.hpp>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace adbcfault::daemon {
namespace {

namespace po = boost::program_options;

constexpr char kSynopsis[] =
    "usage: adbcfaultd [--config FILE] [--socket PATH] [--state-dir DIR] [--scenarios DIR]...\n"
    "                  [--intercept tcp/PORT[-PORT][@CIDR]]... [--cleanup]\n"
    "                  [--check-scenarios DIR] [--tproxy-port N] [--queue-num N] [--seed N]\n"
    "                  [--journal-size N] [--no-inspect] [--tls-intercept HOST-GLOB|CIDR]...\n"
    "                  [--upstream-ca FILE] [--thrift-body-cap BYTES]\n"
    "                  [--log-level debug|info|warn|error] [--help] [--version]\n";

constexpr char kHelpHint[] = " (see adbcfaultd --help)";
constexpr char kPositional[] = "unexpected-argument";

// Thrown inside this file only, to leave deep validation with one message; never escapes.
struct FlagError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Keys a config file may set: every flag except the one-shot actions.
po::options_description file_options() {
  po::options_description options("settings (flags, or `key = value` lines in a --config file)");
  // clang-format off
  options.add_options()
      ("socket", po::value<std::string>()->value_name("PATH"),
       "control socket (default /run/adbcfault/control.sock)")
      ("state-dir", po::value<std::string>()->value_name("DIR"),
       "where the CA and other state live (default /var/lib/adbcfault)")
      ("scenarios", po::value<std::vector<std::string>>()->value_name("DIR"),
       "scenario directory; repeat for more; replaces the defaults " ADBCFAULT_CATALOGUE_DIR
       " and /etc/adbcfault/scenarios (each skipped when missing)")
      ("intercept", po::value<std::vector<std::string>>()->value_name("tcp/PORT[-PORT][@CIDR]"),
       "traffic to steer; repeat for more; replaces the default tcp/443 and tcp/80")
      ("tproxy-port", po::value<std::string>()->value_name("N"),
       "port of the transparent listener (default 15001)")
      ("queue-num", po::value<std::string>()->value_name("N"),
       "NFQUEUE number for new connections (default 4097)")
      ("tls-intercept", po::value<std::vector<std::string>>()->value_name("HOST-GLOB|CIDR"),
       "TLS to intercept: a host pattern matched against SNI, or an address/CIDR for clients "
       "that send no SNI; repeat for more; replaces the defaults (Databricks workspaces, S3, "
       "Azure storage, GCS; see docs/tls.md)")
      ("upstream-ca", po::value<std::string>()->value_name("FILE"),
       "extra CA certificates (PEM) trusted for upstream servers, besides the system store")
      ("no-inspect", po::value<std::string>()->value_name("")->implicit_value("true"),
       "relay bytes without reading HTTP: no call journal, no per-request scenarios (what the "
       "pass-through benchmark measures)")
      ("thrift-body-cap", po::value<std::string>()->value_name("BYTES"),
       "largest Thrift body held and decoded (default 16777216); larger ones are relayed "
       "undecoded, with a note in the journal")
      ("journal-size", po::value<std::string>()->value_name("N"),
       "calls the journal keeps, oldest dropped first (default 100000)")
      ("seed", po::value<std::string>()->value_name("N"),
       "seed for probabilities, so a run can be repeated (default: random)")
      ("log-level", po::value<std::string>()->value_name("LEVEL"),
       "debug, info, warn or error (default info)");
  // clang-format on
  return options;
}

po::options_description command_line_options() {
  po::options_description actions("actions");
  // clang-format off
  actions.add_options()
      ("config", po::value<std::string>()->value_name("FILE"),
       "read settings from FILE; flags on the command line win")
      ("cleanup", "remove every rule and route adbcfaultd could have left, then exit")
      ("check-scenarios", po::value<std::string>()->value_name("DIR"),
       "validate the scenario files in DIR, then exit")
      ("help", "print this help")
      ("version", "print the version");
  // clang-format on
  po::options_description all;
  all.add(actions).add(file_options());
  return all;
}

bool is_repeatable(const std::string& key) {
  return key == "scenarios" || key == "intercept" || key == "tls-intercept";
}

std::string trim(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return "";
  auto last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

std::string trim_right(const std::string& text) {
  return text.substr(0, text.find_last_not_of(' ') + 1);
}

// Where each key was set in a config file. Boost's INI reader keeps no line numbers, so this
// reads the file the same way ('#' starts a comment, `[s]` prefixes keys with "s.") to name
// FILE:LINE in errors, and checks syntax and keys itself for the same reason.
class ConfigFileIndex {
 public:
  ConfigFileIndex(std::string file, const std::string& text, const po::options_description& allowed)
      : file_(std::move(file)) {
    std::istringstream lines(text);
    std::string raw, section;
    for (int number = 1; std::getline(lines, raw); ++number) {
      std::string line = trim(std::string_view(raw).substr(0, raw.find('#')));
      if (line.empty()) continue;
      if (line.front() == '[' && line.back() == ']') {
        section = trim(std::string_view(line).substr(1, line.size() - 2)) + ".";
        continue;
      }
      auto equals = line.find('=');
      if (equals == std::string::npos) {
        throw FlagError(where(number) + ": '" + line + "' is not `key = value`");
      }
      std::string key = section + trim(std::string_view(line).substr(0, equals));
      if (!allowed.find_nothrow(key, false)) {
        throw FlagError(where(number) + ": unknown key '" + key + "'" + kHelpHint);
      }
      auto& seen = lines_[key];
      if (!seen.empty() && !is_repeatable(key)) {
        throw FlagError(where(number) + ": " + key + " is already set on line " +
                        std::to_string(seen.front()) + "; set it once");
      }
      seen.push_back(number);
    }
  }

  // "FILE:LINE" of the nth setting of `key`, or "FILE" if unknown.
  std::string where_set(const std::string& key, std::size_t nth) const {
    auto it = lines_.find(key);
    if (it == lines_.end() || nth >= it->second.size()) return file_;
    return where(it->second[nth]);
  }

 private:
  std::string where(int line) const { return file_ + ":" + std::to_string(line); }

  std::string file_;
  std::map<std::string, std::vector<int>> lines_;
};

// One value of one setting and how to name it in an error.
struct Setting {
  std::string value;
  std::string origin;  // "--intercept tcp/70000" or "FILE:3: intercept = tcp/70000"
};

class Settings {
 public:
  Settings(const po::variables_map& flags, const po::variables_map& file,
           const ConfigFileIndex* index)
      : flags_(flags), file_(file), index_(index) {}

  // Values of `key` from the command line if given there, else from the file, else none.
  std::vector<Setting> get(const std::string& key) const {
    std::vector<Setting> settings;
    bool from_flags = flags_.count(key) > 0;
    const po::variables_map& source = from_flags ? flags_ : file_;
    if (!source.count(key)) return settings;
    std::vector<std::string> values = is_repeatable(key)
                                          ? source[key].as<std::vector<std::string>>()
                                          : std::vector<std::string>{source[key].as<std::string>()};
    for (std::size_t i = 0; i < values.size(); ++i) {
      std::string origin = from_flags ? "--" + key + " " + values[i]
                                      : index_->where_set(key, i) + ": " + key + " = " + values[i];
      settings.push_back(Setting{values[i], std::move(origin)});
    }
    return settings;
  }

  std::optional<Setting> get_one(const std::string& key) const {
    auto settings = get(key);
    if (settings.empty()) return std::nullopt;
    return settings.front();
  }

 private:
  const po::variables_map& flags_;
  const po::variables_map& file_;
  const ConfigFileIndex* index_;
};

[[noreturn]] void invalid(const Setting& setting, const std::string& why) {
  throw FlagError(setting.origin + ": " + why);
}

uint64_t parse_unsigned(const Setting& setting, uint64_t max, const std::string& what) {
  uint64_t value = 0;
  const std::string& text = setting.value;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > max) {
    invalid(setting, "must be " + what);
  }
  return value;
}

std::filesystem::path parse_path(const Setting& setting) {
  if (setting.value.empty()) invalid(setting, "must not be empty");
  return setting.value;
}

LogLevel parse_log_level(const Setting& setting) {
  if (setting.value == "debug") return LogLevel::debug;
  if (setting.value == "info") return LogLevel::info;
  if (setting.value == "warn") return LogLevel::warn;
  if (setting.value == "error") return LogLevel::error;
  invalid(setting, "must be one of debug, info, warn, error");
}

po::variables_map read_config_file(const std::string& file, const po::options_description& allowed,
                                   std::unique_ptr<ConfigFileIndex>& index) {
  std::ifstream in(file);
  if (!in) throw FlagError("--config " + file + ": cannot read it: " + std::strerror(errno));
  std::stringstream text;
  text << in.rdbuf();
  index = std::make_unique<ConfigFileIndex>(file, text.str(), allowed);
  po::variables_map values;
  try {
    std::istringstream again(text.str());
    po::store(po::parse_config_file(again, allowed, /*allow_unregistered=*/false), values);
  } catch (const po::error& e) {
    throw FlagError(file + ": " + e.what());  // the index caught what it can name by line
  }
  return values;
}

Config build_config(const po::variables_map& flags) {
  Config config;
  po::variables_map file_values;
  std::unique_ptr<ConfigFileIndex> index;
  if (flags.count("config")) {
    const auto& file = flags["config"].as<std::string>();
    if (file.empty()) throw FlagError("--config: needs a file name");
    file_values = read_config_file(file, file_options(), index);
    config.config_file = file;
  }
  Settings settings(flags, file_values, index.get());

  if (auto s = settings.get_one("socket")) {
    config.socket_path = parse_path(*s);
    constexpr std::size_t kMax = sizeof(sockaddr_un{}.sun_path) - 1;
    if (s->value.size() > kMax) {
      invalid(*s, "is " + std::to_string(s->value.size()) +
                      " bytes long; a Unix socket path "
                      "can be at most " +
                      std::to_string(kMax));
    }
  }
  if (auto s = settings.get_one("state-dir")) config.state_dir = parse_path(*s);
  if (auto dirs = settings.get("scenarios"); !dirs.empty()) {
    config.scenario_dirs.clear();
    for (const auto& dir : dirs) config.scenario_dirs.push_back(parse_path(dir));
    config.scenario_dirs_are_defaults = false;
  }
  if (auto targets = settings.get("intercept"); !targets.empty()) {
    config.intercept.clear();
    for (const auto& target : targets) {
      std::string why;
      auto parsed = steer::parse_intercept_target(target.value, why);
      if (!parsed) invalid(target, why);
      config.intercept.push_back(*parsed);
    }
  }
  if (auto s = settings.get_one("tproxy-port")) {
    config.tproxy_port = static_cast<uint16_t>(parse_unsigned(*s, 65535, "a port number 1-65535"));
    if (config.tproxy_port == 0) invalid(*s, "must be a port number 1-65535");
  }
  if (auto s = settings.get_one("queue-num")) {
    config.queue_num = static_cast<uint16_t>(parse_unsigned(*s, 65535, "a queue number 0-65535"));
  }
  if (auto entries = settings.get("tls-intercept"); !entries.empty()) {
    config.tls_intercept.clear();
    for (const auto& entry : entries) {
      if (entry.value.empty()) invalid(entry, "must be a host pattern or an address/CIDR");
      config.tls_intercept.push_back(entry.value);
    }
    config.tls_intercept_is_default = false;
  }
  if (auto s = settings.get_one("upstream-ca")) config.upstream_ca = parse_path(*s);
  if (auto s = settings.get_one("no-inspect")) {
    if (s->value != "true" && s->value != "false") invalid(*s, "must be true or false");
    config.inspect_http = s->value != "true";
  }
  if (auto s = settings.get_one("thrift-body-cap")) {
    config.thrift_body_cap = parse_unsigned(*s, 1u << 30, "a size in bytes 1-1073741824");
    if (config.thrift_body_cap == 0) invalid(*s, "must be a size in bytes 1-1073741824");
  }
  if (auto s = settings.get_one("journal-size")) {
    config.journal_size = parse_unsigned(*s, 100000000, "a number of calls 1-100000000");
    if (config.journal_size == 0) invalid(*s, "must be a number of calls 1-100000000");
  }
  if (auto s = settings.get_one("seed")) {
    config.seed = parse_unsigned(*s, UINT64_MAX, "a non-negative integer below 2^64");
  }
  if (auto s = settings.get_one("log-level")) config.log_level = parse_log_level(*s);

  config.cleanup = flags.count("cleanup") > 0;
  if (flags.count("check-scenarios")) {
    const auto& dir = flags["check-scenarios"].as<std::string>();
    config.check_scenarios = parse_path(Setting{dir, "--check-scenarios " + dir});
  }
  if (config.cleanup && config.check_scenarios) {
    throw FlagError("--cleanup and --check-scenarios are separate actions: give one");
  }
  return config;
}

ParseOutcome error_outcome(std::string message) {
  ParseOutcome outcome;
  outcome.action = ParseOutcome::Action::error;
  outcome.message = std::move(message);
  return outcome;
}

}  // namespace

std::string_view to_string(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warn:
      return "warn";
    case LogLevel::error:
      return "error";
  }
  return "info";
}

std::vector<std::filesystem::path> default_scenario_dirs() {
  return {ADBCFAULT_CATALOGUE_DIR, "/etc/adbcfault/scenarios"};
}

ParseOutcome parse_daemon_flags(int argc, const char* const argv[]) {
  auto options = command_line_options();
  options.add_options()(kPositional, po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add(kPositional, -1);

  po::variables_map flags;
  try {
    // No guessing: `--sock` must not silently mean `--socket`.
    auto style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    po::store(po::command_line_parser(argc, argv)
                  .options(options)
                  .positional(positional)
                  .style(style)
                  .run(),
              flags);
  } catch (const po::unknown_option& e) {
    return error_outcome("unknown option " + e.get_option_name() + kHelpHint);
  } catch (const po::multiple_occurrences& e) {
    return error_outcome(e.get_option_name() + " given more than once; give it once" + kHelpHint);
  } catch (const po::error& e) {
    return error_outcome(e.what() + std::string(kHelpHint));
  }
  if (flags.count(kPositional)) {
    return error_outcome("unexpected argument '" +
                         flags[kPositional].as<std::vector<std::string>>().front() +
                         "': adbcfaultd takes only options" + kHelpHint);
  }
  if (flags.count("help")) return ParseOutcome{ParseOutcome::Action::help, {}, {}};
  if (flags.count("version")) return ParseOutcome{ParseOutcome::Action::version, {}, {}};

  try {
    return ParseOutcome{ParseOutcome::Action::run, build_config(flags), {}};
  } catch (const FlagError& e) {
    return error_outcome(e.what());
  }
}

std::string daemon_usage() {
  std::ostringstream options;
  options << command_line_options();
  // Boost leaves a space at the end of wrapped lines.
  std::string text, line;
  std::istringstream lines(options.str());
  while (std::getline(lines, line)) text += trim_right(line) + "\n";
  return std::string(kSynopsis) +
         "\nThe adbcfault fault injector. Runs in the foreground and logs to stderr.\n" + text +
         "\nA --config file holds the settings as `key = value` lines (repeat intercept and\n"
         "scenarios for more than one); '#' starts a comment. Flags on the command line win.\n";
}

}  // namespace adbcfault::daemon
