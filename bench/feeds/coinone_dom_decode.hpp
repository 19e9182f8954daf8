// Coinone DATA frame -> mde::Event over a JSON DOM, for the decode benchmark's competitors.
//
// Written once over a small DOM adapter (RapidJSON and nlohmann::json each supply one), so the
// competitors differ only in their JSON layer: the same key lookups by name, the same exact
// decimals through mde::Decimal::parse / Notional::parse, the same instrument lookup, the same
// enum mapping and the same Event as coinone::Decoder produces for these frames. The benchmark
// checks that equality before timing.
//
// Benchmark code, not a second decoder: it handles the DATA frames of TRADE, MYORDER,
// ORDERBOOK, TICKER and MYASSET in DEFAULT and SHORT format, and does less checking than the
// shipped decoder (no duplicate-key or trailing-content rejection, no control frames, decimals
// only as JSON strings). Every shortcut favours the competitor, so the ratios err on its side.
//
// As in the decoder, null means absent for every field.
//
// A DOM adapter `Dom` provides:
//   using Value;
//   static const Value* find(const Value& object, const char* key);  // nullptr: absent / not object
//   static bool is_null(const Value&);
//   static bool string(const Value&, std::string_view&);             // false: not a string
//   static bool int64(const Value&, std::int64_t&);
//   static bool uint64(const Value&, std::uint64_t&);
//   static bool boolean(const Value&, bool&);
//   template <class Fn> static bool each(const Value& array, Fn&& fn); // false: not an array, or
//                                                                      // fn returned false
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "mde/core/decimal.hpp"
#include "mde/core/events.hpp"
#include "mde/core/fixed_string.hpp"
#include "mde/core/instrument.hpp"
#include "mde/core/timestamp.hpp"
#include "mde/feeds/decode_status.hpp"

