// Replaces the global operator new/delete of the test binary with versions that keep a size
// header, so live and peak bytes can be measured.

#include "alloc_counter.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {

std::atomic<std::size_t> g_live{0};
std::atomic<std::size_t> g_base{0};
std::atomic<std::size_t> g_peak{0};
constexpr std::size_t kHeader = alignof(std::max_align_t);

void* counted_alloc(std::size_t size) {
  auto* block = static_cast<unsigned char*>(std::malloc(size + kHeader));
  if (!block) throw std::bad_alloc();
  *reinterpret_cast<std::size_t*>(block) = size;
  const std::size_t live = g_live.fetch_add(size) + size;
  const std::size_t base = g_base.load();
  const std::size_t above = live > base ? live - base : 0;
  std::size_t peak = g_peak.load();
  while (above > peak && !g_peak.compare_exchange_weak(peak, above)) {
  }
  return block + kHeader;
}

void counted_free(void* pointer) noexcept {
  if (!pointer) return;
  auto* block = static_cast<unsigned char*>(pointer) - kHeader;
  g_live.fetch_sub(*reinterpret_cast<std::size_t*>(block));
  std::free(block);
}

}  // namespace

void* operator new(std::size_t size) { return counted_alloc(size); }
void* operator new[](std::size_t size) { return counted_alloc(size); }
void operator delete(void* pointer) noexcept { counted_free(pointer); }
void operator delete[](void* pointer) noexcept { counted_free(pointer); }
void operator delete(void* pointer, std::size_t) noexcept { counted_free(pointer); }
void operator delete[](void* pointer, std::size_t) noexcept { counted_free(pointer); }

namespace adbcfault::thrift::test {

void start_counting_allocations() {
  g_base = g_live.load();
  g_peak = 0;
}

std::size_t peak_allocated_bytes() { return g_peak.load(); }

}  // namespace adbcfault::thrift::test
