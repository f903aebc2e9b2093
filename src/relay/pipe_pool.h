#pragma once
// Pipes for splice(2), kept for the next flow once a flow is done with them. Making a pipe costs
// pipe2, the fcntl that sizes it and two closes afterwards: a fifth of the system calls a short
// relayed connection needs. Only empty pipes come back; a pipe with bytes still in it is closed.
// One pool per thread, so no locking; the relay runs on one thread.
#include <cstddef>
#include <optional>
#include <vector>

namespace adbcfault::relay {

struct Pipe {
  int read_end = -1;
  int write_end = -1;
  size_t capacity = 0;  // bytes the pipe holds before a write would block
};

class PipePool {
 public:
  // Idle pipes kept at most: enough for bursts of short connections, few enough file descriptors.
  static constexpr size_t kMaxIdle = 64;

  static PipePool& this_thread();

  PipePool() = default;
  ~PipePool();
  PipePool(const PipePool&) = delete;
  PipePool& operator=(const PipePool&) = delete;

  // A pipe from the pool, or a new one sized for bulk transfers; nullopt when no file
  // descriptor is left.
  std::optional<Pipe> take();
  // `empty`: the caller moved out every byte it put in. Anything else is closed.
  void give_back(Pipe pipe, bool empty);

  size_t idle() const { return idle_.size(); }

 private:
  std::vector<Pipe> idle_;
};

}  // namespace adbcfault::relay
