#include "relay/pipe_pool.h"

#include <fcntl.h>
#include <unistd.h>

namespace adbcfault::relay {
namespace {

// Large enough that one splice moves about a megabyte of a bulk download (the default 64 KiB
// pipe would take sixteen calls); 1 MiB is also the unprivileged default of pipe-max-size.
constexpr int kPipeSize = 1 << 20;

void close_pipe(const Pipe& pipe) {
  ::close(pipe.read_end);
  ::close(pipe.write_end);
}

}  // namespace

PipePool& PipePool::this_thread() {
  thread_local PipePool pool;
  return pool;
}

PipePool::~PipePool() {
  for (const Pipe& pipe : idle_) close_pipe(pipe);
}

std::optional<Pipe> PipePool::take() {
  if (!idle_.empty()) {
    Pipe pipe = idle_.back();
    idle_.pop_back();
    return pipe;
  }
  int fds[2];
  if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) return std::nullopt;
  Pipe pipe{fds[0], fds[1], 0};
  int size = fcntl(pipe.write_end, F_SETPIPE_SZ, kPipeSize);
  if (size <= 0) size = fcntl(pipe.write_end, F_GETPIPE_SZ);
  pipe.capacity = static_cast<size_t>(size > 0 ? size : 1 << 16);  // 64 KiB: Linux's default
  return pipe;
}

void PipePool::give_back(Pipe pipe, bool empty) {
  if (pipe.read_end < 0) return;
  if (empty && idle_.size() < kMaxIdle) {
    idle_.push_back(pipe);
    return;
  }
  close_pipe(pipe);
}

}  // namespace adbcfault::relay
