// BTSE order status codes (notificationApiV2 `status`, protocols.md B7) -> mde::OrderEventType,
// so that BTSE order events land in the same OrderTracker states as every other venue's.
//
// Header-only, constexpr, no allocation. Codes the sheet does not list map to
// OrderEventType::unknown: never guess a state.
#pragma once

#include <cstdint>

#include "mde/core/events.hpp"

namespace mde::btse {

enum class OrderStatus : std::int32_t {
  market_unavailable = 1,
  order_inserted = 2,
  order_fully_transacted = 4,
  order_partially_transacted = 5,
  order_cancelled = 6,
  insufficient_balance = 8,
  trigger_inserted = 9,
  trigger_activated = 10,
  order_rejected = 15,
};

[[nodiscard]] constexpr OrderEventType order_event_type(std::int64_t status) noexcept {
  switch (status) {
    case 1: return OrderEventType::rejected;  // MARKET_UNAVAILABLE: the order never rested
    case 2: return OrderEventType::open;      // ORDER_INSERTED
    // ORDER_FULLY_TRANSACTED carries the last fill; the tracker counts its trade id once.
    case 4: return OrderEventType::filled;
    case 5: return OrderEventType::fill;                 // ORDER_PARTIALLY_TRANSACTED
    case 6: return OrderEventType::cancelled;            // ORDER_CANCELLED
    case 8: return OrderEventType::rejected;             // INSUFFICIENT_BALANCE
    case 9: return OrderEventType::pending_trigger;      // TRIGGER_INSERTED
    case 10: return OrderEventType::open;                // TRIGGER_ACTIVATED: now a live order
    case 15: return OrderEventType::rejected;            // ORDER_REJECTED
    default: return OrderEventType::unknown;
  }
}

[[nodiscard]] constexpr OrderEventType order_event_type(OrderStatus status) noexcept {
  return order_event_type(static_cast<std::int64_t>(status));
}

static_assert(order_event_type(OrderStatus::order_partially_transacted) == OrderEventType::fill);
static_assert(order_event_type(3) == OrderEventType::unknown);

}  // namespace mde::btse
