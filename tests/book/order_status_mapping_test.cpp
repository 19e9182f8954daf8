// BTSE and Deflow status codes, mapped by the feeds' header-only functions, must land in the same
// tracker states as Coinone's statuses. Tested through the tracker, not the mapping table alone.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "book/book_test_util.hpp"
#include "mde/book/order_tracker.hpp"
#include "mde/feeds/btse/order_status.hpp"
#include "mde/feeds/deflow/order_status.hpp"

namespace mde {
namespace {

using test::fill_event;
using test::order_event;
using test::order_header;

// The state a fresh order reaches from one event of the given type.
OrderState state_after(OrderEventType type) {
  OrderTracker t(4);
  OrderEvent e = type == OrderEventType::fill || type == OrderEventType::filled
                     ? fill_event("o", type, "t", "1", "1")
                     : order_event("o", type);
  const OrderUpdate u = t.apply(order_header(1), e);
  return u.order != nullptr ? u.order->state : OrderState::unknown;
}

TEST(OrderStatusMapping, BtseStatusesLandInTrackerStates) {
  struct Case {
    std::int64_t code;
    OrderState state;
  };
  for (const Case c : {Case{1, OrderState::rejected}, Case{2, OrderState::open},
                       Case{4, OrderState::filled}, Case{5, OrderState::partially_filled},
                       Case{6, OrderState::cancelled}, Case{8, OrderState::rejected},
                       Case{9, OrderState::pending_trigger}, Case{10, OrderState::open},
                       Case{15, OrderState::rejected}, Case{0, OrderState::unknown},
                       Case{3, OrderState::unknown}, Case{7, OrderState::unknown},
                       Case{11, OrderState::unknown}, Case{-1, OrderState::unknown}}) {
    EXPECT_EQ(state_after(btse::order_event_type(c.code)), c.state) << "BTSE status " << c.code;
  }
}

TEST(OrderStatusMapping, DeflowStatusesLandInTrackerStates) {
  struct Case {
    std::int64_t code;
    OrderState state;
  };
  for (const Case c : {Case{0, OrderState::open}, Case{1, OrderState::open},
                       Case{2, OrderState::filled}, Case{3, OrderState::partially_filled},
                       Case{4, OrderState::cancelled}, Case{5, OrderState::open},
                       Case{6, OrderState::cancelled}, Case{7, OrderState::unknown},
                       Case{-1, OrderState::unknown}}) {
    EXPECT_EQ(state_after(deflow::order_event_type(c.code)), c.state) << "Deflow status " << c.code;
  }
}

TEST(OrderStatusMapping, BtseStopOrderLifecycleMatchesCoinone) {
  OrderTracker t(16);
  auto apply = [&](std::int64_t code) {
    return t.apply(order_header(1), order_event("stop", btse::order_event_type(code)))
        .order->state;
  };
  EXPECT_EQ(apply(9), OrderState::pending_trigger);   // TRIGGER_INSERTED
  EXPECT_EQ(apply(10), OrderState::open);             // TRIGGER_ACTIVATED
  EXPECT_EQ(apply(2), OrderState::open);              // ORDER_INSERTED
  EXPECT_EQ(apply(9), OrderState::open);              // a late trigger event does not re-arm
  EXPECT_EQ(apply(6), OrderState::cancelled);         // ORDER_CANCELLED
  EXPECT_EQ(t.find(Venue::coinone, "stop")->cancel_reason, CancelReason::user);
}

TEST(OrderStatusMapping, DeflowPendingCancelKeepsPartialFill) {
  OrderTracker t(16);
  (void)t.apply(order_header(1),
                fill_event("d", deflow::order_event_type(deflow::OrderStatus::partially_filled),
                           "t1", "2", "1"));
  const OrderUpdate u = t.apply(
      order_header(2), order_event("d", deflow::order_event_type(deflow::OrderStatus::pending_cancel)));
  EXPECT_EQ(u.order->state, OrderState::partially_filled);
  const OrderUpdate expired = t.apply(
      order_header(3), order_event("d", deflow::order_event_type(deflow::OrderStatus::expired)));
  EXPECT_EQ(expired.order->state, OrderState::cancelled);
}

TEST(OrderStatusMapping, BtseFullyTransactedRepeatingLastFillCountsOnce) {
  OrderTracker t(16);
  (void)t.apply(order_header(1), fill_event("b", btse::order_event_type(5), "9001", "30000", "0.5"));
  const OrderUpdate u =
      t.apply(order_header(2), fill_event("b", btse::order_event_type(4), "9001", "30000", "0.5"));
  EXPECT_TRUE(u.duplicate_fill);
  EXPECT_EQ(u.order->state, OrderState::filled);
  EXPECT_EQ(u.order->filled_qty, test::dec("0.5"));
}

}  // namespace
}  // namespace mde
