#include "relay/host_tally.h"

#include <gtest/gtest.h>

namespace adbcfault::relay {
namespace {

TEST(HostTally, CountsFlowsPerHost) {
  HostTally tally;
  tally.add("files.example.com");
  tally.add("10.200.1.2");
  tally.add("files.example.com");
  EXPECT_EQ(tally.counts(),
            (std::map<std::string, uint64_t>{{"10.200.1.2", 1}, {"files.example.com", 2}}));
}

// A client that sweeps through names cannot grow the tally: past the bound, new names are
// counted together, and names already known keep their own count.
TEST(HostTally, NewNamesPastTheBoundAreCountedTogether) {
  HostTally tally;
  for (size_t i = 0; i < HostTally::kMaxHosts; ++i) tally.add("h" + std::to_string(i));
  tally.add("late-1");
  tally.add("late-2");
  tally.add("h0");
  EXPECT_EQ(tally.counts().size(), HostTally::kMaxHosts + 1);
  EXPECT_EQ(tally.counts().at(HostTally::kOthers), 2u);
  EXPECT_EQ(tally.counts().at("h0"), 2u);
  EXPECT_EQ(tally.counts().count("late-1"), 0u);
}

}  // namespace
}  // namespace adbcfault::relay
