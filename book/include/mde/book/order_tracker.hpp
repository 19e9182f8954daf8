// OrderTracker: one state machine for every venue's own-order events (mde::OrderEvent).
//
// States (OrderState), ranked: unknown < pending_trigger < open < partially_filled < terminal
// (filled, cancelled, rejected).
//  - An event moves an order forward only. A late or repeated event of a lower rank (a `wait`
//    after a fill, a `watch` after `wait`) changes nothing and is counted as out_of_order.
//  - The first terminal state is final: a `cancel` after `trade_done` leaves it filled.
//  - OrderEventType::unknown (a status the decoder has never seen) changes no state; an order
//    first met through one starts (and stays, until a known event) in state unknown.
//  - An event for an order never seen creates it (MYORDER has no snapshot; fills can arrive first).
//  - Orders are keyed by (venue, order id): the same id on two venues is two orders. An event
//    whose instrument disagrees with the order already tracked under its key is refused
//    (OrderApply::market_mismatch, counted) and never merged into it. An event or an order with
//    no instrument (kNoInstrument) disagrees with nothing; the order takes the first one it meets.
//
// Fills: an event of type `fill` or `filled` that carries a trade id and an executed quantity
// counts that quantity once per (order id, trade id): Coinone repeats the last fill in
// `trade_done` (and seed 001 sends it as `done` first). filled_qty, filled_notional (exact
// price x qty) and fees accumulate exactly. A fill with a new trade id still counts after the
// order went terminal (a fill racing a cancel is real money; the state stays as it was). A fill
// without a trade id cannot be deduplicated: it moves the state but its quantity is not counted
// (counted in fills_without_trade_id). `executed_qty` of a cancel event is the cancelled
// remainder and is never counted as a fill. A fill of a negative quantity or at a negative price
// is impossible input: refused whole (OrderApply::malformed), it neither creates nor moves an
// order nor touches its totals.
//
// Trade-id memory (bounded): each order remembers the fingerprints of its last
// kTradeIdsPerOrder counted fills; a global FIFO remembers the last `trade_memory` counted fills
// of all orders. A repeat is caught while it is in either. A repeat older than both (more than 8
// newer fills on the same order AND more than `trade_memory` newer fills overall) would be
// counted again. Fingerprints are 64-bit hashes of (order id, trade id): a collision, about
// 2^-64 per pair, would drop a real fill.
//
// Capacity: a power of two fixed at construction. When a new order finds the table full, the
// order that reached a terminal state longest ago is evicted (its trade ids stay in the global
// FIFO). Orders that are not terminal, including state unknown, are never evicted: if every
// record is such an order, the event is refused (OrderApply::table_full, counted).
//
// Thread: owned by the one core (engine) thread. The constructor allocates every table; apply()
// and the lookups never allocate, never throw, never lock. Knows no venue or wire format.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <type_traits>

#include "mde/core/decimal.hpp"
#include "mde/core/events.hpp"
#include "mde/core/fixed_string.hpp"
#include "mde/core/instrument.hpp"
#include "mde/core/venue.hpp"

namespace mde {

enum class OrderState : std::uint8_t {
  unknown,          // only unknown status codes seen so far
  pending_trigger,  // stop order waiting for its trigger
  open,             // accepted, no fill counted
  partially_filled,
  filled,     // terminal
  cancelled,  // terminal; see CancelReason
  rejected,   // terminal
};

enum class CancelReason : std::uint8_t { none, user, post_only };

[[nodiscard]] constexpr bool is_terminal(OrderState s) noexcept {
  return s == OrderState::filled || s == OrderState::cancelled || s == OrderState::rejected;
}

[[nodiscard]] constexpr const char* to_string(OrderState s) noexcept {
  switch (s) {
    case OrderState::unknown: return "unknown";
    case OrderState::pending_trigger: return "pending_trigger";
    case OrderState::open: return "open";
    case OrderState::partially_filled: return "partially_filled";
    case OrderState::filled: return "filled";
    case OrderState::cancelled: return "cancelled";
    case OrderState::rejected: return "rejected";
  }
  return "?";
}

[[nodiscard]] constexpr const char* to_string(CancelReason r) noexcept {
  switch (r) {
    case CancelReason::none: return "none";
    case CancelReason::user: return "user";
    case CancelReason::post_only: return "post_only";
  }
  return "?";
}

// One tracked order. Read-only for users: the tracker is the only writer.
struct Order {
  ExchangeId order_id;
  ExchangeId client_order_id;  // empty when the venue never sent one
  Notional filled_notional;    // sum of executed_price x executed_qty over counted fills
  Decimal filled_qty;          // sum of executed_qty over counted fills
  Decimal fees;                // sum of executed_fee over counted fills (the venue's fee unit)
  Decimal order_price;         // last order_price sent; zero until one is
  Decimal order_qty;           // last order_qty sent; zero until one is
  std::int64_t first_seen_ns;     // receive time of the first event
  std::int64_t last_update_ns;    // receive time of the latest event
  std::int64_t last_exchange_ns;  // largest venue event time seen (0: none sent)
  std::uint64_t sequence;         // 1 for the first order ever seen, 2 for the next, ...
  std::uint32_t fill_count;       // counted fills
  InstrumentId instrument;
  Venue venue;
  Side side;
  OrderType order_type;
  OrderState state;
  CancelReason cancel_reason;
};

// 96 bytes of ids, five 16-byte decimals, 32 of times and sequence, 14 of small fields.
static_assert(std::is_trivially_copyable_v<Order> && sizeof(Order) == 224,
              "Order layout changed: three and a half cache lines per tracked order");

enum class OrderApply : std::uint8_t {
  applied,          // the event was looked at; see OrderUpdate's flags for what it changed
  table_full,       // a new order and no terminal order to evict: refused
  malformed,        // no order id, or a fill of a negative qty or price: refused, nothing changes
  market_mismatch,  // the tracked order with that (venue, id) is on another instrument: refused
};
inline constexpr std::size_t kOrderApplyCount = 4;

[[nodiscard]] constexpr const char* to_string(OrderApply a) noexcept {
  switch (a) {
    case OrderApply::applied: return "applied";
    case OrderApply::table_full: return "table_full";
    case OrderApply::malformed: return "malformed";
    case OrderApply::market_mismatch: return "market_mismatch";
  }
  return "?";
}

// What one apply() did.
struct OrderUpdate {
  const Order* order = nullptr;  // valid until the next apply(); nullptr unless applied
  OrderApply status = OrderApply::applied;
  OrderState previous = OrderState::unknown;  // state before this event
  bool created = false;
  bool state_changed = false;
  bool fill_counted = false;    // a fill with a new trade id was added to the totals
  bool duplicate_fill = false;  // a fill whose trade id was already counted
};

struct OrderCounters {
  std::uint64_t events = 0;
  std::uint64_t created = 0;
  std::uint64_t fills_counted = 0;
  std::uint64_t duplicate_fills = 0;
  std::uint64_t fills_without_trade_id = 0;
  std::uint64_t fills_after_terminal = 0;  // counted fills on an already terminal order
  std::uint64_t out_of_order = 0;          // events that would have moved an order backwards
  std::uint64_t unknown_events = 0;        // OrderEventType::unknown
  std::uint64_t evicted = 0;
  std::uint64_t table_full = 0;
  std::uint64_t malformed = 0;
  std::uint64_t market_mismatch = 0;  // events refused: their instrument is not the order's
  std::uint64_t overflow = 0;  // a total (or price x qty) that would overflow: fill not added
};

class OrderTracker {
 public:
  static constexpr std::size_t kTradeIdsPerOrder = 8;

