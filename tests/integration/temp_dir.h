#pragma once
// A private directory under /tmp, removed with everything in it when the owner goes away.

#include <filesystem>
#include <string>
#include <string_view>

namespace adbcfault::testing {

class TempDir {
 public:
  explicit TempDir(std::string_view label);  // creates /tmp/adbcf-it-<pid>-<label>-XXXXXX
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);  // "" when it does not exist

}  // namespace adbcfault::testing
