// Canonical text of an mde::Event, for benchmarks that check a competitor's result against ours
// before timing it. Two events decode "the same" when their texts are equal; on a mismatch both
// texts are printed, so the differing field is plain to see.
//
// Only the meaningful bytes are printed: optional values the event marks absent, unused levels
// and unused string capacity are left out (their bytes are unspecified). Enumerations print as
// numbers so that a new enumerator never breaks this file. The producer's enqueue stamp is not
// part of a decode result and is left out. Setup only: allocates freely.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "mde/core/decimal.hpp"
#include "mde/core/events.hpp"
#include "mde/core/fixed_string.hpp"

namespace mde::bench {

namespace event_text_detail {

class Writer {
 public:
  Writer& field(const char* name) {
    text_ += ' ';
    text_ += name;
    text_ += '=';
    return *this;
  }
  template <class Rep, int S>
  Writer& operator<<(FixedDecimal<Rep, S> d) {
    char buf[FixedDecimal<Rep, S>::kMaxChars];
    text_.append(buf, d.format_to(buf));
    return *this;
  }
  template <std::size_t N>
  Writer& operator<<(const FixedString<N>& s) {
    text_ += '"';
    text_ += s.view();
    text_ += '"';
    return *this;
  }
  Writer& operator<<(std::int64_t v) {
    text_ += std::to_string(v);
    return *this;
  }
  Writer& operator<<(std::uint64_t v) {
    text_ += std::to_string(v);
    return *this;
  }
  Writer& operator<<(char c) {
    text_ += c;
    return *this;
  }
  template <class E>
  Writer& num(E e) {  // enums and small integers
    text_ += std::to_string(static_cast<long long>(e));
    return *this;
  }
  [[nodiscard]] std::string take() { return std::move(text_); }

 private:
  std::string text_;
};

inline void write_order(Writer& w, const OrderEvent& o) {
  w.field("order_id") << o.order_id;
  w.field("status") << o.venue_status;
  w.field("type").num(o.type);
  w.field("side").num(o.side);
  w.field("order_type").num(o.order_type);
  w.field("is_maker").num(o.is_maker);
  w.field("present").num(o.present);
  w.field("executed_ns") << o.executed_ns;
  w.field("order_ns") << o.order_ns;
  struct Optional {
    OrderField bit;
    const char* name;
    const Decimal& value;
  };
  const Optional decimals[] = {
      {kOrderPrice, "order_price", o.order_price},
      {kOrderQty, "order_qty", o.order_qty},
      {kOrderAmount, "order_amount", o.order_amount},
      {kExecutedPrice, "executed_price", o.executed_price},
      {kExecutedQty, "executed_qty", o.executed_qty},
      {kExecutedFee, "executed_fee", o.executed_fee},
      {kRemainQty, "remain_qty", o.remain_qty},
      {kRemainAmount, "remain_amount", o.remain_amount},
      {kPreventedQty, "prevented_qty", o.prevented_qty},
  };
  for (const Optional& d : decimals) {
    if (o.has(d.bit)) w.field(d.name) << d.value;
  }
  if (o.has(kTradeId)) w.field("trade_id") << o.trade_id;
  if (o.has(kClientOrderId)) w.field("client_order_id") << o.client_order_id;
}

inline void write_ticker(Writer& w, const Ticker& t) {
  w.field("id") << t.id;
  w.field("quote_volume") << t.quote_volume;
  w.field("target_volume") << t.target_volume;
  w.field("y_quote_volume") << t.yesterday_quote_volume;
  w.field("y_target_volume") << t.yesterday_target_volume;
  w.field("high") << t.high;
  w.field("low") << t.low;
  w.field("first") << t.first;
  w.field("last") << t.last;
  w.field("y_high") << t.yesterday_high;
  w.field("y_low") << t.yesterday_low;
  w.field("y_first") << t.yesterday_first;
  w.field("y_last") << t.yesterday_last;
  w.field("volume_power") << t.volume_power;
  w.field("present").num(t.present);
  if (t.present & kTickerAskBestPrice) w.field("ask_best_price") << t.ask_best_price;
  if (t.present & kTickerAskBestQty) w.field("ask_best_qty") << t.ask_best_qty;
  if (t.present & kTickerBidBestPrice) w.field("bid_best_price") << t.bid_best_price;
  if (t.present & kTickerBidBestQty) w.field("bid_best_qty") << t.bid_best_qty;
}

inline void write_book(Writer& w, const BookUpdate& b) {
  w.field("id") << b.id;
  w.field("prev_id") << b.prev_id;
  w.field("action").num(b.action);
  w.field("part_flags").num(b.part_flags);
  w.field("asks").num(b.ask_count);
  for (std::size_t i = 0; i < b.ask_count && i < kMaxBookLevels; ++i) {
    w.field("a") << b.asks[i].price << '/' << b.asks[i].qty;
  }
  w.field("bids").num(b.bid_count);
  for (std::size_t i = 0; i < b.bid_count && i < kMaxBookLevels; ++i) {
    w.field("b") << b.bids[i].price << '/' << b.bids[i].qty;
  }
}

inline void write_asset(Writer& w, const AssetEvent& a) {
  w.field("reason").num(a.reason);
  w.field("order_id") << a.order_id;
  w.field("trade_id") << a.trade_id;
  w.field("client_order_id") << a.client_order_id;
  w.field("count").num(a.count);
  for (std::size_t i = 0; i < a.count && i < kMaxAssetsPerEvent; ++i) {
    w.field("currency") << a.assets[i].currency;
    w.field("available") << a.assets[i].available;
    w.field("locked") << a.assets[i].locked;
  }
}

}  // namespace event_text_detail

[[nodiscard]] inline std::string event_text(const Event& e) {
  event_text_detail::Writer w;
  const EventHeader& h = e.header;
  w.field("kind").num(h.kind);
  w.field("venue").num(h.venue);
  w.field("instrument").num(h.instrument);
  w.field("connection").num(h.connection);
  w.field("exchange_ns") << h.exchange_ns;
  w.field("receive_ns") << h.receive_ns;
  switch (h.kind) {
    case EventKind::trade:
      w.field("id") << e.trade.id;
      w.field("price") << e.trade.price;
      w.field("qty") << e.trade.qty;
      w.field("taker_side").num(e.trade.taker_side);
      break;
    case EventKind::order: event_text_detail::write_order(w, e.order); break;
    case EventKind::ticker: event_text_detail::write_ticker(w, e.ticker); break;
    case EventKind::book: event_text_detail::write_book(w, e.book); break;
    case EventKind::asset: event_text_detail::write_asset(w, e.asset); break;
    default: break;  // control frames are not benchmarked; the header says enough
  }
  return w.take();
}

}  // namespace mde::bench
