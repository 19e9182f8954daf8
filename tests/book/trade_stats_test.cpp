#include "mde/book/trade_stats.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <set>
#include <string>

#include "book/book_test_util.hpp"

namespace mde {
namespace {

using test::dec;

Trade trade(std::string_view id, std::string_view price, std::string_view qty,
            Side taker = Side::buy) {
  Trade t{};
  (void)t.id.assign(id);
  t.price = dec(price);
  t.qty = dec(qty);
  t.taker_side = taker;
  return t;
}

TEST(TradeStats, CountsEachTradeIdOncePerMarket) {
  TradeStats s(8);
  // BTSE's first batch after a resubscribe repeats trades already counted.
  EXPECT_EQ(s.apply(1, trade("118974855", "5302.8", "0.007", Side::sell), 10), TradeApply::counted);
  EXPECT_EQ(s.apply(1, trade("118974856", "5303", "0.5"), 11), TradeApply::counted);
  EXPECT_EQ(s.apply(1, trade("118974855", "5302.8", "0.007", Side::sell), 12),
            TradeApply::duplicate);
  EXPECT_EQ(s.apply(1, trade("118974856", "5303", "0.5"), 13), TradeApply::duplicate);
  // The same id on another market is another trade.
  EXPECT_EQ(s.apply(2, trade("118974855", "1", "1"), 14), TradeApply::counted);

  const TradeStat& a = *s.find(1);
  EXPECT_EQ(a.count, 2u);
  EXPECT_EQ(a.duplicates, 2u);
  EXPECT_EQ(a.buyer_taker_count, 1u);
  EXPECT_EQ(a.volume, test::notional("0.507"));
  EXPECT_EQ(a.notional, test::notional("2688.6196"));
  // The last COUNTED trade, not the last one seen.
  EXPECT_EQ(a.last_id, "118974856");
  EXPECT_EQ(a.last_price, dec("5303"));
  EXPECT_EQ(a.last_exchange_ns, 11);
  EXPECT_EQ(s.find(2)->count, 1u);
  EXPECT_EQ(s.counters().counted, 3u);
  EXPECT_EQ(s.counters().duplicates, 2u);
}

// Issue #8: quantities past the old int64 range are summed exactly; a product past the
// Notional's range (only hostile input) leaves the sums as they were instead of wrapping.
TEST(TradeStats, SumsPastTheOldRangeAreExactAndOverflowLeavesThemUnchanged) {
  TradeStats s(2);
  EXPECT_EQ(s.apply(0, trade("1", "0.0001", "150000000000.1234"), 1), TradeApply::counted);
  EXPECT_EQ(s.find(0)->volume, test::notional("150000000000.1234"));
  EXPECT_EQ(s.find(0)->notional, test::notional("15000000.00001234"));
  EXPECT_EQ(s.apply(0, trade("2", "1000000000000000", "1000000000000000"), 2),
            TradeApply::counted);
  EXPECT_EQ(s.find(0)->count, 2u);
  EXPECT_EQ(s.find(0)->volume, test::notional("150000000000.1234"));
  EXPECT_EQ(s.find(0)->notional, test::notional("15000000.00001234"));
  EXPECT_EQ(s.counters().sum_overflow, 1u);
}

TEST(TradeStats, TradeWithoutIdIsAlwaysCounted) {
  TradeStats s(2);
  EXPECT_EQ(s.apply(0, trade("", "1", "1"), 1), TradeApply::counted);
  EXPECT_EQ(s.apply(0, trade("", "1", "1"), 2), TradeApply::counted);
  EXPECT_EQ(s.find(0)->count, 2u);
  EXPECT_EQ(s.counters().without_id, 2u);
}

TEST(TradeStats, InstrumentOutsideTheTableIsRefused) {
  TradeStats s(2);
  EXPECT_EQ(s.apply(2, trade("1", "1", "1"), 1), TradeApply::bad_instrument);
  EXPECT_EQ(s.find(2), nullptr);
  EXPECT_EQ(s.counters().bad_instrument, 1u);
}

TEST(TradeStats, RepeatOlderThanTheWindowIsCountedAgain) {
  TradeStats s(1);
  ASSERT_EQ(s.apply(0, trade("first", "1", "1"), 0), TradeApply::counted);
  for (std::size_t i = 1; i < TradeStats::kWindow; ++i) {
    ASSERT_EQ(s.apply(0, trade(test::numbered("t", i), "1", "1"), 0), TradeApply::counted);
  }
  // 1023 newer ids: "first" is still in the window.
  EXPECT_EQ(s.apply(0, trade("first", "1", "1"), 0), TradeApply::duplicate);
  ASSERT_EQ(s.apply(0, trade("one-more", "1", "1"), 0), TradeApply::counted);
  // Now it has left it: documented limit.
  EXPECT_EQ(s.apply(0, trade("first", "1", "1"), 0), TradeApply::counted);
}

TEST(TradeStats, WindowMatchesAModelThroughChurn) {
  TradeStats s(1);
  std::deque<std::string> window;
  std::set<std::string> in_window;
  std::mt19937_64 rng(5);
  std::uint64_t counted = 0, duplicates = 0;
  for (int i = 0; i < 50'000; ++i) {
    // Ids from a range a few windows wide, so repeats land inside and outside the window.
    const std::string id = test::numbered("", rng() % 3000);
    const bool repeat = in_window.count(id) != 0;
    const TradeApply r = s.apply(0, trade(id, "1", "1"), i);
    ASSERT_EQ(r, repeat ? TradeApply::duplicate : TradeApply::counted) << "trade " << i;
    if (repeat) {
      ++duplicates;
      continue;
    }
    ++counted;
    window.push_back(id);
    in_window.insert(id);
    if (window.size() > TradeStats::kWindow) {
      in_window.erase(window.front());
      window.pop_front();
    }
  }
  EXPECT_EQ(s.find(0)->count, counted);
  EXPECT_GT(duplicates, 10'000u);
  EXPECT_GT(counted, 10'000u);
}

}  // namespace
}  // namespace mde