  // `capacity` orders and `trade_memory` global trade-id fingerprints (0: 4 x capacity), each
  // rounded up to a power of two. Allocates; throws std::bad_alloc (setup only).
  explicit OrderTracker(std::size_t capacity = 4096, std::size_t trade_memory = 0);
  ~OrderTracker();
  OrderTracker(const OrderTracker&) = delete;
  OrderTracker& operator=(const OrderTracker&) = delete;

  // Applies one order event; `header` gives the venue, the instrument and the times. Never
  // allocates.
  OrderUpdate apply(const EventHeader& header, const OrderEvent& event) noexcept;

  // nullptr when the order is not tracked. Valid until the next apply().
  [[nodiscard]] const Order* find(Venue venue, std::string_view order_id) const noexcept;

  // Visits every tracked order in first-seen order (deterministic): f(const Order&).
  template <class F>
  void for_each(F&& f) const {
    for (std::uint32_t i = seen_head_; i != kNil; i = records_[i].seen_next) f(records_[i].order);
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t active() const noexcept { return size_ - finished_; }  // not terminal
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] std::size_t trade_memory() const noexcept { return trade_capacity_; }
  [[nodiscard]] const OrderCounters& counters() const noexcept { return counters_; }

 private:
  static constexpr std::uint32_t kNil = 0xFFFFFFFF;

  struct Record {
    Order order;
    std::uint64_t hash;
    std::uint64_t trade_ids[kTradeIdsPerOrder];  // fingerprints, 0 = unused; a ring
    std::uint32_t seen_prev, seen_next;          // all records, first-seen order
    std::uint32_t done_prev, done_next;          // terminal records, oldest terminal first
    std::uint8_t trade_cursor;
  };

  [[nodiscard]] static std::uint64_t key_hash(Venue venue, std::string_view id) noexcept;
  [[nodiscard]] std::uint32_t find_index(std::uint64_t hash, Venue venue,
                                         std::string_view id) const noexcept;
  [[nodiscard]] std::uint32_t allocate() noexcept;
  void evict(std::uint32_t index) noexcept;
  void index_insert(std::uint64_t hash, std::uint32_t index) noexcept;
  void index_erase(std::uint64_t hash, std::uint32_t index) noexcept;
  void link_done(std::uint32_t index) noexcept;
  [[nodiscard]] bool count_fill(Record& r, const OrderEvent& e, OrderUpdate& out) noexcept;
  [[nodiscard]] bool trade_seen(const Record& r, std::uint64_t fp) const noexcept;
  void remember_trade(Record& r, std::uint64_t fp) noexcept;

  std::unique_ptr<Record[]> records_;
  std::unique_ptr<std::uint64_t[]> slots_;  // (hash high 32 bits << 32) | (index + 1); 0 = empty
  std::unique_ptr<std::uint64_t[]> trade_fifo_;   // global fingerprints, oldest at trade_head_
  std::unique_ptr<std::uint64_t[]> trade_slots_;  // open-addressing set over trade_fifo_
  std::size_t capacity_;
  std::size_t slot_mask_;
  std::size_t trade_capacity_;
  std::size_t trade_slot_mask_;
  std::size_t trade_head_ = 0;
  std::size_t trade_count_ = 0;
  std::size_t size_ = 0;
  std::size_t finished_ = 0;
  std::uint64_t next_sequence_ = 1;
  std::uint32_t free_head_ = kNil;
  std::uint32_t seen_head_ = kNil, seen_tail_ = kNil;
  std::uint32_t done_head_ = kNil, done_tail_ = kNil;
  OrderCounters counters_;
};

}  // namespace mde
