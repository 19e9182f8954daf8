// Two reader threads registering overlapping markets at once must agree on every id, and a name
// read through an id handed over by the registry is always complete. Runs under ThreadSanitizer
// (label pipeline).
#include "mde/core/instrument.hpp"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace mde {
namespace {

std::string market(int i) {
  std::string s = "M";
  s.append(std::to_string(i)).append("-USD");
  return s;
}

TEST(InstrumentRegistryConcurrency, TwoProducersAddingTheSameMarketsGetTheSameIds) {
  constexpr int kMarkets = 300;
  InstrumentRegistry r;
  std::vector<std::string> names;
  for (int i = 0; i < kMarkets; ++i) names.push_back(market(i));
  std::array<std::vector<InstrumentId>, 2> seen;
  std::atomic<int> ready{0};
  auto producer = [&](int which) {
    ready.fetch_add(1);
    while (ready.load() < 2) {
    }
    for (int k = 0; k < kMarkets; ++k) {
      // The two threads walk the list in opposite directions, so they meet in the middle.
      const int i = which == 0 ? k : kMarkets - 1 - k;
      const Venue venue = (i % 2 == 0) ? Venue::btse : Venue::coinone;
      const auto id = r.add(venue, names[static_cast<std::size_t>(i)]);
      ASSERT_TRUE(id.has_value());
      // The name behind an id this thread just received is already complete.
      ASSERT_EQ(r.name(*id), names[static_cast<std::size_t>(i)]);
      ASSERT_EQ(r.venue(*id), venue);
      seen[static_cast<std::size_t>(which)].push_back(*id);
    }
  };
  std::thread a(producer, 0);
  std::thread b(producer, 1);
  a.join();
  b.join();
  ASSERT_EQ(r.size(), static_cast<std::size_t>(kMarkets));
  for (int i = 0; i < kMarkets; ++i) {
    const InstrumentId from_a = seen[0][static_cast<std::size_t>(i)];
    const InstrumentId from_b = seen[1][static_cast<std::size_t>(kMarkets - 1 - i)];
    EXPECT_EQ(from_a, from_b) << names[static_cast<std::size_t>(i)];
  }
}

TEST(InstrumentRegistryConcurrency, LookupsRunWhileAnotherThreadAdds) {
  InstrumentRegistry r;
  const auto first = r.add(Venue::coinone, "XRP-KRW");
  ASSERT_TRUE(first);
  std::atomic<bool> done{false};
  std::thread adder([&] {
    for (int i = 0; i < 500; ++i) (void)r.add(Venue::btse, market(i));
    done.store(true);
  });
  std::size_t lookups = 0;
  // do-while: on a loaded machine the adder can finish before this thread first looks, and one
  // lookup must still happen (and agree) for the count check below to be meaningful.
  do {
    ASSERT_EQ(r.find(Venue::coinone, "XRP-KRW"), first);
    ++lookups;
  } while (!done.load());
  adder.join();
  EXPECT_GT(lookups, 0u);
  EXPECT_EQ(r.size(), 501u);
}

}  // namespace
}  // namespace mde