namespace mde::bench::coinone_dom {

// The wire keys of one format.
struct Keys {
  const char* response_type;
  const char* channel;
  const char* data;
  const char* quote;
  const char* target;
  const char* id;
  // TRADE
  const char* trade_timestamp;
  const char* price;
  const char* qty;
  const char* seller_maker;
  // ORDERBOOK
  const char* book_timestamp;
  const char* asks;
  const char* bids;
  // TICKER
  const char* ticker_timestamp;
  const char* quote_volume;
  const char* target_volume;
  const char* high;
  const char* low;
  const char* first;
  const char* last;
  const char* volume_power;
  const char* ask_best_price;
  const char* ask_best_qty;
  const char* bid_best_price;
  const char* bid_best_qty;
  const char* y_high;
  const char* y_low;
  const char* y_first;
  const char* y_last;
  const char* y_quote_volume;
  const char* y_target_volume;
  // MYORDER
  const char* order_id;
  const char* order_type;
  const char* status;
  const char* side;
  const char* order_price;
  const char* order_qty;
  const char* order_amount;
  const char* trade_id;
  const char* is_maker;
  const char* executed_price;
  const char* executed_qty;
  const char* executed_fee;
  const char* remain_qty;
  const char* remain_amount;
  const char* user_order_id;
  const char* prevented_qty;
  const char* executed_timestamp;
  const char* order_timestamp;
  const char* order_event_timestamp;
  // MYASSET
  const char* assets;
  const char* asset_type;
  const char* asset_timestamp;
  const char* currency;
  const char* available;
  const char* limit;
};

inline constexpr Keys kDefaultKeys{
    "response_type", "channel", "data", "quote_currency", "target_currency", "id",
    "timestamp", "price", "qty", "is_seller_maker",
    "timestamp", "asks", "bids",
    "timestamp", "quote_volume", "target_volume", "high", "low", "first", "last",
    "volume_power", "ask_best_price", "ask_best_qty", "bid_best_price", "bid_best_qty",
    "yesterday_high", "yesterday_low", "yesterday_first", "yesterday_last",
    "yesterday_quote_volume", "yesterday_target_volume",
    "order_id", "type", "status", "side", "order_price", "order_qty", "order_amount",
    "trade_id", "is_maker", "executed_price", "executed_qty", "executed_fee", "remain_qty",
    "remain_amount", "user_order_id", "prevented_qty", "executed_timestamp",
    "order_timestamp", "timestamp",
    "assets", "type", "timestamp", "currency", "available", "limit"};

inline constexpr Keys kShortKeys{
    "r", "c", "d", "qc", "tc", "i",
    "t", "p", "q", "sm",
    "t", "a", "b",
    "t", "qv", "tv", "hi", "lo", "fi", "la",
    "vp", "abp", "abq", "bbp", "bbq",
    "yhi", "ylo", "yfi", "yla",
    "yqv", "ytv",
    "oi", "t", "st", "s", "op", "oq", "oa",
    "ti", "im", "ep", "eq", "ef", "rq",
    "ra", "ui", "pq", "et",
    "ot", "ts",
    "as", "t", "ts", "c", "a", "l"};

// The same venue-to-engine mappings as the shipped decoder.
[[nodiscard]] inline OrderEventType order_status(std::string_view s) noexcept {
  if (s == "trade" || s == "done") return OrderEventType::fill;
  if (s == "wait") return OrderEventType::open;
  if (s == "trade_done") return OrderEventType::filled;
  if (s == "cancel") return OrderEventType::cancelled;
  if (s == "cancel_post_only") return OrderEventType::cancelled_post_only;
  if (s == "watch" || s == "not_triggered") return OrderEventType::pending_trigger;
  return OrderEventType::unknown;
}

[[nodiscard]] inline AssetChangeReason asset_reason(std::string_view s) noexcept {
  if (s == "trade") return AssetChangeReason::trade;
  if (s == "order") return AssetChangeReason::order;
  if (s == "cancel") return AssetChangeReason::cancel;
  if (s == "deposit") return AssetChangeReason::deposit;
  if (s == "withdrawal") return AssetChangeReason::withdrawal;
  if (s == "cancel_withdrawal") return AssetChangeReason::cancel_withdrawal;
  if (s == "cancel_post_only") return AssetChangeReason::cancel_post_only;
  return AssetChangeReason::unknown;
}

// "XRP" + "KRW" -> registered id of "XRP-KRW" (upper-cased).
[[nodiscard]] inline DecodeStatus resolve(const InstrumentRegistry& registry,
                                          std::string_view target, std::string_view quote,
                                          InstrumentId& id) noexcept {
  char buf[InstrumentName::kCapacity];
  if (target.empty() || quote.empty()) return DecodeStatus::bad_value;
  if (target.size() + quote.size() + 1 > sizeof buf) return DecodeStatus::field_too_long;
  std::size_t n = 0;
  auto put = [&](std::string_view s) {
    for (char c : s) buf[n++] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
  };
  put(target);
  buf[n++] = '-';
  put(quote);
  const std::optional<InstrumentId> found = registry.find(Venue::coinone, {buf, n});
  if (!found) return DecodeStatus::unknown_instrument;
  id = *found;
  return DecodeStatus::ok;
}

[[nodiscard]] inline bool parse_u64(std::string_view text, std::uint64_t& out) noexcept {
  if (text.empty() || text.size() > 20) return false;
  std::uint64_t r = 0;
  for (char c : text) {
    const unsigned d = static_cast<unsigned char>(c - '0');
    if (d > 9) return false;
    if (__builtin_mul_overflow(r, 10u, &r) || __builtin_add_overflow(r, d, &r)) return false;
  }
  out = r;
  return true;
}

// Field readers over one adapter. A null `v` means the key was absent.
template <class Dom>
struct Read {
  using Value = typename Dom::Value;

  [[nodiscard]] static DecodeStatus text(const Value* v, std::string_view& out) noexcept {
    if (v == nullptr || Dom::is_null(*v)) return DecodeStatus::missing_field;
    return Dom::string(*v, out) ? DecodeStatus::ok : DecodeStatus::wrong_type;
  }

  // Absent or null: present = false and `out` untouched.
  template <class D>
  [[nodiscard]] static DecodeStatus decimal(const Value* v, D& out, bool& present) noexcept {
    present = false;
    if (v == nullptr || Dom::is_null(*v)) return DecodeStatus::ok;
    std::string_view s;
    if (!Dom::string(*v, s)) return DecodeStatus::wrong_type;
    present = true;
    return D::parse(s, out) == DecimalError::ok ? DecodeStatus::ok : DecodeStatus::bad_number;
  }

  template <class D>
  [[nodiscard]] static DecodeStatus required_decimal(const Value* v, D& out) noexcept {
    bool present;
    const DecodeStatus s = decimal(v, out, present);
    return s == DecodeStatus::ok && !present ? DecodeStatus::missing_field : s;
  }

