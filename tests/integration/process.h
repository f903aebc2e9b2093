#pragma once
// Child processes for integration tests: spawned with stdout and stderr captured to files,
// optionally inside a network namespace (`ip netns exec NS ...`, which execs, so pid() is the
// program itself). A Process that goes out of scope is killed (SIGKILL) and reaped. Children also
// get PR_SET_PDEATHSIG(SIGKILL), so they die with the test even when it is killed; spawn them
// from the test's main thread (the death signal follows the thread that forked).

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "temp_dir.h"

namespace adbcfault::testing {

// {"ip", "netns", "exec", ns, argv...}
std::vector<std::string> in_netns(const std::string& ns, std::vector<std::string> argv);
std::string join_argv(const std::vector<std::string>& argv);

class Process {
 public:
  // Starts argv (argv[0] looked up in PATH). Throws std::runtime_error if fork fails; a program
  // that cannot be executed exits 127 with the reason in its stderr.
  explicit Process(std::vector<std::string> argv);
  Process(const std::string& ns, std::vector<std::string> argv)
      : Process(in_netns(ns, std::move(argv))) {}
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  const std::vector<std::string>& argv() const { return argv_; }

  // Sends `signal` unless the process was already reaped; false if it was.
  bool kill(int signal);
  // The exit code (128 + N when killed by signal N), or nullopt if still running at the timeout.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);
  bool running();
  std::optional<int> exit_code() const { return exit_code_; }

  const std::filesystem::path& stdout_path() const { return stdout_path_; }
  const std::filesystem::path& stderr_path() const { return stderr_path_; }
  std::string stdout_text() const { return read_file(stdout_path_); }
  std::string stderr_text() const { return read_file(stderr_path_); }

 private:
  bool try_reap();

  std::vector<std::string> argv_;
  TempDir logs_;
  std::filesystem::path stdout_path_;
  std::filesystem::path stderr_path_;
  pid_t pid_ = -1;
  int pidfd_ = -1;
  std::optional<int> exit_code_;
};

struct RunResult {
  std::vector<std::string> argv;
  int exit_code = -1;  // 128 + N when killed by signal N; -1 when it timed out (then killed)
  bool timed_out = false;
  std::string out;
  std::string err;

  bool ok() const { return exit_code == 0; }
  std::string describe() const;  // command, exit code, stdout and stderr, for failure messages
};

// Runs a short command to completion (killed after `timeout`).
RunResult run_command(std::vector<std::string> argv,
                      std::chrono::milliseconds timeout = std::chrono::seconds(20));
// Same, inside network namespace `ns`.
RunResult run(const std::string& ns, std::vector<std::string> argv,
              std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace adbcfault::testing
