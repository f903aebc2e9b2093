#include "process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace adbcfault::testing {
namespace {

int open_or_throw(const std::filesystem::path& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("open " + path.string() + ": " + std::strerror(errno));
  return fd;
}

int decode_wait_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::vector<std::string> in_netns(const std::string& ns, std::vector<std::string> argv) {
  std::vector<std::string> full = {"ip", "netns", "exec", ns};
  full.insert(full.end(), std::make_move_iterator(argv.begin()),
              std::make_move_iterator(argv.end()));
  return full;
}

std::string join_argv(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& arg : argv) {
    if (!text.empty()) text += ' ';
    text += arg;
  }
  return text;
}

Process::Process(std::vector<std::string> argv)
    : argv_(std::move(argv)),
      logs_("proc"),
      stdout_path_(logs_ / "stdout"),
      stderr_path_(logs_ / "stderr") {
  if (argv_.empty()) throw std::invalid_argument("Process: empty argv");
  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  std::vector<char*> c_argv;
  for (auto& arg : argv_) c_argv.push_back(arg.data());
  c_argv.push_back(nullptr);
  const int in_fd = open_or_throw("/dev/null", O_RDONLY);
  const int out_fd = open_or_throw(stdout_path_, O_WRONLY | O_CREAT | O_TRUNC);
  const int err_fd = open_or_throw(stderr_path_, O_WRONLY | O_CREAT | O_TRUNC);
  const pid_t parent = ::getpid();

  pid_ = ::fork();
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the test died before prctl took effect
    ::dup2(in_fd, STDIN_FILENO);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    ::execvp(c_argv[0], c_argv.data());
    const char* reason = std::strerror(errno);
    (void)!::write(STDERR_FILENO, "exec failed: ", 13);
    (void)!::write(STDERR_FILENO, reason, std::strlen(reason));
    ::_exit(127);
  }
  const int fork_errno = errno;
  ::close(in_fd);
  ::close(out_fd);
  ::close(err_fd);
  if (pid_ < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(fork_errno));
  pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
}

Process::~Process() {
  if (!exit_code_) {
    kill(SIGKILL);
    wait_for_exit(std::chrono::seconds(10));
  }
  if (pidfd_ >= 0) ::close(pidfd_);
}

bool Process::kill(int signal) {
  if (exit_code_) return false;
  return ::kill(pid_, signal) == 0;
}

bool Process::try_reap() {
  if (exit_code_) return true;
  int status = 0;
  const pid_t reaped = ::waitpid(pid_, &status, WNOHANG);
  if (reaped == pid_) {
    exit_code_ = decode_wait_status(status);
    return true;
  }
  if (reaped < 0 && errno == ECHILD) {
    exit_code_ = -1;  // reaped elsewhere; nothing left to wait for
    return true;
  }
  return false;
}

std::optional<int> Process::wait_for_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!try_reap()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    if (pidfd_ >= 0) {
      pollfd ready{pidfd_, POLLIN, 0};
      ::poll(&ready, 1, static_cast<int>(left.count()));
    } else {
      ::usleep(5000);  // no pidfd (very old kernel): fall back to polling
    }
  }
  return exit_code_;
}

bool Process::running() { return !try_reap(); }

std::string RunResult::describe() const {
  std::string text = "`" + join_argv(argv) + "` ";
  text += timed_out ? "timed out" : "exited " + std::to_string(exit_code);
  text += "\n--- stdout ---\n" + out.substr(0, 4000);
  text += "\n--- stderr ---\n" + err.substr(0, 4000);
  return text;
}

RunResult run_command(std::vector<std::string> argv, std::chrono::milliseconds timeout) {
  Process process(std::move(argv));
  RunResult result;
  result.argv = process.argv();
  if (auto code = process.wait_for_exit(timeout)) {
    result.exit_code = *code;
  } else {
    result.timed_out = true;
    process.kill(SIGKILL);
    process.wait_for_exit(std::chrono::seconds(10));
  }
  result.out = process.stdout_text();
  result.err = process.stderr_text();
  return result;
}

RunResult run(const std::string& ns, std::vector<std::string> argv,
              std::chrono::milliseconds timeout) {
  return run_command(in_netns(ns, std::move(argv)), timeout);
}

}  // namespace adbcfault::testing
