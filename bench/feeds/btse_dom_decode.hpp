// BTSE frame -> mde::Events over a JSON DOM, for the decode benchmark's competitors.
//
// Written once over the DOM adapters of coinone_dom_decode.hpp (RapidJSON and nlohmann::json each
// supply one), plus one call the BTSE trade numbers need:
//   static bool number_text(const Value&, char* buf, std::size_t cap, std::string_view& out);
// which yields the text of a JSON number (RapidJSON parsed with kParseNumbersAsStringsFlag keeps
// the wire text; nlohmann holds a double, printed back as its shortest round-trip text). The
// same exact decimals (Decimal::parse, parse_json_number), the same instrument lookup, the same
// last-wins deduplication with deletions first, and the same Events as btse::Decoder produces
// for these frames; the benchmark checks that equality before timing.
//
// Benchmark code, not a second decoder: book and trade frames only, at most kMaxBookLevels
// entries a side (no parts), less checking than the shipped decoder (no duplicate-key or
// trailing-content rejection). Every shortcut favours the competitor.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "feeds/coinone_dom_decode.hpp"
#include "mde/core/decimal.hpp"
#include "mde/core/events.hpp"
#include "mde/core/instrument.hpp"
#include "mde/core/timestamp.hpp"
#include "mde/feeds/decode_status.hpp"
#include "mde/feeds/event_sink.hpp"
#include "mde/feeds/exact_number.hpp"

namespace mde::bench::btse_dom {

// MDE_BENCH_TRY comes from coinone_dom_decode.hpp.
template <class Dom>
using Read = coinone_dom::Read<Dom>;

inline void stamp(Event& e, EventKind kind, InstrumentId id, std::int64_t ns,
                  std::uint32_t connection) noexcept {
  e.header = EventHeader{};
  e.header.kind = kind;
  e.header.venue = Venue::btse;
  e.header.instrument = id;
  e.header.exchange_ns = ns;
  e.header.connection = connection;
}

template <class Dom>
[[nodiscard]] DecodeStatus instrument(const typename Dom::Value* v,
                                      const InstrumentRegistry& registry,
                                      InstrumentId& id) noexcept {
  std::string_view symbol;
  MDE_BENCH_TRY(Read<Dom>::text(v, symbol));
  const auto found = registry.find(Venue::btse, symbol);
  if (!found) return DecodeStatus::unknown_instrument;
  id = *found;
  return DecodeStatus::ok;
}

// An epoch in ms as a JSON integer (or its text, for RapidJSON's numbers-as-strings).
template <class Dom>
[[nodiscard]] DecodeStatus epoch_ns(const typename Dom::Value* v, std::int64_t& out) noexcept {
  std::uint64_t raw;
  MDE_BENCH_TRY(Read<Dom>::u64(v, raw));
  out = normalise_epoch_to_ns(static_cast<std::int64_t>(raw));
  return DecodeStatus::ok;
}

// One side: [price, size] string pairs, last entry per price wins, deletions first.
template <class Dom>
[[nodiscard]] DecodeStatus side(const typename Dom::Value* v, PriceLevel* out,
                                std::uint8_t& count) noexcept {
  if (v == nullptr) return DecodeStatus::missing_field;
  PriceLevel wire[kMaxBookLevels];
  std::size_t n = 0;
  DecodeStatus s = DecodeStatus::ok;
  const bool ok = Dom::each(*v, [&](const typename Dom::Value& level) {
    if (n == kMaxBookLevels) return (s = DecodeStatus::too_many_levels, false);
    std::size_t item = 0;
    const bool pair_ok = Dom::each(level, [&](const typename Dom::Value& x) {
      std::string_view text;
      if (item == 2 || !Dom::string(x, text)) return (s = DecodeStatus::wrong_type, false);
      Decimal& d = item++ == 0 ? wire[n].price : wire[n].qty;
      if (Decimal::parse(text, d) != DecimalError::ok) return (s = DecodeStatus::bad_number, false);
      return true;
    });
    if (!pair_ok || item != 2) return (s = s == DecodeStatus::ok ? DecodeStatus::wrong_type : s, false);
    if (wire[n].price.mantissa() <= 0 || wire[n].qty.is_negative()) {
      return (s = DecodeStatus::bad_number, false);
    }
    ++n;
    return true;
  });
  if (!ok) return s == DecodeStatus::ok ? DecodeStatus::wrong_type : s;
  std::size_t w = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t j = 0;
    while (j < w && wire[j].price != wire[i].price) ++j;
    if (j < w) wire[j].qty = wire[i].qty;
    else wire[w++] = wire[i];
  }
  std::size_t d = 0;
  for (std::size_t i = 0; i < w; ++i) d += wire[i].qty.is_zero();
  std::size_t di = 0;
  for (std::size_t i = 0; i < w; ++i) out[wire[i].qty.is_zero() ? di++ : d++] = wire[i];
  count = static_cast<std::uint8_t>(w);
  return DecodeStatus::ok;
}

