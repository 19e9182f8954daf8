// The simulator's MYORDER times, as protocols.md A7.4/A7.6 show them: `order_timestamp` is the
// time the order was placed on the book (the wait example has ot == ts), repeated by its fills,
// and null where the examples show null (watch, cancel, cancel_post_only); watch carries its
// executed_timestamp; `trade_done` repeats its last fill, times included; a post-only cancel has
// executed_timestamp 0; a duplicated fill (fault) is the same bytes again.
// Found by an independent Node client's reference model (the simulator stamped each event's own
// time as its order_timestamp). Without sockets: the feed's frames, in both key formats.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "live/live_test_support.hpp"
#include "mde/core/clock.hpp"
#include "mde/sim/coinone_private.hpp"

namespace mde {
namespace {

using sim::SimClock;

constexpr std::int64_t kNull = -1;

// One MYORDER event's identity and times, read from either key format.
struct OrderTimes {
  std::string order_id, status;
  std::int64_t ts = kNull, ot = kNull, et = kNull;
};

std::int64_t number_or_null(simdjson::dom::element d, const char* key) {
  std::int64_t v = kNull;
  if (d[key].get(v) != simdjson::SUCCESS) return kNull;
  return v;
}

std::optional<OrderTimes> order_times(std::string_view text) {
  static simdjson::dom::parser parser;
  simdjson::dom::element root, d;
  if (parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) return std::nullopt;
  const bool is_short = root["d"].get(d) == simdjson::SUCCESS;
  if (!is_short && root["data"].get(d) != simdjson::SUCCESS) return std::nullopt;
  std::string_view channel, id, status;
  if (root[is_short ? "c" : "channel"].get(channel) != simdjson::SUCCESS || channel != "MYORDER") {
    return std::nullopt;
  }
  if (d[is_short ? "oi" : "order_id"].get(id) != simdjson::SUCCESS ||
      d[is_short ? "st" : "status"].get(status) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return OrderTimes{std::string(id), std::string(status),
                    number_or_null(d, is_short ? "ts" : "timestamp"),
                    number_or_null(d, is_short ? "ot" : "order_timestamp"),
                    number_or_null(d, is_short ? "et" : "executed_timestamp")};
}

// Every MYORDER event the feed yields in `calls` calls, in DEFAULT then SHORT keys.
struct Yielded {
  std::vector<OrderTimes> long_keys, short_keys;
};
void take(sim::CoinonePrivateFeed& feed, Yielded& out) {
  const sim::MarketFrame f = feed.next_frame();
  if (f.text.empty()) return;
  if (auto a = order_times(f.text)) out.long_keys.push_back(*a);
  if (auto b = order_times(feed.last_short())) out.short_keys.push_back(*b);
}

// Per order, in yield order.
std::map<std::string, std::vector<OrderTimes>> by_order(const std::vector<OrderTimes>& events) {
  std::map<std::string, std::vector<OrderTimes>> orders;
  for (const OrderTimes& e : events) orders[e.order_id].push_back(e);
  return orders;
}

// The first 200 events of seed 7 on the fixed clock, which advances one second per event (one
// event per call at these rates), so an order's events have distinct times.
Yielded first_fixed_clock_events() {
  sim::CoinonePrivateFeed feed(7, 100, 100, {}, SimClock::fixed);
  Yielded got;
  for (int i = 0; i < 200; ++i) take(feed, got);
  return got;
}

TEST(SimOrderTimes, OrderTimestampIsWhenTheOrderWasPlacedOnItsWaitAndFillsAndNullElsewhere) {
  const Yielded got = first_fixed_clock_events();
  for (const auto* events : {&got.long_keys, &got.short_keys}) {
    int fills_after_placing = 0, watched = 0, cancels = 0;
    const auto orders = by_order(*events);
    ASSERT_GE(orders.size(), 10u);
    for (const auto& [id, list] : orders) {
      std::int64_t placed = kNull;  // the wait event's time (a stop order's comes after its watch)
      for (const OrderTimes& e : list) {
        if (e.status == "wait") {
          placed = e.ts;
          EXPECT_EQ(e.ot, e.ts) << id;
          EXPECT_EQ(e.et, kNull) << id;
        } else if (e.status == "trade" || e.status == "trade_done") {
          ASSERT_NE(placed, kNull) << id << ": a fill before the order was placed";
          EXPECT_EQ(e.ot, placed) << id << " " << e.status;
          if (e.ts > placed) ++fills_after_placing;
        } else {  // watch, cancel, cancel_post_only: ot null as in the examples
          EXPECT_EQ(e.ot, kNull) << id << " " << e.status;
          if (e.status == "watch") {
            ++watched;
            EXPECT_EQ(e.et, e.ts) << id;
          }
          if (e.status == "cancel") ++cancels;
        }
      }
    }
    // The checks above could fail: fills come after their placing, and every status occurs.
    EXPECT_GT(fills_after_placing, 10);
    EXPECT_GT(watched, 3);
    EXPECT_GT(cancels, 3);
  }
}

TEST(SimOrderTimes, TradeDoneRepeatsItsLastFillTimesIncluded) {
  const Yielded got = first_fixed_clock_events();
  int done = 0;
  for (const auto& [id, list] : by_order(got.long_keys)) {
    for (std::size_t k = 1; k < list.size(); ++k) {
      if (list[k].status != "trade_done") continue;
      ++done;
      ASSERT_EQ(list[k - 1].status, "trade") << id;
      EXPECT_EQ(list[k].ts, list[k - 1].ts) << id;
      EXPECT_EQ(list[k].et, list[k - 1].et) << id;
      EXPECT_EQ(list[k].ot, list[k - 1].ot) << id;
    }
  }
  EXPECT_GT(done, 3);
}

TEST(SimOrderTimes, APostOnlyCancelHasExecutedTimestampZero) {
  const Yielded got = first_fixed_clock_events();
  int cancels = 0;
  for (const auto* events : {&got.long_keys, &got.short_keys}) {
    for (const OrderTimes& e : *events) {
      if (e.status != "cancel_post_only") continue;
      ++cancels;
      EXPECT_EQ(e.et, 0) << e.order_id;  // the A7.4 example; 0 means absent
    }
  }
  EXPECT_GT(cancels, 3);
}

// Waits (with a deadline) until the wall clock's second is past `s`.
bool wait_for_second_after(std::int64_t s) {
  return live_test::wait_until([&] { return wall_ns() / 1'000'000'000 > s; },
                               std::chrono::seconds(3));
}

// SimClock::wall stamps an event when it is yielded; the order's placement time stays.
TEST(SimOrderTimes, OnTheWallClockAnOrderKeepsItsPlacementTimeAcrossSeconds) {
  sim::CoinonePrivateFeed feed(7, 100, 100, {}, SimClock::wall);
  Yielded got;
  while (got.long_keys.empty()) take(feed, got);  // the first order's opening event
  const OrderTimes opening = got.long_keys.front();
  ASSERT_EQ(opening.status, "wait");
  ASSERT_TRUE(wait_for_second_after(opening.ts));
  for (int i = 0; i < 12; ++i) take(feed, got);  // the rest of the order (and the next ones)
  int later = 0;
  for (const auto* events : {&got.long_keys, &got.short_keys}) {
    const auto list = by_order(*events).at(opening.order_id);
    ASSERT_GE(list.size(), 3u);
    for (const OrderTimes& e : list) {
      EXPECT_EQ(e.ot, opening.ts) << e.status;
      if (e.ts > opening.ts) ++later;
    }
  }
  EXPECT_GT(later, 0);  // events sent in a later second: the old stamping would differ there
}

TEST(SimOrderTimes, ADuplicatedFillIsTheSameBytesEvenASecondLater) {
  sim::CoinonePrivateFeed feed(7, 100, 100, {}, SimClock::wall);
  feed.duplicate_next_order_event();
  std::string fill_long, fill_short;
  for (int i = 0; i < 20 && fill_long.empty(); ++i) {
    const sim::MarketFrame f = feed.next_frame();
    const auto e = order_times(f.text);
    if (e && e->status == "trade") {
      fill_long = std::string(f.text);
      fill_short = std::string(feed.last_short());
    }
  }
  ASSERT_FALSE(fill_long.empty());
  ASSERT_TRUE(wait_for_second_after(order_times(fill_long)->ts));
  const sim::MarketFrame again = feed.next_frame();
  EXPECT_EQ(again.text, fill_long);
  EXPECT_EQ(feed.last_short(), fill_short);
}

// Both order faults on the same order: the opening event comes after the first fill, so the
// fill's repeat is no longer right after it, and is still the bytes the fill was sent as.
TEST(SimOrderTimes, ADuplicatedFillIsTheSameBytesWhenAReorderSeparatesIt) {
  sim::CoinonePrivateFeed feed(7, 100, 100, {}, SimClock::wall);
  feed.duplicate_next_order_event();  // the first order: wait, trade, trade (again), ...
  feed.reorder_next_order_events();   // trade, wait, trade (again), ...
  const sim::MarketFrame first = feed.next_frame();
  const std::string fill_long(first.text), fill_short(feed.last_short());
  const auto fill = order_times(fill_long);
  ASSERT_TRUE(fill && fill->status == "trade") << fill_long;
  ASSERT_TRUE(wait_for_second_after(fill->ts));
  std::vector<std::string> order_events;  // the MYORDER frames next, the MYASSET ones skipped
  std::string again_short;
  for (int i = 0; i < 6 && order_events.size() < 2; ++i) {
    const sim::MarketFrame f = feed.next_frame();
    if (!order_times(f.text)) continue;
    order_events.emplace_back(f.text);
    again_short = feed.last_short();
  }
  ASSERT_EQ(order_events.size(), 2u);
  EXPECT_EQ(order_times(order_events[0])->status, "wait");
  EXPECT_EQ(order_events[1], fill_long);
  EXPECT_EQ(again_short, fill_short);
}

}  // namespace
}  // namespace mde
