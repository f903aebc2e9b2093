#include "relay/pipe_pool.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace adbcfault::relay {
namespace {

bool is_open(int fd) { return fcntl(fd, F_GETFD) != -1; }

TEST(PipePool, NewPipeIsNonBlockingAndSizedForBulk) {
  PipePool pool;
  auto pipe = pool.take();
  ASSERT_TRUE(pipe);
  EXPECT_TRUE(fcntl(pipe->read_end, F_GETFL) & O_NONBLOCK);
  EXPECT_TRUE(fcntl(pipe->write_end, F_GETFL) & O_NONBLOCK);
  EXPECT_EQ(pipe->capacity, static_cast<size_t>(fcntl(pipe->write_end, F_GETPIPE_SZ)));
  EXPECT_GE(pipe->capacity, 64u * 1024);
  pool.give_back(*pipe, true);
}

TEST(PipePool, AnEmptyPipeIsReused) {
  PipePool pool;
  auto first = pool.take();
  ASSERT_TRUE(first);
  pool.give_back(*first, true);
  EXPECT_EQ(pool.idle(), 1u);
  auto second = pool.take();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->read_end, first->read_end);
  EXPECT_EQ(second->write_end, first->write_end);
  EXPECT_EQ(pool.idle(), 0u);
  pool.give_back(*second, true);
}

TEST(PipePool, APipeWithBytesLeftIsClosedNotReused) {
  PipePool pool;
  auto pipe = pool.take();
  ASSERT_TRUE(pipe);
  ASSERT_EQ(write(pipe->write_end, "x", 1), 1);
  pool.give_back(*pipe, false);
  EXPECT_EQ(pool.idle(), 0u);
  EXPECT_FALSE(is_open(pipe->read_end));
  EXPECT_FALSE(is_open(pipe->write_end));
}

TEST(PipePool, KeepsAtMostMaxIdleAndClosesTheRest) {
  std::vector<Pipe> pipes;
  {
    PipePool pool;
    for (size_t i = 0; i < PipePool::kMaxIdle + 3; ++i) pipes.push_back(*pool.take());
    for (const auto& pipe : pipes) pool.give_back(pipe, true);
    EXPECT_EQ(pool.idle(), PipePool::kMaxIdle);
    // Returned last, beyond the limit: closed at once.
    EXPECT_FALSE(is_open(pipes.back().read_end));
    EXPECT_TRUE(is_open(pipes.front().read_end));
  }
  // The pool's destructor closes what it kept.
  EXPECT_FALSE(is_open(pipes.front().read_end));
  EXPECT_FALSE(is_open(pipes.front().write_end));
}

}  // namespace
}  // namespace adbcfault::relay
