// Deflow order `status` integers (protocols.md Part E) -> mde::OrderEventType, so that Deflow
// orders land in the same OrderTracker states as every other venue's.
//
// The seed itself shows only 1 (open) and 2 (fully filled); 0 and 3..6 come from the API family
// the seed belongs to. Anything else maps to OrderEventType::unknown: never guess a state.
// Header-only, constexpr, no allocation.
#pragma once

#include <cstdint>

#include "mde/core/events.hpp"

namespace mde::deflow {

enum class OrderStatus : std::int32_t {
  initial = 0,
  open = 1,  // "new" in the API family's table
  filled = 2,
  partially_filled = 3,
  cancelled = 4,
  pending_cancel = 5,
  expired = 6,
};

[[nodiscard]] constexpr OrderEventType order_event_type(std::int64_t status) noexcept {
  switch (status) {
    case 0: return OrderEventType::open;  // initial: accepted, not yet resting; no fill
    case 1: return OrderEventType::open;  // new
    case 2: return OrderEventType::filled;
    case 3: return OrderEventType::fill;  // partially filled
    case 4: return OrderEventType::cancelled;
    // Pending cancel: still live and can still fill. `open` never moves a partially filled
    // order backwards in the tracker.
    case 5: return OrderEventType::open;
    // Expired ends the order like a cancel. OrderEventType has no `expired`; the venue_status
    // text keeps the difference for diagnostics.
    case 6: return OrderEventType::cancelled;
    default: return OrderEventType::unknown;
  }
}

[[nodiscard]] constexpr OrderEventType order_event_type(OrderStatus status) noexcept {
  return order_event_type(static_cast<std::int64_t>(status));
}

static_assert(order_event_type(OrderStatus::partially_filled) == OrderEventType::fill);
static_assert(order_event_type(7) == OrderEventType::unknown);

}  // namespace mde::deflow