template <class Dom, class Sink>
[[nodiscard]] DecodeStatus book(const typename Dom::Value& data,
                                const InstrumentRegistry& registry, std::uint32_t connection,
                                Sink& sink) noexcept {
  InstrumentId id;
  MDE_BENCH_TRY(instrument<Dom>(Dom::find(data, "symbol"), registry, id));
  std::int64_t ns;
  MDE_BENCH_TRY(epoch_ns<Dom>(Dom::find(data, "timestamp"), ns));
  std::string_view type;
  MDE_BENCH_TRY(Read<Dom>::text(Dom::find(data, "type"), type));
  Event& e = sink.event();
  stamp(e, EventKind::book, id, ns, connection);
  BookUpdate& b = e.book;
  MDE_BENCH_TRY(Read<Dom>::u64(Dom::find(data, "seqNum"), b.id));
  MDE_BENCH_TRY(Read<Dom>::u64(Dom::find(data, "prevSeqNum"), b.prev_id));
  if (type == "snapshot") b.action = BookAction::snapshot;
  else if (type == "delta") b.action = BookAction::delta;
  else return DecodeStatus::bad_value;
  b.part_flags = b.action == BookAction::snapshot ? kBookSnapshotResets : 0;
  MDE_BENCH_TRY(side<Dom>(Dom::find(data, "bids"), b.bids, b.bid_count));
  MDE_BENCH_TRY(side<Dom>(Dom::find(data, "asks"), b.asks, b.ask_count));
  (void)sink.emit();
  return DecodeStatus::ok;
}

template <class Dom>
[[nodiscard]] DecodeStatus number(const typename Dom::Value* v, Decimal& out) noexcept {
  if (v == nullptr) return DecodeStatus::missing_field;
  char buf[64];
  std::string_view text;
  if (!Dom::number_text(*v, buf, sizeof buf, text)) return DecodeStatus::wrong_type;
  return parse_json_number(text, out) == DecimalError::ok ? DecodeStatus::ok
                                                          : DecodeStatus::bad_number;
}

// The batch is validated whole into the sink's events before any is emitted.
template <class Dom, class Sink>
[[nodiscard]] DecodeStatus trades(const typename Dom::Value& data,
                                  const InstrumentRegistry& registry, std::uint32_t connection,
                                  Sink& sink) noexcept {
  std::size_t n = 0;
  DecodeStatus s = DecodeStatus::ok;
  Event* const first = &sink.event();  // an ArraySink lends consecutive slots
  const bool ok = Dom::each(data, [&](const typename Dom::Value& t) {
    Event& e = first[n];
    InstrumentId id;
    std::int64_t ns;
    std::uint64_t trade_id;
    std::string_view side_text;
    if ((s = instrument<Dom>(Dom::find(t, "symbol"), registry, id)) != DecodeStatus::ok ||
        (s = epoch_ns<Dom>(Dom::find(t, "timestamp"), ns)) != DecodeStatus::ok ||
        (s = Read<Dom>::u64(Dom::find(t, "tradeId"), trade_id)) != DecodeStatus::ok ||
        (s = Read<Dom>::text(Dom::find(t, "side"), side_text)) != DecodeStatus::ok) {
      return false;
    }
    stamp(e, EventKind::trade, id, ns, connection);
    if ((s = number<Dom>(Dom::find(t, "size"), e.trade.qty)) != DecodeStatus::ok ||
        (s = number<Dom>(Dom::find(t, "price"), e.trade.price)) != DecodeStatus::ok) {
      return false;
    }
    if (side_text == "BUY") e.trade.taker_side = Side::buy;
    else if (side_text == "SELL") e.trade.taker_side = Side::sell;
    else return (s = DecodeStatus::bad_value, false);
    char digits[24];
    const auto r = std::to_chars(digits, digits + sizeof digits, trade_id);
    (void)e.trade.id.assign({digits, static_cast<std::size_t>(r.ptr - digits)});
    ++n;
    return true;
  });
  if (!ok) return s == DecodeStatus::ok ? DecodeStatus::wrong_type : s;
  for (std::size_t i = 0; i < n; ++i) (void)sink.emit();
  return DecodeStatus::ok;
}

// Decodes a parsed frame (`root`) into `sink`; emits nothing on failure.
template <class Dom, class Sink>
[[nodiscard]] DecodeStatus decode(const typename Dom::Value& root,
                                  const InstrumentRegistry& registry, std::uint32_t connection,
                                  Sink& sink) noexcept {
  std::string_view topic;
  MDE_BENCH_TRY(Read<Dom>::text(Dom::find(root, "topic"), topic));
  const auto* data = Dom::find(root, "data");
  if (data == nullptr) return DecodeStatus::missing_field;
  if (topic.starts_with("update:")) return book<Dom>(*data, registry, connection, sink);
  if (topic.starts_with("tradeHistoryApi:")) return trades<Dom>(*data, registry, connection, sink);
  return DecodeStatus::unknown_channel;
}

}  // namespace mde::bench::btse_dom
