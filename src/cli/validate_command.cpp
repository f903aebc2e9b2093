// `adbcfault validate FILE...`: load scenario files as adbcfaultd would, here in the CLI, so
// authors and CI check them without a daemon. FILE may be a directory (its *.yaml and *.yml).

#include <filesystem>
#include <ostream>

#include "cli/arg_parser.h"
#include "cli/builtin_commands.h"
#include "cli/exit_status.h"
#include "cli/format.h"
#include "fault/scenario_loader.h"

namespace adbcfault::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kUsage = "validate FILE...";

std::size_t scenarios_in(const fault::LoadResult& loaded, const std::string& file) {
  std::size_t n = 0;
  for (const auto& scenario : loaded.scenarios) n += scenario.where.file == file;
  return n;
}

// One line per file read, in the order given; a directory contributes its files.
std::string valid_report(const std::vector<std::string>& paths, const fault::LoadResult& loaded) {
  std::string out;
  auto line = [&](const std::string& file) {
    out += file + ": " + std::to_string(scenarios_in(loaded, file)) + " scenario(s), all valid\n";
  };
  for (const auto& path : paths) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      line(path);
      continue;
    }
    bool any = false;
    for (const auto& file : loaded.files) {
      // The loader names a directory's files exactly so (scenario_loader.cpp).
      if ((fs::path(path) / fs::path(file).filename()).string() == file) {
        line(file);
        any = true;
      }
    }
    if (!any) out += path + ": no *.yaml or *.yml files, nothing to validate\n";
  }
  return out;
}

int run_validate(const Request& request, bool json, std::ostream& out, std::ostream& err) {
  const auto paths = request.args.at("files").get<std::vector<std::string>>();
  fault::LoadResult loaded = fault::load_scenarios(paths);
  if (json) {
    Json result = {{"valid", loaded.ok()},
                   {"files", loaded.files},
                   {"scenarios", loaded.scenarios.size()},
                   {"errors", loaded.errors}};
    out << result.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
  } else if (loaded.ok()) {
    out << valid_report(paths, loaded);
  } else {
    // FILE:LINE:COL first, without the "adbcfault: " prefix, so editors can jump to them.
    for (const auto& error : loaded.errors) err << error << "\n";
  }
  return loaded.ok() ? kExitOk : kExitError;
}

}  // namespace

Command make_validate_command() {
  Command command{"validate",
                  std::string(kUsage),
                  "check scenario files without the daemon; list every error (exit 2)",
                  [](const std::vector<std::string>& args) -> ParseResult {
                    return parse_command(kUsage, args, {}, SIZE_MAX, [](const ParsedArgs& values) {
                      if (values.positional.empty()) throw BadUsage{"missing FILE"};
                      // Never sent: run_validate reads it.
                      return Request{"validate", {{"files", values.positional}}};
                    });
                  },
                  {}};
  command.run_locally = run_validate;
  return command;
}

}  // namespace adbcfault::cli
