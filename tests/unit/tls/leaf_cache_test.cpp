#include "tls/leaf_cache.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "tls_test_support.h"

namespace adbcfault::tls {
namespace {

using testing::TempDir;

class LeafCacheTest : public ::testing::Test {
 protected:
  TempDir dir_;
  CaStore ca_ = CaStore::load_or_create(dir_.path());
  LeafMinter minter_{ca_};

  static std::shared_ptr<const Leaf> get(LeafCache& cache, const std::string& name) {
    std::string error;
    auto leaf = cache.get(name, error);
    EXPECT_NE(leaf, nullptr) << name << ": " << error;
    return leaf;
  }
};

TEST_F(LeafCacheTest, HitReturnsTheSameLeaf) {
  LeafCache cache(minter_);
  EXPECT_EQ(cache.capacity(), 1024u);
  auto first = get(cache, "example.test");
  auto second = get(cache, "EXAMPLE.test.");
  EXPECT_EQ(first, second) << "case and a trailing dot do not make a new entry";
  LeafCache::Counters counters = cache.counters();
  EXPECT_EQ(counters.hits, 1u);
  EXPECT_EQ(counters.misses, 1u);
  EXPECT_EQ(counters.mints, 1u);
  EXPECT_EQ(cache.size(), 1u);
}

TEST_F(LeafCacheTest, EvictsTheLeastRecentlyUsed) {
  LeafCache cache(minter_, 2);
  auto a = get(cache, "a.test");
  auto b = get(cache, "b.test");
  EXPECT_EQ(get(cache, "a.test"), a);  // a is now the most recently used
  get(cache, "c.test");                // evicts b
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(get(cache, "a.test"), a);
  EXPECT_NE(get(cache, "b.test"), b) << "b was evicted and minted again";  // evicts c
  get(cache, "a.test");
  LeafCache::Counters counters = cache.counters();
  EXPECT_EQ(counters.hits, 3u);
  EXPECT_EQ(counters.misses, 4u);
  EXPECT_EQ(counters.mints, 4u);
  EXPECT_EQ(cache.size(), 2u);
}

TEST_F(LeafCacheTest, AnEvictedLeafInUseStaysValid) {
  LeafCache cache(minter_, 1);
  auto held = get(cache, "held.test");
  get(cache, "other.test");
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(testing::verify_leaf(ca_.certificate(), held->certificate.get(), "held.test"),
            X509_V_OK);
  EXPECT_EQ(X509_check_private_key(held->certificate.get(), held->key.get()), 1);
}

TEST_F(LeafCacheTest, BadNamesAreRejectedAndCounted) {
  LeafCache cache(minter_);
  std::string error;
  EXPECT_EQ(cache.get(std::string(300, 'x'), error), nullptr);
  EXPECT_NE(error, "");
  EXPECT_EQ(cache.get("bad name.test", error), nullptr);
  LeafCache::Counters counters = cache.counters();
  EXPECT_EQ(counters.rejected, 2u);
  EXPECT_EQ(counters.misses + counters.hits + counters.mints, 0u);
  EXPECT_EQ(cache.size(), 0u);
}

TEST_F(LeafCacheTest, ZeroCapacityIsRefused) {
  EXPECT_THROW(LeafCache(minter_, 0), std::invalid_argument);
}

TEST_F(LeafCacheTest, LeafPastHalfItsLifetimeIsMintedAgain) {
  LeafMinter short_lived(ca_, LeafMinter::Options{std::chrono::seconds(2)});
  LeafCache cache(short_lived);
  auto first = get(cache, "example.test");
  EXPECT_EQ(get(cache, "example.test"), first);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto renewed = get(cache, "example.test");
  EXPECT_NE(renewed, first);
  EXPECT_GT(renewed->not_after, first->not_after);
  EXPECT_EQ(cache.counters().mints, 2u);
  EXPECT_EQ(cache.size(), 1u);
}

TEST_F(LeafCacheTest, ConcurrentLookupsOfSharedAndDistinctNames) {
  LeafCache cache(minter_, 8);  // small, so threads also race on eviction
  constexpr int kThreads = 4;
  constexpr int kLookups = 300;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kLookups; ++i) {
        std::string name = i % 2 == 0
                               ? "shared.test"
                               : "t" + std::to_string(t) + "-" + std::to_string(i % 7) + ".test";
        std::string error;
        auto leaf = cache.get(name, error);
        if (!leaf || leaf->name != name ||
            X509_check_private_key(leaf->certificate.get(), leaf->key.get()) != 1) {
          ++failures[t];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
  LeafCache::Counters counters = cache.counters();
  EXPECT_EQ(counters.hits + counters.misses, static_cast<uint64_t>(kThreads * kLookups));
  EXPECT_EQ(counters.mints, counters.misses) << "every miss minted (none failed)";
  EXPECT_LE(cache.size(), 8u);
  std::string error;
  auto shared = cache.get("shared.test", error);
  EXPECT_EQ(testing::verify_leaf(ca_.certificate(), shared->certificate.get(), "shared.test"),
            X509_V_OK);
}

}  // namespace
}  // namespace adbcfault::tls
