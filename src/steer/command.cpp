#include "steer/command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace adbcfault::steer {
namespace {

struct Pipe {
  int fds[2] = {-1, -1};
  bool open() { return pipe2(fds, O_CLOEXEC) == 0; }
  void close_end(int i) {
    if (fds[i] >= 0) ::close(fds[i]);
    fds[i] = -1;
  }
  ~Pipe() {
    close_end(0);
    close_end(1);
  }
};

}  // namespace

std::string CommandResult::describe(const std::string& program) const {
  std::string first_line = err.substr(0, err.find('\n'));
  if (first_line.empty()) first_line = out.substr(0, out.find('\n'));
  std::string text = program + ": ";
  text += exit_code < 0 ? std::string("could not run") : "exit " + std::to_string(exit_code);
  if (!first_line.empty()) text += ": " + first_line;
  return text;
}

CommandResult run_command(const std::vector<std::string>& argv, const std::string& input) {
  CommandResult result;
  Pipe in, out, err;
  if (!in.open() || !out.open() || !err.open()) {
    result.err = std::strerror(errno);
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fds[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out.fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fds[1], 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  in.close_end(0);
  out.close_end(1);
  err.close_end(1);
  if (rc != 0) {
    result.err = argv[0] + ": " + std::strerror(rc);
    return result;
  }

  // Feed stdin and drain both outputs together so a chatty child never blocks on a full pipe.
  size_t written = 0;
  if (input.empty()) in.close_end(1);
  signal(SIGPIPE, SIG_IGN);
  char buf[16384];
  while (out.fds[0] >= 0 || err.fds[0] >= 0 || in.fds[1] >= 0) {
    pollfd pfds[3];
    int n = 0;
    if (in.fds[1] >= 0) pfds[n++] = {in.fds[1], POLLOUT, 0};
    if (out.fds[0] >= 0) pfds[n++] = {out.fds[0], POLLIN, 0};
    if (err.fds[0] >= 0) pfds[n++] = {err.fds[0], POLLIN, 0};
    if (poll(pfds, n, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < n; ++i) {
      if (!pfds[i].revents) continue;
      int fd = pfds[i].fd;
      if (fd == in.fds[1]) {
        ssize_t w = write(fd, input.data() + written, input.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        if (w < 0 || written == input.size()) in.close_end(1);
      } else {
        ssize_t r = read(fd, buf, sizeof buf);
        bool is_out = fd == out.fds[0];
        if (r > 0) {
          (is_out ? result.out : result.err).append(buf, static_cast<size_t>(r));
        } else if (r == 0 || errno != EINTR) {
          (is_out ? out : err).close_end(0);
        }
      }
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace adbcfault::steer
