#pragma once
// Time as the scenario engine sees it: steady time for windows, wall time only for display.
// An interface so tests move time by hand instead of sleeping.

#include <chrono>

namespace adbcfault::fault {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::steady_clock::time_point steady_now() const = 0;
  virtual std::chrono::system_clock::time_point system_now() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point steady_now() const override {
    return std::chrono::steady_clock::now();
  }
  std::chrono::system_clock::time_point system_now() const override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace adbcfault::fault
