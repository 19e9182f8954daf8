#include "mde/book/order_tracker.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "book/book_test_util.hpp"

namespace mde {
namespace {

using test::dec;
using test::fill_event;
using test::notional;
using test::order_event;
using test::order_header;

constexpr std::string_view kOrder = "1b48b02b-1e4d-11e9-9ec7-00e04c3600d7";
constexpr std::string_view kTrade = "1e9c062e-1e4d-11e9-9ec7-00e04c3600d7";

TEST(OrderTracker, WaitOpensOrderAndKeepsItsDescription) {
  OrderTracker t(16);
  OrderEvent e = order_event("1b48b023-1e4d-11e9-9ec7-00e04c3600d7", OrderEventType::open);
  e.order_price = dec("6000000.0000");
  e.order_qty = dec("1.00000000");
  (void)e.client_order_id.assign("74cd2974-b006-4773-a462-717b026f2778");
  e.present = kOrderPrice | kOrderQty | kClientOrderId;
  const OrderUpdate u = t.apply(order_header(1000, 3), e);

  ASSERT_EQ(u.status, OrderApply::applied);
  ASSERT_NE(u.order, nullptr);
  EXPECT_TRUE(u.created);
  EXPECT_TRUE(u.state_changed);
  EXPECT_EQ(u.previous, OrderState::unknown);
  const Order& o = *u.order;
  EXPECT_EQ(o.state, OrderState::open);
  EXPECT_EQ(o.instrument, 3);
  EXPECT_EQ(o.side, Side::buy);
  EXPECT_EQ(o.order_type, OrderType::limit);
  EXPECT_EQ(o.client_order_id, "74cd2974-b006-4773-a462-717b026f2778");
  EXPECT_EQ(o.order_price, dec("6000000"));
  EXPECT_EQ(o.order_qty, dec("1"));
  EXPECT_TRUE(o.filled_qty.is_zero());
  EXPECT_EQ(o.fill_count, 0u);
  EXPECT_EQ(o.first_seen_ns, 1000);
  EXPECT_EQ(o.last_update_ns, 1000);
  EXPECT_EQ(o.sequence, 1u);
  EXPECT_EQ(t.find(Venue::coinone, "1b48b023-1e4d-11e9-9ec7-00e04c3600d7"), &o);
  EXPECT_EQ(t.find(Venue::coinone, "no-such-order"), nullptr);
  EXPECT_EQ(t.active(), 1u);
}

TEST(OrderTracker, OrderWithoutClientIdKeepsItEmpty) {
  OrderTracker t(16);
  const OrderUpdate u = t.apply(order_header(1), order_event("a", OrderEventType::open));
  ASSERT_NE(u.order, nullptr);
  EXPECT_TRUE(u.order->client_order_id.empty());
}

TEST(OrderTracker, StopOrderWaitsForTriggerThenOpens) {
  OrderTracker t(16);
  // `watch` and `not_triggered` both decode to pending_trigger.
  EXPECT_EQ(t.apply(order_header(1), order_event("stop", OrderEventType::pending_trigger))
                .order->state,
            OrderState::pending_trigger);
  EXPECT_EQ(t.apply(order_header(2), order_event("stop", OrderEventType::pending_trigger))
                .order->state,
            OrderState::pending_trigger);
  const OrderUpdate u = t.apply(order_header(3), order_event("stop", OrderEventType::open));
  EXPECT_TRUE(u.state_changed);
  EXPECT_EQ(u.previous, OrderState::pending_trigger);
  EXPECT_EQ(u.order->state, OrderState::open);
  // A late `watch` after the trigger fired does not re-arm it.
  EXPECT_EQ(t.apply(order_header(4), order_event("stop", OrderEventType::pending_trigger))
                .order->state,
            OrderState::open);
  EXPECT_EQ(t.counters().out_of_order, 1u);
}

TEST(OrderTracker, TradeThenTradeDoneCountsTheSharedFillOnce) {
  OrderTracker t(16);
  (void)t.apply(order_header(1), order_event(kOrder, OrderEventType::open));
  const OrderUpdate trade =
      t.apply(order_header(2), fill_event(kOrder, OrderEventType::fill, kTrade, "6244000", "0.01"));
  EXPECT_TRUE(trade.fill_counted);
  EXPECT_EQ(trade.order->state, OrderState::partially_filled);

  const OrderUpdate done = t.apply(
      order_header(3), fill_event(kOrder, OrderEventType::filled, kTrade, "6244000", "0.01"));
  EXPECT_FALSE(done.fill_counted);
  EXPECT_TRUE(done.duplicate_fill);
  EXPECT_TRUE(done.state_changed);
  const Order& o = *done.order;
  EXPECT_EQ(o.state, OrderState::filled);
  EXPECT_EQ(o.filled_qty, dec("0.01"));
  EXPECT_EQ(o.filled_notional, notional("62440"));
  EXPECT_EQ(o.fill_count, 1u);
  EXPECT_EQ(t.counters().fills_counted, 1u);
  EXPECT_EQ(t.counters().duplicate_fills, 1u);
  EXPECT_EQ(t.active(), 0u);
}

TEST(OrderTracker, TradeDoneAloneCountsItsFill) {
  OrderTracker t(16);
  // The `trade` event was lost: the final fill still counts, once.
  const OrderUpdate u = t.apply(
      order_header(1), fill_event(kOrder, OrderEventType::filled, kTrade, "6244000", "0.01"));
  EXPECT_TRUE(u.created);
  EXPECT_TRUE(u.fill_counted);
  EXPECT_EQ(u.order->state, OrderState::filled);
  EXPECT_EQ(u.order->filled_qty, dec("0.01"));
}

TEST(OrderTracker, RepeatedTradeEventCountsOnce) {
  OrderTracker t(16);
  const OrderEvent fill = fill_event(kOrder, OrderEventType::fill, kTrade, "100", "2", "0.1");
  (void)t.apply(order_header(1), fill);
  const OrderUpdate again = t.apply(order_header(2), fill);
  EXPECT_TRUE(again.duplicate_fill);
  EXPECT_EQ(again.order->filled_qty, dec("2"));
  EXPECT_EQ(again.order->fees, dec("0.1"));
  EXPECT_EQ(again.order->fill_count, 1u);
}

TEST(OrderTracker, WaitAfterTradeDoneLeavesOrderFilled) {
  OrderTracker t(16);
  (void)t.apply(order_header(1), fill_event(kOrder, OrderEventType::filled, kTrade, "10", "1"));
  const OrderUpdate late = t.apply(order_header(2), order_event(kOrder, OrderEventType::open));
  EXPECT_FALSE(late.state_changed);
  EXPECT_EQ(late.order->state, OrderState::filled);
  EXPECT_EQ(t.counters().out_of_order, 1u);
  EXPECT_EQ(late.order->last_update_ns, 2);  // it was seen, just not obeyed
}

TEST(OrderTracker, WaitAfterPartialFillKeepsPartiallyFilled) {
  OrderTracker t(16);
  (void)t.apply(order_header(1), fill_event(kOrder, OrderEventType::fill, "t1", "10", "1"));
  EXPECT_EQ(t.apply(order_header(2), order_event(kOrder, OrderEventType::open)).order->state,
            OrderState::partially_filled);
}

TEST(OrderTracker, CancelAfterPartialFillKeepsFilledQuantity) {
  OrderTracker t(16);
  (void)t.apply(order_header(1), order_event(kOrder, OrderEventType::open, Side::sell));
  (void)t.apply(order_header(2), fill_event(kOrder, OrderEventType::fill, "t1", "10", "0.25"));
  // A cancel's executed_qty is the cancelled remainder, not a fill.
  OrderEvent cancel = order_event(kOrder, OrderEventType::cancelled, Side::sell);
  cancel.executed_qty = dec("0.75");
  cancel.present = kExecutedQty;
  const OrderUpdate u = t.apply(order_header(3), cancel);
  EXPECT_TRUE(u.state_changed);
  EXPECT_EQ(u.previous, OrderState::partially_filled);
  EXPECT_EQ(u.order->state, OrderState::cancelled);
  EXPECT_EQ(u.order->cancel_reason, CancelReason::user);
  EXPECT_EQ(u.order->filled_qty, dec("0.25"));
  EXPECT_EQ(u.order->side, Side::sell);
}

TEST(OrderTracker, CancelPostOnlyRecordsItsReason) {
  OrderTracker t(16);
  OrderEvent e = order_event("1b48b02c", OrderEventType::cancelled_post_only);
  e.executed_qty = dec("0.01");
  e.present = kExecutedQty;
  const OrderUpdate u = t.apply(order_header(1), e);
  EXPECT_EQ(u.order->state, OrderState::cancelled);
  EXPECT_EQ(u.order->cancel_reason, CancelReason::post_only);
  EXPECT_TRUE(u.order->filled_qty.is_zero());
}

TEST(OrderTracker, RejectedIsTerminal) {
  OrderTracker t(16);
  EXPECT_EQ(t.apply(order_header(1), order_event("r", OrderEventType::rejected)).order->state,
            OrderState::rejected);
  EXPECT_EQ(t.apply(order_header(2), order_event("r", OrderEventType::open)).order->state,
            OrderState::rejected);
}

TEST(OrderTracker, UnknownStatusNeverMovesState) {
  OrderTracker t(16);
  const OrderUpdate first = t.apply(order_header(1), order_event("u", OrderEventType::unknown));
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.order->state, OrderState::unknown);
  EXPECT_FALSE(first.state_changed);
  EXPECT_EQ(t.apply(order_header(2), order_event("u", OrderEventType::open)).order->state,
            OrderState::open);
  EXPECT_EQ(t.apply(order_header(3), order_event("u", OrderEventType::unknown)).order->state,
            OrderState::open);
  EXPECT_EQ(t.counters().unknown_events, 2u);
  EXPECT_EQ(t.counters().out_of_order, 0u);
}

TEST(OrderTracker, FirstTerminalStateIsFinal) {
  OrderTracker t(16);
  (void)t.apply(order_header(1), fill_event(kOrder, OrderEventType::filled, kTrade, "10", "1"));
  EXPECT_EQ(t.apply(order_header(2), order_event(kOrder, OrderEventType::cancelled)).order->state,
            OrderState::filled);
  EXPECT_EQ(t.counters().out_of_order, 1u);
}

TEST(OrderTracker, NewFillAfterCancelCountsOnceAndStaysCancelled) {
  OrderTracker t(16);
  (void)t.apply(order_header(1), order_event(kOrder, OrderEventType::open));
  (void)t.apply(order_header(2), order_event(kOrder, OrderEventType::cancelled));
  const OrderEvent late = fill_event(kOrder, OrderEventType::fill, "late", "10", "0.5");
  const OrderUpdate u = t.apply(order_header(3), late);
  EXPECT_TRUE(u.fill_counted);
  EXPECT_FALSE(u.state_changed);
  EXPECT_EQ(u.order->state, OrderState::cancelled);
  EXPECT_EQ(u.order->filled_qty, dec("0.5"));
  EXPECT_EQ(t.counters().fills_after_terminal, 1u);
  EXPECT_TRUE(t.apply(order_header(4), late).duplicate_fill);
  EXPECT_EQ(t.find(Venue::coinone, kOrder)->filled_qty, dec("0.5"));
}

TEST(OrderTracker, FillForUnseenOrderCreatesIt) {
  OrderTracker t(16);
  OrderEvent e = fill_event("never-seen", OrderEventType::fill, "t1", "5", "3");
  e.side = Side::sell;
  const OrderUpdate u = t.apply(order_header(42, 9), e);
  EXPECT_TRUE(u.created);
  EXPECT_TRUE(u.fill_counted);
  EXPECT_EQ(u.order->state, OrderState::partially_filled);
  EXPECT_EQ(u.order->side, Side::sell);
  EXPECT_EQ(u.order->instrument, 9);
  EXPECT_EQ(u.order->filled_qty, dec("3"));
  EXPECT_EQ(t.counters().created, 1u);
}

TEST(OrderTracker, AccumulatesNotionalAndFeesExactly) {
  OrderTracker t(16);
  // Values whose binary floating-point sum is not exact (0.1 + 0.2).
  (void)t.apply(order_header(1), fill_event("x", OrderEventType::fill, "a", "0.1", "0.1",
                                            "0.00000001"));
  (void)t.apply(order_header(2), fill_event("x", OrderEventType::fill, "b", "0.2", "0.3",
                                            "0.00000002"));
  (void)t.apply(order_header(3), fill_event("x", OrderEventType::fill, "c", "92233720.36854775",
                                            "0.00000001", "0"));
  const Order& o = *t.find(Venue::coinone, "x");
  EXPECT_EQ(o.filled_qty, dec("0.40000001"));
  // 0.01 + 0.06 + 0.9223372036854775 (exact to 16 places)
  EXPECT_EQ(o.filled_notional, notional("0.9923372036854775"));
  EXPECT_EQ(o.fees, dec("0.00000003"));
  EXPECT_EQ(o.fill_count, 3u);
}

// A fill whose price x qty does not fit a Notional is refused (counted as overflow), not wrapped;
// the fills before it keep their exact totals.
TEST(OrderTracker, FillWhoseNotionalWouldOverflowIsNotAdded) {
  OrderTracker t(16);
  (void)t.apply(order_header(1), fill_event("x", OrderEventType::fill, "a", "0.0001",
                                            "250000000000.5", "0"));
  (void)t.apply(order_header(2), fill_event("x", OrderEventType::fill, "b", "1000000000000000",
                                            "1000000000000000", "0"));
  const Order& o = *t.find(Venue::coinone, "x");
  EXPECT_EQ(o.filled_qty, dec("250000000000.5"));
  EXPECT_EQ(o.filled_notional, notional("25000000.00005"));
  EXPECT_EQ(o.fill_count, 1u);
  EXPECT_EQ(t.counters().overflow, 1u);
}

TEST(OrderTracker, FillWithoutTradeIdMovesStateButIsNotCounted) {
  OrderTracker t(16);
  OrderEvent e = order_event("x", OrderEventType::fill);
  e.executed_qty = dec("1");
  e.executed_price = dec("1");
  e.present = kExecutedQty | kExecutedPrice;
  const OrderUpdate u = t.apply(order_header(1), e);
  EXPECT_EQ(u.order->state, OrderState::partially_filled);
  EXPECT_FALSE(u.fill_counted);
  EXPECT_TRUE(u.order->filled_qty.is_zero());
  EXPECT_EQ(t.counters().fills_without_trade_id, 1u);
}

TEST(OrderTracker, RefusesEventWithoutOrderId) {
  OrderTracker t(16);
  const OrderUpdate u = t.apply(order_header(1), order_event("", OrderEventType::open));
  EXPECT_EQ(u.status, OrderApply::malformed);
  EXPECT_EQ(u.order, nullptr);
  EXPECT_EQ(t.size(), 0u);
}

TEST(OrderTracker, RoundsCapacityUpToPowerOfTwoAndRefusesZero) {
  EXPECT_EQ(OrderTracker(5).capacity(), 8u);
  EXPECT_EQ(OrderTracker(8).trade_memory(), 32u);
  EXPECT_EQ(OrderTracker(8, 100).trade_memory(), 128u);
  EXPECT_THROW(OrderTracker(0), std::invalid_argument);
}

std::vector<std::string> ids_in_order(const OrderTracker& t) {
  std::vector<std::string> out;
  t.for_each([&](const Order& o) { out.emplace_back(o.order_id.view()); });
  return out;
}

TEST(OrderTracker, EvictsOrderFinishedLongestAgoAndNeverAnOpenOne) {
  OrderTracker t(4);
  (void)t.apply(order_header(1), order_event("open-a", OrderEventType::open));
  (void)t.apply(order_header(2), order_event("done-b", OrderEventType::open));
  (void)t.apply(order_header(3), order_event("done-c", OrderEventType::open));
  (void)t.apply(order_header(4), order_event("open-d", OrderEventType::open));
  // c finishes before b: c is the first to go, although b was seen first.
  (void)t.apply(order_header(5), order_event("done-c", OrderEventType::cancelled));
  (void)t.apply(order_header(6), order_event("done-b", OrderEventType::rejected));
  EXPECT_EQ(t.size(), 4u);
  EXPECT_EQ(t.active(), 2u);

  EXPECT_TRUE(t.apply(order_header(7), order_event("open-e", OrderEventType::open)).created);
  EXPECT_EQ(t.find(Venue::coinone, "done-c"), nullptr);
  EXPECT_NE(t.find(Venue::coinone, "done-b"), nullptr);
  EXPECT_TRUE(t.apply(order_header(8), order_event("open-f", OrderEventType::open)).created);
  EXPECT_EQ(t.find(Venue::coinone, "done-b"), nullptr);
  EXPECT_EQ(t.counters().evicted, 2u);

  // Four open orders: nothing may go.
  const OrderUpdate refused = t.apply(order_header(9), order_event("open-g", OrderEventType::open));
  EXPECT_EQ(refused.status, OrderApply::table_full);
  EXPECT_EQ(refused.order, nullptr);
  EXPECT_EQ(t.counters().table_full, 1u);
  EXPECT_EQ(ids_in_order(t), (std::vector<std::string>{"open-a", "open-d", "open-e", "open-f"}));
  for (const char* id : {"open-a", "open-d", "open-e", "open-f"}) {
    ASSERT_NE(t.find(Venue::coinone, id), nullptr) << id;
    EXPECT_EQ(t.find(Venue::coinone, id)->state, OrderState::open) << id;
  }
  // Events for tracked orders still apply when the table is full.
  EXPECT_EQ(t.apply(order_header(10), order_event("open-a", OrderEventType::cancelled))
                .order->state,
            OrderState::cancelled);
  EXPECT_TRUE(t.apply(order_header(11), order_event("open-g", OrderEventType::open)).created);
  EXPECT_EQ(t.find(Venue::coinone, "open-a"), nullptr);
}

TEST(OrderTracker, IteratesInFirstSeenOrder) {
  OrderTracker t(16);
  for (const char* id : {"c", "a", "b"}) {
    (void)t.apply(order_header(1), order_event(id, OrderEventType::open));
  }
  (void)t.apply(order_header(2), order_event("a", OrderEventType::cancelled));
  EXPECT_EQ(ids_in_order(t), (std::vector<std::string>{"c", "a", "b"}));
  std::vector<std::uint64_t> sequences;
  t.for_each([&](const Order& o) { sequences.push_back(o.sequence); });
  EXPECT_EQ(sequences, (std::vector<std::uint64_t>{1, 2, 3}));
}

TEST(OrderTracker, RemembersTradeIdsBeyondPerOrderRingThroughGlobalMemory) {
  OrderTracker t(16, 64);
  for (int i = 0; i < 20; ++i) {
    (void)t.apply(order_header(i), fill_event("big", OrderEventType::fill,
                                              test::numbered("t", i), "1", "1"));
  }
  // t0 left the order's ring of 8 long ago; the global memory of 64 still holds it.
  EXPECT_TRUE(t.apply(order_header(99), fill_event("big", OrderEventType::fill, "t0", "1", "1"))
                  .duplicate_fill);
  EXPECT_EQ(t.find(Venue::coinone, "big")->filled_qty, dec("20"));
}

TEST(OrderTracker, RepeatOlderThanBothMemoriesIsCountedAgain) {
  // The documented bound: 8 per order and `trade_memory` overall. Past both, a repeat is new.
  OrderTracker t(16, 4);
  for (int i = 0; i < 12; ++i) {
    (void)t.apply(order_header(i), fill_event("big", OrderEventType::fill,
                                              test::numbered("t", i), "1", "1"));
  }
  // t5 is only in the order's ring (the global memory of 4 holds t8..t11); t11 is in both.
  EXPECT_TRUE(t.apply(order_header(97), fill_event("big", OrderEventType::fill, "t5", "1", "1"))
                  .duplicate_fill);
  EXPECT_TRUE(t.apply(order_header(98), fill_event("big", OrderEventType::fill, "t11", "1", "1"))
                  .duplicate_fill);
  EXPECT_TRUE(t.apply(order_header(99), fill_event("big", OrderEventType::fill, "t0", "1", "1"))
                  .fill_counted);
  EXPECT_EQ(t.find(Venue::coinone, "big")->filled_qty, dec("13"));
}

TEST(OrderTracker, GlobalTradeMemoryStaysExactThroughChurn) {
  // 400 fills on one order through a global memory of 64: every id 9..63 fills back is found only
  // in the global set, which has had hundreds of deletions by then.
  OrderTracker t(16, 64);
  std::mt19937_64 rng(3);
  for (std::uint64_t k = 0; k < 400; ++k) {
    ASSERT_TRUE(t.apply(order_header(1), fill_event("big", OrderEventType::fill,
                                                    test::numbered("t", k), "1", "1"))
                    .fill_counted);
    if (k >= 64) {
      const std::uint64_t back = k - 8 - rng() % 55;
      ASSERT_TRUE(t.apply(order_header(1), fill_event("big", OrderEventType::fill,
                                                      test::numbered("t", back), "1", "1"))
                      .duplicate_fill)
          << "t" << back << " forgotten at fill " << k;
    }
  }
  EXPECT_EQ(t.find(Venue::coinone, "big")->filled_qty, dec("400"));
}

TEST(OrderTracker, TradeIdsAreKeyedPerOrder) {
  OrderTracker t(16);
  // Two orders that share a trade id (maker and taker of one of our own crosses) both count it.
  EXPECT_TRUE(t.apply(order_header(1), fill_event("buy", OrderEventType::fill, "T", "1", "1"))
                  .fill_counted);
  EXPECT_TRUE(t.apply(order_header(2), fill_event("sell", OrderEventType::fill, "T", "1", "1"))
                  .fill_counted);
}

// Random creations, fills and terminal events against a model of the documented eviction rule:
// the table never loses an active order, evicts in finishing order, and its index stays exact
// through many backward-shift deletions.
TEST(OrderTracker, RandomChurnMatchesEvictionModel) {
  constexpr std::size_t kCapacity = 16;
  OrderTracker t(kCapacity, 32);
  std::mt19937_64 rng(7);
  std::set<std::string> active;
  std::deque<std::string> finished;  // oldest terminal first
  std::uint64_t next = 0, refusals = 0;
  auto pick = [&](const std::set<std::string>& s) {
    auto it = s.begin();
    std::advance(it, static_cast<long>(rng() % s.size()));
    return *it;
  };
  for (int step = 0; step < 20'000; ++step) {
    const std::uint64_t dice = rng() % 10;
    if (dice < 4 || active.empty()) {
      const std::string id = "o" + std::to_string(next++);
      const OrderUpdate u = t.apply(order_header(step), order_event(id, OrderEventType::open));
      if (active.size() + finished.size() == kCapacity) {
        if (finished.empty()) {
          ASSERT_EQ(u.status, OrderApply::table_full);
          ++refusals;
          continue;
        }
        ASSERT_EQ(t.find(Venue::coinone, finished.front()), nullptr);
        finished.pop_front();
      }
      ASSERT_TRUE(u.created);
      active.insert(id);
    } else if (dice < 7) {
      const std::string id = pick(active);
      (void)t.apply(order_header(step), fill_event(id, OrderEventType::fill,
                                                   test::numbered("f", step), "1", "1"));
    } else {
      const std::string id = pick(active);
      (void)t.apply(order_header(step), order_event(id, OrderEventType::cancelled));
      active.erase(id);
      finished.push_back(id);
    }
    ASSERT_EQ(t.size(), active.size() + finished.size());
    ASSERT_EQ(t.active(), active.size());
    for (const std::string& id : active) {
      const Order* o = t.find(Venue::coinone, id);
      ASSERT_NE(o, nullptr) << id;
      ASSERT_FALSE(is_terminal(o->state)) << id;
    }
    for (const std::string& id : finished) ASSERT_NE(t.find(Venue::coinone, id), nullptr) << id;
  }
  EXPECT_GT(t.counters().evicted, 1000u);
  EXPECT_GT(refusals, 0u);
}

TEST(OrderTracker, SameOrderIdOnTwoVenuesIsTwoOrders) {
  OrderTracker t(16);
  const OrderUpdate a = t.apply(order_header(1, 3, Venue::coinone),
                                order_event("42", OrderEventType::open));
  const OrderUpdate b = t.apply(order_header(2, 9, Venue::btse),
                                test::fill_event("42", OrderEventType::filled, "t1", "10", "1"));
  ASSERT_EQ(a.status, OrderApply::applied);
  ASSERT_EQ(b.status, OrderApply::applied);
  EXPECT_TRUE(b.created);
  EXPECT_EQ(t.size(), 2u);
  ASSERT_NE(t.find(Venue::coinone, "42"), nullptr);
  ASSERT_NE(t.find(Venue::btse, "42"), nullptr);
  EXPECT_EQ(t.find(Venue::coinone, "42")->state, OrderState::open);
  EXPECT_EQ(t.find(Venue::btse, "42")->state, OrderState::filled);
  EXPECT_EQ(t.find(Venue::btse, "42")->venue, Venue::btse);
  EXPECT_EQ(t.find(Venue::deflow, "42"), nullptr);
}

TEST(OrderTracker, EventOnAnotherMarketIsRefusedAndNeverMerged) {
  OrderTracker t(16);
  ASSERT_EQ(t.apply(order_header(1, 3), order_event("x", OrderEventType::open)).status,
            OrderApply::applied);
  const OrderUpdate u =
      t.apply(order_header(2, 4), test::fill_event("x", OrderEventType::filled, "t1", "10", "1"));
  EXPECT_EQ(u.status, OrderApply::market_mismatch);
  EXPECT_EQ(u.order, nullptr);
  EXPECT_EQ(t.counters().market_mismatch, 1u);
  const Order* o = t.find(Venue::coinone, "x");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->state, OrderState::open);
  EXPECT_TRUE(o->filled_qty.is_zero());
  EXPECT_EQ(o->instrument, 3);
  // An event that names no instrument disagrees with nothing.
  EXPECT_EQ(t.apply(order_header(3, kNoInstrument), order_event("x", OrderEventType::cancelled))
                .status,
            OrderApply::applied);
  EXPECT_EQ(o->state, OrderState::cancelled);
  EXPECT_STREQ(to_string(OrderApply::market_mismatch), "market_mismatch");
}

}  // namespace
}  // namespace mde
