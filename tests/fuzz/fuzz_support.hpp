// Shared by the decoder fuzz targets: the invariant check that traps, and the comparison of two
// decodes of the same bytes (only the meaningful fields of each event kind: unused levels,
// unused string capacity and absent optional values are unspecified).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>

#include "mde/core/events.hpp"
#include "mde/core/fixed_string.hpp"
#include "mde/core/frame.hpp"
#include "mde/feeds/decode_status.hpp"

namespace mde::fuzz {

#define MDE_FUZZ_CHECK(cond) \
  do {                       \
    if (!(cond)) __builtin_trap(); \
  } while (0)

// The fuzzer's bytes with exactly the promised padding behind them, so ASan reports any read past
// it. The padding's bytes are arbitrary (never interpreted), so they are filled with what a
// careless scanner would follow: quotes, then `closer` (a closing bracket or brace).
struct PaddedInput {
  std::unique_ptr<char[]> buffer;
  FrameView frame;

  PaddedInput(const std::uint8_t* data, std::size_t size, char closer)
      : buffer(new char[size + kFramePadding]), frame{buffer.get(), size} {
    if (size != 0) std::memcpy(buffer.get(), data, size);
    std::memset(buffer.get() + size, '"', kFramePadding / 2);
    std::memset(buffer.get() + size + kFramePadding / 2, closer, kFramePadding / 2);
  }
};

// A decode's subject: nothing on success; on rejection a real channel, this decoder's venue (or
// none), and an instrument only for a book frame of a registered market, the same on a second
// decode of the same bytes. `registered(id)` says whether the fuzzer registered that id.
template <class Registered>
void check_subject(const DecodeResult& r1, const DecodeResult& r2, Venue venue,
                   Registered&& registered) {
  const RejectedSubject& s = r1.subject;
  if (r1.ok()) {
    MDE_FUZZ_CHECK(s.channel == Channel::none && s.instrument == kNoInstrument && !s.chained);
  } else {
    MDE_FUZZ_CHECK(s.channel <= Channel::assets);
    MDE_FUZZ_CHECK(s.venue == venue || s.channel == Channel::none);
    MDE_FUZZ_CHECK(s.instrument == kNoInstrument ||
                   (s.channel == Channel::book && registered(s.instrument)));
    MDE_FUZZ_CHECK(!s.chained || s.channel == Channel::book);
  }
  MDE_FUZZ_CHECK(r2.subject.channel == s.channel && r2.subject.venue == s.venue &&
                 r2.subject.instrument == s.instrument && r2.subject.chained == s.chained);
}

template <std::size_t N>
bool same(const FixedString<N>& a, const FixedString<N>& b) {
  return a.view() == b.view();
}

// The meaningful fields of two decodes of the same bytes are identical.
inline bool same_event(const Event& a, const Event& b) {
  const EventHeader& x = a.header;
  const EventHeader& y = b.header;
  if (x.kind != y.kind || x.venue != y.venue || x.instrument != y.instrument ||
      x.exchange_ns != y.exchange_ns || x.connection != y.connection) {
    return false;
  }
  switch (x.kind) {
    case EventKind::book: {
      const BookUpdate& p = a.book;
      const BookUpdate& q = b.book;
      return p.id == q.id && p.prev_id == q.prev_id && p.action == q.action &&
             p.part_flags == q.part_flags && p.bid_count == q.bid_count && p.ask_count == q.ask_count &&
             std::memcmp(p.bids, q.bids, p.bid_count * sizeof(PriceLevel)) == 0 &&
             std::memcmp(p.asks, q.asks, p.ask_count * sizeof(PriceLevel)) == 0;
    }
    case EventKind::trade:
      return same(a.trade.id, b.trade.id) && a.trade.price == b.trade.price &&
             a.trade.qty == b.trade.qty && a.trade.taker_side == b.trade.taker_side;
    case EventKind::ticker:
      // decode_ticker zeroes the struct first: every byte is defined.
      return std::memcmp(&a.ticker, &b.ticker, sizeof(Ticker)) == 0;
    case EventKind::order: {
      const OrderEvent& p = a.order;
      const OrderEvent& q = b.order;
      if (!same(p.order_id, q.order_id) || !same(p.trade_id, q.trade_id) ||
          !same(p.client_order_id, q.client_order_id) || !same(p.venue_status, q.venue_status) ||
          p.executed_ns != q.executed_ns || p.order_ns != q.order_ns || p.present != q.present ||
          p.type != q.type || p.side != q.side || p.order_type != q.order_type ||
          p.is_maker != q.is_maker) {
        return false;
      }
      const Decimal OrderEvent::*values[] = {
          &OrderEvent::order_price,    &OrderEvent::order_qty,    &OrderEvent::order_amount,
          &OrderEvent::executed_price, &OrderEvent::executed_qty, &OrderEvent::executed_fee,
          &OrderEvent::remain_qty,     &OrderEvent::remain_amount, &OrderEvent::prevented_qty};
      for (std::size_t i = 0; i < std::size(values); ++i) {
        if ((p.present & (1u << i)) && !(p.*values[i] == q.*values[i])) return false;
      }
      return true;
    }
    case EventKind::asset: {
      const AssetEvent& p = a.asset;
      const AssetEvent& q = b.asset;
      if (p.count != q.count || p.reason != q.reason || !same(p.order_id, q.order_id) ||
          !same(p.trade_id, q.trade_id) || !same(p.client_order_id, q.client_order_id)) {
        return false;
      }
      for (std::size_t i = 0; i < p.count; ++i) {
        if (!same(p.assets[i].currency, q.assets[i].currency) ||
            !(p.assets[i].available == q.assets[i].available) ||
            !(p.assets[i].locked == q.assets[i].locked)) {
          return false;
        }
      }
      return true;
    }
    case EventKind::control: {
      const Control& p = a.control;
      const Control& q = b.control;
      return p.type == q.type && p.channel == q.channel && p.topic_count == q.topic_count &&
             p.error_code == q.error_code && same(p.session_id, q.session_id) &&
             same(p.message, q.message) && same(p.field, q.field) && same(p.topic, q.topic);
    }
    case EventKind::none:
      return true;
  }
  return false;
}

}  // namespace mde::fuzz
