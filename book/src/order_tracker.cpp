#include "mde/book/order_tracker.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

#include "id_hash.hpp"

namespace mde {
namespace {

constexpr std::size_t kMaxCapacity = std::size_t{1} << 30;  // indices + 1 fit in 32 bits

[[nodiscard]] std::size_t round_capacity(std::size_t n, const char* what) {
  if (n == 0 || n > kMaxCapacity) throw std::invalid_argument(what);
  return std::bit_ceil(n);
}

// Order of progress; an event never moves an order to a lower rank. All terminal states share
// the top rank: the first one reached is final.
[[nodiscard]] constexpr int rank(OrderState s) noexcept {
  switch (s) {
    case OrderState::unknown: return 0;
    case OrderState::pending_trigger: return 1;
    case OrderState::open: return 2;
    case OrderState::partially_filled: return 3;
    case OrderState::filled:
    case OrderState::cancelled:
    case OrderState::rejected: return 4;
  }
  return 0;
}

struct Target {
  OrderState state;
  CancelReason reason;
};

[[nodiscard]] constexpr Target target_of(OrderEventType t) noexcept {
  switch (t) {
    case OrderEventType::unknown: return {OrderState::unknown, CancelReason::none};
    case OrderEventType::pending_trigger: return {OrderState::pending_trigger, CancelReason::none};
    case OrderEventType::open: return {OrderState::open, CancelReason::none};
    case OrderEventType::fill: return {OrderState::partially_filled, CancelReason::none};
    case OrderEventType::filled: return {OrderState::filled, CancelReason::none};
    case OrderEventType::cancelled: return {OrderState::cancelled, CancelReason::user};
    case OrderEventType::cancelled_post_only:
      return {OrderState::cancelled, CancelReason::post_only};
    case OrderEventType::rejected: return {OrderState::rejected, CancelReason::none};
  }
  return {OrderState::unknown, CancelReason::none};
}

[[nodiscard]] constexpr std::uint32_t slot_index(std::uint64_t slot) noexcept {
  return static_cast<std::uint32_t>(slot) - 1;
}

}  // namespace

OrderTracker::OrderTracker(std::size_t capacity, std::size_t trade_memory)
    : capacity_(round_capacity(capacity, "OrderTracker capacity")),
      slot_mask_(2 * capacity_ - 1),
      trade_capacity_(round_capacity(trade_memory == 0 ? 4 * capacity_ : trade_memory,
                                     "OrderTracker trade_memory")),
      trade_slot_mask_(2 * trade_capacity_ - 1) {
  records_ = std::make_unique<Record[]>(capacity_);
  slots_ = std::make_unique<std::uint64_t[]>(2 * capacity_);  // zeroed: all empty
  trade_fifo_ = std::make_unique<std::uint64_t[]>(trade_capacity_);
  trade_slots_ = std::make_unique<std::uint64_t[]>(2 * trade_capacity_);
  for (std::size_t i = capacity_; i-- > 0;) {
    records_[i].seen_next = free_head_;
    free_head_ = static_cast<std::uint32_t>(i);
  }
}

OrderTracker::~OrderTracker() = default;

std::uint64_t OrderTracker::key_hash(Venue venue, std::string_view id) noexcept {
  return book_detail::hash_id(id, static_cast<std::uint64_t>(venue) + 1);
}

std::uint32_t OrderTracker::find_index(std::uint64_t hash, Venue venue,
                                       std::string_view id) const noexcept {
  const std::uint64_t tag = hash & 0xFFFFFFFF00000000ull;
  for (std::size_t i = hash & slot_mask_;; i = (i + 1) & slot_mask_) {
    const std::uint64_t s = slots_[i];
    if (s == 0) return kNil;
    if ((s & 0xFFFFFFFF00000000ull) != tag) continue;
    const Order& o = records_[slot_index(s)].order;
    if (o.venue == venue && o.order_id == id) return slot_index(s);
  }
}

const Order* OrderTracker::find(Venue venue, std::string_view order_id) const noexcept {
  const std::uint32_t i = find_index(key_hash(venue, order_id), venue, order_id);
  return i == kNil ? nullptr : &records_[i].order;
}

void OrderTracker::index_insert(std::uint64_t hash, std::uint32_t index) noexcept {
  std::size_t i = hash & slot_mask_;
  while (slots_[i] != 0) i = (i + 1) & slot_mask_;
  slots_[i] = (hash & 0xFFFFFFFF00000000ull) | (std::uint64_t{index} + 1);
}

void OrderTracker::index_erase(std::uint64_t hash, std::uint32_t index) noexcept {
  std::size_t i = hash & slot_mask_;
  while (slot_index(slots_[i]) != index) i = (i + 1) & slot_mask_;
  // Backward-shift deletion keeps every probe chain unbroken without tombstones.
  for (std::size_t j = (i + 1) & slot_mask_; slots_[j] != 0; j = (j + 1) & slot_mask_) {
    const std::size_t home = records_[slot_index(slots_[j])].hash & slot_mask_;
    // The entry at j may move to i only if its home is not cyclically within (i, j].
    const bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
    if (!stays) {
      slots_[i] = slots_[j];
      i = j;
    }
  }
  slots_[i] = 0;
}

void OrderTracker::link_done(std::uint32_t index) noexcept {
  Record& r = records_[index];
  r.done_prev = done_tail_;
  r.done_next = kNil;
  if (done_tail_ != kNil) records_[done_tail_].done_next = index;
  else done_head_ = index;
  done_tail_ = index;
  ++finished_;
}

void OrderTracker::evict(std::uint32_t index) noexcept {
  Record& r = records_[index];
  index_erase(r.hash, index);
  if (r.seen_prev != kNil) records_[r.seen_prev].seen_next = r.seen_next;
  else seen_head_ = r.seen_next;
  if (r.seen_next != kNil) records_[r.seen_next].seen_prev = r.seen_prev;
  else seen_tail_ = r.seen_prev;
  if (r.done_prev != kNil) records_[r.done_prev].done_next = r.done_next;
  else done_head_ = r.done_next;
  if (r.done_next != kNil) records_[r.done_next].done_prev = r.done_prev;
  else done_tail_ = r.done_prev;
  --size_;
  --finished_;
  ++counters_.evicted;
}

std::uint32_t OrderTracker::allocate() noexcept {
  if (free_head_ != kNil) {
    const std::uint32_t i = free_head_;
    free_head_ = records_[i].seen_next;
    return i;
  }
  if (done_head_ == kNil) return kNil;  // every record is a live order
  const std::uint32_t i = done_head_;
  evict(i);
  return i;
}

bool OrderTracker::trade_seen(const Record& r, std::uint64_t fp) const noexcept {
  for (const std::uint64_t t : r.trade_ids) {
    if (t == fp) return true;
  }
  for (std::size_t i = fp & trade_slot_mask_;; i = (i + 1) & trade_slot_mask_) {
    const std::uint64_t s = trade_slots_[i];
    if (s == 0) return false;
    if (s == fp) return true;
  }
}

void OrderTracker::remember_trade(Record& r, std::uint64_t fp) noexcept {
  r.trade_ids[r.trade_cursor] = fp;
  r.trade_cursor = static_cast<std::uint8_t>((r.trade_cursor + 1) % kTradeIdsPerOrder);

  const std::size_t fifo_mask = trade_capacity_ - 1;
  std::size_t at;
  if (trade_count_ == trade_capacity_) {
    // Forget the oldest fingerprint: erase it from the set (backward shift), reuse its place.
    at = trade_head_;
    const std::uint64_t old = trade_fifo_[at];
    trade_head_ = (trade_head_ + 1) & fifo_mask;
    std::size_t i = old & trade_slot_mask_;
    while (trade_slots_[i] != old) i = (i + 1) & trade_slot_mask_;
    for (std::size_t j = (i + 1) & trade_slot_mask_; trade_slots_[j] != 0;
         j = (j + 1) & trade_slot_mask_) {
      const std::size_t home = trade_slots_[j] & trade_slot_mask_;
      const bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!stays) {
        trade_slots_[i] = trade_slots_[j];
        i = j;
      }
    }
    trade_slots_[i] = 0;
  } else {
    at = (trade_head_ + trade_count_) & fifo_mask;
    ++trade_count_;
  }
  trade_fifo_[at] = fp;
  std::size_t i = fp & trade_slot_mask_;
  while (trade_slots_[i] != 0) i = (i + 1) & trade_slot_mask_;
  trade_slots_[i] = fp;
}

