#include "journal/call_journal.h"

#include <gtest/gtest.h>

#include <thread>

namespace adbcfault::journal {
namespace {

CallEntry call(std::string thrift_method, std::string http_method = "POST") {
  CallEntry entry;
  entry.thrift_method = std::move(thrift_method);
  entry.http_method = std::move(http_method);
  return entry;
}

TEST(CallJournal, IdsAreMonotonicAndTheCursorPointsAtTheNext) {
  CallJournal journal(10);
  EXPECT_EQ(journal.next_id(), 1u);
  EXPECT_EQ(journal.append(call("OpenSession")), 1u);
  EXPECT_EQ(journal.append(call("CloseSession")), 2u);
  EXPECT_EQ(journal.next_id(), 3u);
}

TEST(CallJournal, FiltersByMethodAndSince) {
  CallJournal journal(10);
  journal.append(call("OpenSession"));
  uint64_t cursor = journal.next_id();
  journal.append(call("OpenSession"));
  journal.append(call("", "GET"));
  EXPECT_EQ(journal.count({"OpenSession", 0}), 2u);
  EXPECT_EQ(journal.count({"OpenSession", cursor}), 1u);
  EXPECT_EQ(journal.count({"GET", 0}), 1u);
  EXPECT_EQ(journal.count({"POST", 0}), 0u) << "a Thrift call is found by its Thrift method";
  EXPECT_EQ(journal.query({"", cursor}).size(), 2u);
}

TEST(CallJournal, RingEvictsTheOldestAndKeepsIds) {
  CallJournal journal(3);
  for (int i = 0; i < 5; ++i) journal.append(call("FetchResults"));
  auto all = journal.query({});
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all.front().id, 3u);
  EXPECT_EQ(all.back().id, 5u);
  EXPECT_EQ(journal.evicted(), 2u);
}

TEST(CallJournal, ResetForgetsEntriesButNeverReusesIds) {
  CallJournal journal(10);
  journal.append(call("OpenSession"));
  journal.reset();
  EXPECT_EQ(journal.count({}), 0u);
  EXPECT_EQ(journal.append(call("OpenSession")), 2u);
}

TEST(CallJournal, UpdateChangesALiveEntryOnly) {
  CallJournal journal(2);
  uint64_t first = journal.append(call("ExecuteStatement"));
  EXPECT_TRUE(journal.update(first, [](CallEntry& e) { e.http_status = 503; }));
  EXPECT_EQ(journal.query({}).front().http_status, 503);
  journal.append(call("A"));
  journal.append(call("B"));
  EXPECT_FALSE(journal.update(first, [](CallEntry& e) { e.http_status = 200; }));
  EXPECT_FALSE(journal.update(99, [](CallEntry&) {}));
}

TEST(CallJournal, ListenerHearsEveryChange) {
  CallJournal journal(10);
  int changes = 0;
  journal.set_on_change([&] { ++changes; });
  uint64_t id = journal.append(call("OpenSession"));
  journal.update(id, [](CallEntry&) {});
  journal.reset();
  EXPECT_EQ(changes, 3);
}

TEST(CallJournal, ConcurrentAppendsGetDistinctIds) {
  CallJournal journal(100000);
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t)
    writers.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) journal.append(call("FetchResults"));
    });
  for (auto& w : writers) w.join();
  auto all = journal.query({});
  ASSERT_EQ(all.size(), 4000u);
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].id, i + 1);
}

TEST(CallEntry, JsonHasTheDesignFields) {
  CallEntry e = call("FetchResults");
  e.id = 7;
  e.operation_guid = "01234567-89ab-cdef-0123-456789abcdef";
  e.http_status = 200;
  auto j = to_json(e);
  EXPECT_EQ(j["id"], 7);
  EXPECT_EQ(j["thrift_method"], "FetchResults");
  EXPECT_EQ(j["operation_guid"], "01234567-89ab-cdef-0123-456789abcdef");
  EXPECT_EQ(j["http_status"], 200);
  EXPECT_TRUE(j["seqid"].is_null());
  EXPECT_FALSE(j.contains("fields"));
}

TEST(CallEntry, TimeIsIso8601Utc) {
  std::chrono::system_clock::time_point t{std::chrono::milliseconds(1700000000123)};
  EXPECT_EQ(format_time(t), "2023-11-14T22:13:20.123Z");
}

}  // namespace
}  // namespace adbcfault::journal
