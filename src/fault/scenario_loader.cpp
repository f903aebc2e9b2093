#include "fault/scenario_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include "fault/raw_node.h"
#include "fault/scenario_parser.h"

namespace adbcfault::fault {
namespace {

namespace fs = std::filesystem;

void parse_text(std::string_view yaml, const std::string& file, LoadResult& result,
                Diagnostics& diag) {
  result.files.push_back(file);
  Diagnostics file_diag;
  if (auto root = parse_yaml(yaml, file, file_diag)) {
    auto scenarios = parse_scenario_file(*root, file_diag);
    for (auto& scenario : scenarios) result.scenarios.push_back(std::move(scenario));
  }
  file_diag.sort_by_position();
  diag.append(std::move(file_diag));
}

void load_file(const std::string& file, LoadResult& result, Diagnostics& diag) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in) {
    diag.error(SourceLocation{file, 0, 0}, "", "cannot read the file");
    return;
  }
  parse_text(text.str(), file, result, diag);
}

// Directory entries joined to the path as the user wrote it, so messages echo their spelling.
std::vector<std::string> yaml_files_in(const std::string& dir, std::error_code& ec) {
  std::vector<std::string> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    auto extension = it->path().extension();
    if ((extension == ".yaml" || extension == ".yml") && !it->is_directory()) {
      files.push_back((fs::path(dir) / it->path().filename()).string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

void check_unique_names(const LoadResult& result, Diagnostics& diag) {
  std::map<std::string, const Scenario*> first_seen;
  for (const auto& scenario : result.scenarios) {
    auto [it, inserted] = first_seen.emplace(scenario.name, &scenario);
    if (!inserted) {
      diag.error(scenario.where, "name",
                 "duplicate scenario name '" + scenario.name + "' (first defined at " +
                     it->second->where.to_string() + ")");
    }
  }
}

LoadResult finish(LoadResult result, Diagnostics& diag) {
  check_unique_names(result, diag);
  if (!diag.empty()) {
    result.scenarios.clear();
    result.errors = diag.take();
  }
  return result;
}

}  // namespace

LoadResult load_scenarios(const std::vector<std::string>& paths_or_dirs) {
  LoadResult result;
  Diagnostics diag;
  for (const auto& path : paths_or_dirs) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      diag.error(SourceLocation{path, 0, 0}, "", "no such file or directory");
      continue;
    }
    if (!fs::is_directory(status)) {
      load_file(path, result, diag);
      continue;
    }
    auto files = yaml_files_in(path, ec);
    if (ec) {
      diag.error(SourceLocation{path, 0, 0}, "", "cannot list the directory: " + ec.message());
      continue;
    }
    for (const auto& file : files) load_file(file, result, diag);
  }
  return finish(std::move(result), diag);
}

LoadResult load_scenarios_from_text(std::string_view yaml, const std::string& file) {
  LoadResult result;
  Diagnostics diag;
  parse_text(yaml, file, result, diag);
  return finish(std::move(result), diag);
}

}  // namespace adbcfault::fault