bool OrderTracker::count_fill(Record& r, const OrderEvent& e, OrderUpdate& out) noexcept {
  if (!e.has(kTradeId) || e.trade_id.empty() || !e.has(kExecutedQty)) {
    ++counters_.fills_without_trade_id;
    return false;
  }
  if (e.executed_qty.mantissa() <= 0) {
    ++counters_.malformed;
    return false;
  }
  std::uint64_t fp = book_detail::hash_id(e.trade_id.view(), r.hash);
  fp += fp == 0;  // 0 marks an empty slot
  if (trade_seen(r, fp)) {
    out.duplicate_fill = true;
    ++counters_.duplicate_fills;
    return false;
  }
  Order& o = r.order;
  Decimal qty, fees = o.fees;
  Notional notional = o.filled_notional;
  bool ok = checked_add(o.filled_qty, e.executed_qty, qty);
  if (e.has(kExecutedPrice)) {
    Notional fill;
    ok = ok && checked_multiply(e.executed_price, e.executed_qty, fill) &&
         checked_add(notional, fill, notional);
  }
  if (e.has(kExecutedFee)) ok = ok && checked_add(fees, e.executed_fee, fees);
  if (!ok) {
    ++counters_.overflow;
    return false;
  }
  o.filled_qty = qty;
  o.filled_notional = notional;
  o.fees = fees;
  ++o.fill_count;
  remember_trade(r, fp);
  ++counters_.fills_counted;
  out.fill_counted = true;
  return true;
}

