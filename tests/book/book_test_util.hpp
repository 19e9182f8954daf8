// Builders for book/ tests: decimals from text, BookUpdates and OrderEvents from short literals.
// Tests only; a bad literal fails the test through an exception.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "mde/core/decimal.hpp"
#include "mde/core/events.hpp"

namespace mde::test {

// prefix + decimal i. Built with append: GCC 12 warns falsely (-Wrestrict, bug 105329) on
// "literal" + std::string.
inline std::string numbered(std::string_view prefix, std::uint64_t i) {
  std::string s(prefix);
  s.append(std::to_string(i));
  return s;
}

inline Decimal dec(std::string_view text) {
  Decimal d{};
  if (Decimal::parse(text, d) != DecimalError::ok) {
    throw std::invalid_argument("bad decimal literal: " + std::string(text));
  }
  return d;
}

inline Notional notional(std::string_view text) {
  Notional n{};
  if (Notional::parse(text, n) != DecimalError::ok) {
    throw std::invalid_argument("bad notional literal: " + std::string(text));
  }
  return n;
}

using Levels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

inline void fill_levels(PriceLevel* out, std::uint8_t& count, Levels levels) {
  if (levels.size() > kMaxBookLevels) throw std::invalid_argument("too many levels");
  count = 0;
  for (const auto& [price, qty] : levels) out[count++] = PriceLevel{dec(price), dec(qty)};
}

inline BookUpdate make_snapshot(std::uint64_t id, Levels bids, Levels asks) {
  BookUpdate u{};
  u.id = id;
  u.action = BookAction::snapshot;
  fill_levels(u.bids, u.bid_count, bids);
  fill_levels(u.asks, u.ask_count, asks);
  return u;
}

inline BookUpdate make_delta(std::uint64_t id, std::uint64_t prev_id, Levels bids, Levels asks) {
  BookUpdate u{};
  u.id = id;
  u.prev_id = prev_id;
  u.action = BookAction::delta;
  fill_levels(u.bids, u.bid_count, bids);
  fill_levels(u.asks, u.ask_count, asks);
  return u;
}

// `u` with its part flags set (kBookPartMore, kBookPartContinued, kBookSnapshotResets).
inline BookUpdate with_flags(BookUpdate u, std::uint8_t flags) {
  u.part_flags = flags;
  return u;
}

inline EventHeader order_header(std::int64_t receive_ns, InstrumentId instrument = 7,
                                Venue venue = Venue::coinone) {
  EventHeader h{};
  h.receive_ns = receive_ns;
  h.exchange_ns = receive_ns;
  h.instrument = instrument;
  h.kind = EventKind::order;
  h.venue = venue;
  return h;
}

// An order event of `type` for `order_id`, with nothing optional present.
inline OrderEvent order_event(std::string_view order_id, OrderEventType type,
                              Side side = Side::buy) {
  OrderEvent e{};
  (void)e.order_id.assign(order_id);
  e.trade_id.clear();
  e.client_order_id.clear();
  e.venue_status.clear();
  e.type = type;
  e.side = side;
  e.order_type = OrderType::limit;
  return e;
}

// A fill (or `filled`) event carrying trade id, price, qty and fee.
inline OrderEvent fill_event(std::string_view order_id, OrderEventType type,
                             std::string_view trade_id, std::string_view price,
                             std::string_view qty, std::string_view fee = "0") {
  OrderEvent e = order_event(order_id, type);
  (void)e.trade_id.assign(trade_id);
  e.executed_price = dec(price);
  e.executed_qty = dec(qty);
  e.executed_fee = dec(fee);
  e.present = kTradeId | kExecutedPrice | kExecutedQty | kExecutedFee;
  return e;
}

}  // namespace mde::test