  // Absent, null and 0 all give 0 ("absent").
  [[nodiscard]] static DecodeStatus epoch_ns(const Value* v, std::int64_t& out) noexcept {
    out = 0;
    if (v == nullptr || Dom::is_null(*v)) return DecodeStatus::ok;
    std::int64_t raw;
    if (!Dom::int64(*v, raw)) return DecodeStatus::wrong_type;
    const std::int64_t ns = normalise_epoch_to_ns(raw);
    if (ns < 0) return DecodeStatus::bad_number;
    out = ns;
    return DecodeStatus::ok;
  }

  // A digit string or a JSON integer.
  [[nodiscard]] static DecodeStatus u64(const Value* v, std::uint64_t& out) noexcept {
    if (v == nullptr || Dom::is_null(*v)) return DecodeStatus::missing_field;
    std::string_view s;
    if (Dom::string(*v, s)) return parse_u64(s, out) ? DecodeStatus::ok : DecodeStatus::bad_number;
    return Dom::uint64(*v, out) ? DecodeStatus::ok : DecodeStatus::wrong_type;
  }

  template <std::size_t N>
  [[nodiscard]] static DecodeStatus fixed(const Value* v, FixedString<N>& out) noexcept {
    std::string_view s;
    if (const DecodeStatus st = text(v, s); st != DecodeStatus::ok) return st;
    return out.assign(s) ? DecodeStatus::ok : DecodeStatus::field_too_long;
  }

  // Absent or null: empty and present = false.
  template <std::size_t N>
  [[nodiscard]] static DecodeStatus fixed_nullable(const Value* v, FixedString<N>& out,
                                                   bool& present) noexcept {
    present = v != nullptr && !Dom::is_null(*v);
    if (!present) {
      out.clear();
      return DecodeStatus::ok;
    }
    return fixed(v, out);
  }