OrderUpdate OrderTracker::apply(const EventHeader& header, const OrderEvent& e) noexcept {
  ++counters_.events;
  OrderUpdate out;
  // A fill of a negative quantity or at a negative price is no fill: refused whole, before it
  // can create an order, move one or turn its notional negative (a zero quantity still moves
  // the state; count_fill counts it as malformed).
  const bool is_fill = e.type == OrderEventType::fill || e.type == OrderEventType::filled;
  const bool negative_fill =
      is_fill && ((e.has(kExecutedQty) && e.executed_qty.is_negative()) ||
                  (e.has(kExecutedPrice) && e.executed_price.is_negative()));
  if (e.order_id.empty() || negative_fill) {
    ++counters_.malformed;
    out.status = OrderApply::malformed;
    return out;
  }
  const std::uint64_t hash = key_hash(header.venue, e.order_id.view());
  std::uint32_t index = find_index(hash, header.venue, e.order_id.view());
  if (index != kNil) {
    const InstrumentId tracked = records_[index].order.instrument;
    if (tracked != kNoInstrument && header.instrument != kNoInstrument &&
        tracked != header.instrument) {
      ++counters_.market_mismatch;
      out.status = OrderApply::market_mismatch;
      return out;
    }
  }
  if (index == kNil) {
    index = allocate();
    if (index == kNil) {
      ++counters_.table_full;
      out.status = OrderApply::table_full;
      return out;
    }
    Record& r = records_[index];
    r = Record{};
    r.hash = hash;
    Order& o = r.order;
    o.order_id = e.order_id;
    o.client_order_id.clear();
    o.filled_notional = Notional{};
    o.filled_qty = o.fees = o.order_price = o.order_qty = Decimal{};
    o.first_seen_ns = o.last_update_ns = header.receive_ns;
    o.sequence = next_sequence_++;
    o.instrument = header.instrument;
    o.venue = header.venue;
    o.side = e.side;
    o.order_type = e.order_type;
    o.state = OrderState::unknown;
    o.cancel_reason = CancelReason::none;
    r.done_prev = r.done_next = kNil;
    r.seen_next = kNil;
    r.seen_prev = seen_tail_;
    if (seen_tail_ != kNil) records_[seen_tail_].seen_next = index;
    else seen_head_ = index;
    seen_tail_ = index;
    index_insert(hash, index);
    ++size_;
    ++counters_.created;
    out.created = true;
  }

  Record& r = records_[index];
  Order& o = r.order;
  out.order = &o;
  out.previous = o.state;

  // Descriptive fields: the latest value the venue sent wins; absent ones never erase.
  if (e.has(kClientOrderId) && !e.client_order_id.empty()) o.client_order_id = e.client_order_id;
  if (e.has(kOrderPrice)) o.order_price = e.order_price;
  if (e.has(kOrderQty)) o.order_qty = e.order_qty;
  if (o.order_type == OrderType::unknown) o.order_type = e.order_type;
  if (o.instrument == kNoInstrument) o.instrument = header.instrument;
  o.last_update_ns = std::max(o.last_update_ns, header.receive_ns);
  o.last_exchange_ns = std::max(o.last_exchange_ns, header.exchange_ns);

  if (is_fill) {
    if (count_fill(r, e, out) && is_terminal(o.state)) ++counters_.fills_after_terminal;
  }

  const Target to = target_of(e.type);
  if (e.type == OrderEventType::unknown) {
    ++counters_.unknown_events;
  } else if (to.state == o.state) {
    // a repeat (e.g. a second `wait`): nothing moves
  } else if (is_terminal(o.state) || rank(to.state) < rank(o.state)) {
    ++counters_.out_of_order;
  } else {
    o.state = to.state;
    o.cancel_reason = to.reason;
    out.state_changed = true;
    if (is_terminal(to.state)) link_done(index);
  }
  return out;
}

}  // namespace mde
