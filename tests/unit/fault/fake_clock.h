#pragma once
// A clock tests move by hand, so windows are tested without sleeping.

#include <chrono>

#include "fault/clock.h"

namespace adbcfault::fault {

class FakeClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point steady_now() const override { return steady_; }
  std::chrono::system_clock::time_point system_now() const override { return system_; }

  void advance(std::chrono::milliseconds by) {
    steady_ += by;
    system_ += by;
  }

 private:
  // Far from zero, so a bug that treats "no time" as 0 shows up.
  std::chrono::steady_clock::time_point steady_{std::chrono::hours(1000)};
  std::chrono::system_clock::time_point system_{std::chrono::seconds(1714566896)};  // 2024-05-01
};

}  // namespace adbcfault::fault