  [[nodiscard]] static DecodeStatus tristate(const Value* v, Tristate& out) noexcept {
    out = Tristate::unknown;
    if (v == nullptr || Dom::is_null(*v)) return DecodeStatus::ok;
    bool b;
    if (!Dom::boolean(*v, b)) return DecodeStatus::wrong_type;
    out = b ? Tristate::yes : Tristate::no;
    return DecodeStatus::ok;
  }
};

#define MDE_BENCH_TRY(expr)                                            \
  do {                                                                 \
    if (const DecodeStatus mde_s_ = (expr); mde_s_ != DecodeStatus::ok) \
      return mde_s_;                                                   \
  } while (0)

template <class Dom>
[[nodiscard]] DecodeStatus decode_instrument(const typename Dom::Value& d, const Keys& k,
                                             const InstrumentRegistry& registry,
                                             Event& out) noexcept {
  using R = Read<Dom>;
  std::string_view quote, target;
  MDE_BENCH_TRY(R::text(Dom::find(d, k.quote), quote));
  MDE_BENCH_TRY(R::text(Dom::find(d, k.target), target));
  return resolve(registry, target, quote, out.header.instrument);
}

template <class Dom>
[[nodiscard]] DecodeStatus decode_trade(const typename Dom::Value& d, const Keys& k,
                                        const InstrumentRegistry& registry, Event& out) noexcept {
  using R = Read<Dom>;
  Trade& t = out.trade;
  MDE_BENCH_TRY(decode_instrument<Dom>(d, k, registry, out));
  MDE_BENCH_TRY(R::fixed(Dom::find(d, k.id), t.id));
  MDE_BENCH_TRY(R::epoch_ns(Dom::find(d, k.trade_timestamp), out.header.exchange_ns));
  if (out.header.exchange_ns == 0) return DecodeStatus::missing_field;  // 0 is "absent"
  MDE_BENCH_TRY(R::required_decimal(Dom::find(d, k.price), t.price));
  MDE_BENCH_TRY(R::required_decimal(Dom::find(d, k.qty), t.qty));
  if (t.price.is_negative() || t.qty.is_negative()) return DecodeStatus::bad_number;
  Tristate seller_maker;
  MDE_BENCH_TRY(R::tristate(Dom::find(d, k.seller_maker), seller_maker));
  if (seller_maker == Tristate::unknown) return DecodeStatus::missing_field;
  t.taker_side = seller_maker == Tristate::yes ? Side::buy : Side::sell;
  out.header.kind = EventKind::trade;
  return DecodeStatus::ok;
}

template <class Dom>
[[nodiscard]] DecodeStatus decode_levels(const typename Dom::Value* v, const Keys& k,
                                         PriceLevel* levels, std::uint8_t& count) noexcept {
  using R = Read<Dom>;
  if (v == nullptr || Dom::is_null(*v)) return DecodeStatus::missing_field;
  std::size_t n = 0;
  DecodeStatus s = DecodeStatus::ok;
  const bool walked = Dom::each(*v, [&](const typename Dom::Value& level) {
    if (n == kMaxBookLevels) {
      s = DecodeStatus::too_many_levels;
      return false;
    }
    if ((s = R::required_decimal(Dom::find(level, k.price), levels[n].price)) !=
            DecodeStatus::ok ||
        (s = R::required_decimal(Dom::find(level, k.qty), levels[n].qty)) != DecodeStatus::ok) {
      return false;
    }
    if (levels[n].price.is_negative() || levels[n].qty.is_negative()) {
      s = DecodeStatus::bad_number;
      return false;
    }
    ++n;
    return true;
  });
  if (s != DecodeStatus::ok) return s;
  if (!walked) return DecodeStatus::wrong_type;
  count = static_cast<std::uint8_t>(n);
  return DecodeStatus::ok;
}

template <class Dom>
[[nodiscard]] DecodeStatus decode_book(const typename Dom::Value& d, const Keys& k,
                                       const InstrumentRegistry& registry, Event& out) noexcept {
  using R = Read<Dom>;
  BookUpdate& b = out.book;
  MDE_BENCH_TRY(decode_instrument<Dom>(d, k, registry, out));
  MDE_BENCH_TRY(R::u64(Dom::find(d, k.id), b.id));
  MDE_BENCH_TRY(R::epoch_ns(Dom::find(d, k.book_timestamp), out.header.exchange_ns));
  MDE_BENCH_TRY(decode_levels<Dom>(Dom::find(d, k.asks), k, b.asks, b.ask_count));
  MDE_BENCH_TRY(decode_levels<Dom>(Dom::find(d, k.bids), k, b.bids, b.bid_count));
  b.prev_id = 0;
  b.action = BookAction::snapshot;
  b.part_flags = 0;
  out.header.kind = EventKind::book;
  return DecodeStatus::ok;
}

template <class Dom>
[[nodiscard]] DecodeStatus decode_ticker(const typename Dom::Value& d, const Keys& k,
                                         const InstrumentRegistry& registry, Event& out) noexcept {
  using R = Read<Dom>;
  Ticker& t = out.ticker;
  std::memset(static_cast<void*>(&t), 0, sizeof t);  // absent values read as zero
  MDE_BENCH_TRY(decode_instrument<Dom>(d, k, registry, out));
  MDE_BENCH_TRY(R::epoch_ns(Dom::find(d, k.ticker_timestamp), out.header.exchange_ns));
  if (out.header.exchange_ns == 0) return DecodeStatus::missing_field;  // 0 is "absent"
  if (const auto* id = Dom::find(d, k.id)) MDE_BENCH_TRY(R::u64(id, t.id));
  if (const auto* last = Dom::find(d, k.last); last == nullptr || Dom::is_null(*last)) {
    return DecodeStatus::missing_field;
  }
  bool p;
  MDE_BENCH_TRY(R::decimal(Dom::find(d, k.quote_volume), t.quote_volume, p));
  MDE_BENCH_TRY(R::decimal(Dom::find(d, k.target_volume), t.target_volume, p));
  MDE_BENCH_TRY(R::decimal(Dom::find(d, k.y_quote_volume), t.yesterday_quote_volume, p));
  MDE_BENCH_TRY(R::decimal(Dom::find(d, k.y_target_volume), t.yesterday_target_volume, p));
  MDE_BENCH_TRY(R::decimal(Dom::find(d, k.high), t.high, p));
  MDE_BENCH_TRY(R::decimal(Dom::find(d, k.low), t.low, p));
  MDE_BENCH_TRY(R::decimal(Dom::find(d, k.first), t.first, p));
  MDE_BENCH_TRY(R::decimal(Dom::find(d, k.last), t.last, p));
  MDE_BENCH_TRY(R::decimal(Dom::find(d, k.volume_power), t.volume_power, p));
  MDE_BENCH_TRY(R::decimal(Dom::find(d, k.y_high), t.yesterday_high, p));
  MDE_BENCH_TRY(R::decimal(Dom::find(d, k.y_low), t.yesterday_low, p));
  MDE_BENCH_TRY(R::decimal(Dom::find(d, k.y_first), t.yesterday_first, p));
  MDE_BENCH_TRY(R::decimal(Dom::find(d, k.y_last), t.yesterday_last, p));
  MDE_BENCH_TRY(R::decimal(Dom::find(d, k.ask_best_price), t.ask_best_price, p));
  if (p) t.present |= kTickerAskBestPrice;
  MDE_BENCH_TRY(R::decimal(Dom::find(d, k.ask_best_qty), t.ask_best_qty, p));
  if (p) t.present |= kTickerAskBestQty;
  MDE_BENCH_TRY(R::decimal(Dom::find(d, k.bid_best_price), t.bid_best_price, p));
  if (p) t.present |= kTickerBidBestPrice;
  MDE_BENCH_TRY(R::decimal(Dom::find(d, k.bid_best_qty), t.bid_best_qty, p));
  if (p) t.present |= kTickerBidBestQty;
  out.header.kind = EventKind::ticker;
  return DecodeStatus::ok;
}

template <class Dom>
[[nodiscard]] DecodeStatus decode_order(const typename Dom::Value& d, const Keys& k,
                                        const InstrumentRegistry& registry, Event& out) noexcept {
  using R = Read<Dom>;
  OrderEvent& o = out.order;
  o.present = 0;
  o.order_type = OrderType::unknown;
  MDE_BENCH_TRY(decode_instrument<Dom>(d, k, registry, out));
  MDE_BENCH_TRY(R::fixed(Dom::find(d, k.order_id), o.order_id));
  if (o.order_id.empty()) return DecodeStatus::missing_field;
  std::string_view text;
  if (const auto* v = Dom::find(d, k.order_type)) {
    MDE_BENCH_TRY(R::text(v, text));
    if (text == "LIMIT") o.order_type = OrderType::limit;
    else if (text == "MARKET") o.order_type = OrderType::market;
    else if (text == "STOP_LIMIT") o.order_type = OrderType::stop_limit;
  }
  MDE_BENCH_TRY(R::text(Dom::find(d, k.status), text));
  (void)o.venue_status.assign(text.substr(0, o.venue_status.kCapacity));  // diagnostic: cut
  o.type = order_status(text);
  MDE_BENCH_TRY(R::text(Dom::find(d, k.side), text));
  if (text == "BID") o.side = Side::buy;
  else if (text == "ASK") o.side = Side::sell;
  else return DecodeStatus::bad_value;

  struct Optional {
    const char* key;
    Decimal& value;
    OrderField bit;
  };
  const Optional decimals[] = {
      {k.order_price, o.order_price, kOrderPrice},
      {k.order_qty, o.order_qty, kOrderQty},
      {k.order_amount, o.order_amount, kOrderAmount},
      {k.executed_price, o.executed_price, kExecutedPrice},
      {k.executed_qty, o.executed_qty, kExecutedQty},
      {k.executed_fee, o.executed_fee, kExecutedFee},
      {k.remain_qty, o.remain_qty, kRemainQty},
      {k.remain_amount, o.remain_amount, kRemainAmount},
      {k.prevented_qty, o.prevented_qty, kPreventedQty},
  };
  for (const Optional& opt : decimals) {
    bool present;
    MDE_BENCH_TRY(R::decimal(Dom::find(d, opt.key), opt.value, present));
    if (present) o.present |= opt.bit;
  }
  bool present;
  MDE_BENCH_TRY(R::fixed_nullable(Dom::find(d, k.trade_id), o.trade_id, present));
  if (present) o.present |= kTradeId;
  MDE_BENCH_TRY(R::fixed_nullable(Dom::find(d, k.user_order_id), o.client_order_id, present));
  if (present) o.present |= kClientOrderId;
  MDE_BENCH_TRY(R::tristate(Dom::find(d, k.is_maker), o.is_maker));
  MDE_BENCH_TRY(R::epoch_ns(Dom::find(d, k.executed_timestamp), o.executed_ns));
  MDE_BENCH_TRY(R::epoch_ns(Dom::find(d, k.order_timestamp), o.order_ns));
  MDE_BENCH_TRY(R::epoch_ns(Dom::find(d, k.order_event_timestamp), out.header.exchange_ns));
  if (out.header.exchange_ns == 0) return DecodeStatus::missing_field;
  out.header.kind = EventKind::order;
  return DecodeStatus::ok;
}

template <class Dom>
[[nodiscard]] DecodeStatus decode_asset(const typename Dom::Value& d, const Keys& k,
                                        Event& out) noexcept {
  using R = Read<Dom>;
  AssetEvent& a = out.asset;
  a.count = 0;
  const auto* assets = Dom::find(d, k.assets);
  if (assets == nullptr || Dom::is_null(*assets)) return DecodeStatus::missing_field;
  std::string_view reason;
  bool reason_seen = false;
  if (const auto* v = Dom::find(d, k.asset_type)) {
    MDE_BENCH_TRY(R::text(v, reason));
    reason_seen = true;
  }
  DecodeStatus s = DecodeStatus::ok;
  const bool walked = Dom::each(*assets, [&](const typename Dom::Value& entry) {
    if (a.count == kMaxAssetsPerEvent) {
      s = DecodeStatus::too_many_assets;
      return false;
    }
    AssetBalance& bal = a.assets[a.count];
    if ((s = R::fixed(Dom::find(entry, k.currency), bal.currency)) != DecodeStatus::ok ||
        (s = R::required_decimal(Dom::find(entry, k.available), bal.available)) !=
            DecodeStatus::ok ||
        (s = R::required_decimal(Dom::find(entry, k.limit), bal.locked)) != DecodeStatus::ok) {
      return false;
    }
    ++a.count;
    return true;
  });
  if (s != DecodeStatus::ok) return s;
  if (!walked) return DecodeStatus::wrong_type;
  bool present;
  MDE_BENCH_TRY(R::fixed_nullable(Dom::find(d, k.order_id), a.order_id, present));
  MDE_BENCH_TRY(R::fixed_nullable(Dom::find(d, k.user_order_id), a.client_order_id, present));
  MDE_BENCH_TRY(R::fixed_nullable(Dom::find(d, k.trade_id), a.trade_id, present));
  MDE_BENCH_TRY(R::epoch_ns(Dom::find(d, k.asset_timestamp), out.header.exchange_ns));
  a.reason = reason_seen ? asset_reason(reason) : AssetChangeReason::unknown;
  out.header.instrument = kNoInstrument;
  out.header.kind = EventKind::asset;
  return DecodeStatus::ok;
}

// Decodes a parsed frame (`root`) into `out`. On failure out.header.kind is EventKind::none.
template <class Dom>
[[nodiscard]] DecodeStatus decode(const typename Dom::Value& root,
                                  const InstrumentRegistry& registry, std::uint32_t connection,
                                  Event& out) noexcept {
  out.header = EventHeader{};  // kind none until a payload decoder sets it
  out.header.connection = connection;
  out.header.venue = Venue::coinone;
  const Keys* k = &kDefaultKeys;
  const auto* rt = Dom::find(root, k->response_type);
  if (rt == nullptr) {
    k = &kShortKeys;
    rt = Dom::find(root, k->response_type);
  }
  std::string_view text;
  MDE_BENCH_TRY(Read<Dom>::text(rt, text));
  if (text != "DATA") return DecodeStatus::unknown_response_type;
  MDE_BENCH_TRY(Read<Dom>::text(Dom::find(root, k->channel), text));
  const auto* d = Dom::find(root, k->data);
  if (d == nullptr) return DecodeStatus::missing_field;
  DecodeStatus s = DecodeStatus::unknown_channel;
  if (text == "TRADE") s = decode_trade<Dom>(*d, *k, registry, out);
  else if (text == "ORDERBOOK") s = decode_book<Dom>(*d, *k, registry, out);
  else if (text == "MYORDER") s = decode_order<Dom>(*d, *k, registry, out);
  else if (text == "TICKER") s = decode_ticker<Dom>(*d, *k, registry, out);
  else if (text == "MYASSET") s = decode_asset<Dom>(*d, *k, out);
  if (s != DecodeStatus::ok) out.header.kind = EventKind::none;
  return s;
}


}  // namespace mde::bench::coinone_dom
