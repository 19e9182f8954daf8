// BTSE order book frames (`update:SYM_0`, protocols.md B4): a snapshot or a delta of
// [price, size] string pairs, made final for the book before anything is emitted.
//
// Per side: entries are read in wire order, then reduced to one entry per exact price (the LAST
// one wins, as the venue applies them), then ordered deletions first, so that a book applying the
// update part by part never holds more levels in between than after it.
#include <cstring>

#include "decoder_impl.hpp"

namespace mde::btse {

namespace {

enum BookKey { kBids, kAsks, kSeqNum, kPrevSeqNum, kType, kTimestamp, kSymbol };
constexpr KeySpec kBookKeys[] = {{"bids", "bids"},     {"asks", "asks"},
                                 {"seqNum", "seqNum"}, {"prevSeqNum", "prevSeqNum"},
                                 {"type", "type"},     {"timestamp", "timestamp"},
                                 {"symbol", "symbol"}};
constexpr const char* kBookNames[] = {"data.bids", "data.asks",      "data.seqNum",
                                      "data.prevSeqNum", "data.type", "data.timestamp",
                                      "data.symbol"};

// Below this many entries a side is deduplicated by a plain scan (a delta carries a handful);
// above it through the price index, so that 1024 entries cost 1024 probes, not half a million
// comparisons.
constexpr std::size_t kScanDedupeLimit = 32;

// One decimal of a level: a JSON string holding an exact decimal.
[[nodiscard, gnu::always_inline]] inline DecodeStatus read_string_decimal(od::value& v,
                                                                         Decimal& out) noexcept {
  const std::string_view tok = json::trimmed_token(v);
  if (tok.empty()) return DecodeStatus::malformed_json;
  switch (tok.front()) {
    case '"':
      if (tok.size() < 2 || tok.back() != '"') return DecodeStatus::malformed_json;
      // An escape inside makes the parse fail: bad_number.
      return Decimal::parse(tok.substr(1, tok.size() - 2), out) == DecimalError::ok
                 ? DecodeStatus::ok
                 : DecodeStatus::bad_number;
    case 'n':
      return tok == "null" ? DecodeStatus::missing_field : DecodeStatus::malformed_json;
    case 't':
      return tok == "true" ? DecodeStatus::wrong_type : DecodeStatus::malformed_json;
    case 'f':
      return tok == "false" ? DecodeStatus::wrong_type : DecodeStatus::malformed_json;
    case '{':
    case '[':
      return DecodeStatus::wrong_type;
    default:
      // A bare number where the venue sends a string: not this protocol.
      return json::is_json_number(tok) ? DecodeStatus::wrong_type : DecodeStatus::malformed_json;
  }
}

// Fast path for one decimal as the venue spells it ("59249.0", "0.06865"): plain digits, at most
// 10 before the point (so the mantissa cannot overflow), up to the closing quote; parsed while
// scanning, and equal to what Decimal::parse makes of the same text. False, with `p` untouched,
// for anything else: the general path then reads it and names what is wrong.
[[nodiscard, gnu::always_inline]] inline bool fast_quoted_decimal(const char*& p, const char* end,
                                                                 Decimal& out) noexcept {
  const char* q = p;
  std::uint64_t m = 0;
  for (; q < end && static_cast<unsigned char>(*q - '0') < 10; ++q) {
    m = m * 10 + static_cast<std::uint64_t>(*q - '0');
  }
  if (q == p || q - p > 10) return false;
  int frac = 0;
  if (q < end && *q == '.') {
    const char* const frac_begin = ++q;
    for (; q < end && static_cast<unsigned char>(*q - '0') < 10; ++q) {
      if (frac < Decimal::kScale) {
        m = m * 10 + static_cast<std::uint64_t>(*q - '0');
        ++frac;
      } else if (*q != '0') {
        return false;
      }
    }
    if (q == frac_begin) return false;
  }
  if (q == end || *q != '"') return false;
  out = Decimal::from_mantissa(static_cast<std::int64_t>(
      m * detail::kPow10Table<std::uint64_t, Decimal::kScale>[Decimal::kScale - frac]));
  p = q + 1;
  return true;
}

// A whole level written the venue's way, `["<decimal>","<decimal>"]` with no spaces or escapes,
// read straight from the bytes (`p` at its '['; nothing is read at or past `end`). Most of a
// book frame is these; the On-Demand iterator then steps over the array unread. False for any
// other spelling, which the general path handles. (Reading a whole side this way, and letting
// the iterator skip it, measured no faster.)
[[nodiscard, gnu::always_inline]] inline bool fast_pair(const char* p, const char* end,
                                                       PriceLevel& level) noexcept {
  const char* q = p;
  if (end - q < 9 || q[0] != '[' || q[1] != '"') return false;  // ["1","1"]
  q += 2;
  if (!fast_quoted_decimal(q, end, level.price)) return false;
  if (end - q < 2 || q[0] != ',' || q[1] != '"') return false;
  q += 2;
  if (!fast_quoted_decimal(q, end, level.qty)) return false;
  return q != end && *q == ']';
}

// log2 of the price-index slots used for `n` entries: at least twice n, so probes stay short, and
// no more, so a 50-level side touches 2 KB of the index, not all of it.
[[nodiscard]] inline unsigned index_bits(std::size_t n) noexcept {
  unsigned bits = 6;
  while ((std::size_t{1} << bits) < 2 * n) ++bits;
  return bits;
}

[[nodiscard]] inline std::size_t price_hash(std::int64_t price, unsigned bits) noexcept {
  return static_cast<std::size_t>((static_cast<std::uint64_t>(price) * 0x9E3779B97F4A7C15ull) >>
                                  (64 - bits));
}

}  // namespace

DecodeResult Decoder::Impl::parse_side(od::value side, PriceLevel* levels, std::size_t& count,
                                       const char* name, const char* price_name,
                                       const char* size_name) noexcept {
  od::array arr;
  if (auto e = side.get_array().get(arr)) return {json::map_error(e), name};
  PriceLevel* const wire = wire_levels.get();
  std::size_t n = 0;
  for (auto er : arr) {
    od::value lv;
    if (auto e = std::move(er).get(lv)) return {json::map_error(e), name};
    if (n == kMaxEntriesPerSide) return {DecodeStatus::too_many_levels, name};
    PriceLevel& level = wire[n];
    if (!fast_pair(lv.raw_json_token().data(), frame_end, level)) {
      od::array pair;
      if (auto e = lv.get_array().get(pair)) return {json::map_error(e), name};
      std::size_t items = 0;
      for (auto ir : pair) {
        od::value iv;
        if (auto e = std::move(ir).get(iv)) return {json::map_error(e), name};
        if (items == 2) return {DecodeStatus::wrong_type, name};  // not a [price, size] pair
        const char* const item_name = items == 0 ? price_name : size_name;
        Decimal& target = items == 0 ? level.price : level.qty;
        if (DecodeStatus s = read_string_decimal(iv, target); s != DecodeStatus::ok) {
          return {s, item_name};
        }
        ++items;
      }
      if (items != 2) return {DecodeStatus::wrong_type, name};
    }
    // A level at a zero or negative price, or of a negative size, is never a book level.
    if (level.price.mantissa() <= 0) return {DecodeStatus::bad_number, price_name};
    if (level.qty.is_negative()) return {DecodeStatus::bad_number, size_name};
    ++n;
  }
  count = dedupe(wire, n, levels);
  return {};
}

std::size_t Decoder::Impl::dedupe(PriceLevel* wire, std::size_t n,
                                  PriceLevel* out_levels) noexcept {
  // 1. One entry per price, at its first position, with its last size (in place: w <= i).
  // A side whose prices only rise or only fall (every snapshot: the venue sends its book sorted)
  // cannot repeat one: one pass proves it.
  bool rising = true;
  bool falling = true;
  for (std::size_t i = 1; i < n; ++i) {
    rising &= wire[i - 1].price < wire[i].price;
    falling &= wire[i - 1].price > wire[i].price;
  }
  std::size_t w = 0;
  if (rising || falling) {
    w = n;
  } else if (n <= kScanDedupeLimit) {
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t j = 0;
      while (j < w && wire[j].price != wire[i].price) ++j;
      if (j < w) wire[j].qty = wire[i].qty;
      else wire[w++] = wire[i];
    }
  } else {
    if (++generation == 0) {  // wrapped: forget every slot once
      std::memset(static_cast<void*>(price_slots.get()), 0, kPriceSlots * sizeof(PriceSlot));
      generation = 1;
    }
    PriceSlot* const slots = price_slots.get();
    const unsigned bits = index_bits(n);
    const std::size_t mask = (std::size_t{1} << bits) - 1;  // <= kPriceSlots - 1
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t price = wire[i].price.mantissa();
      std::size_t s = price_hash(price, bits);
      while (slots[s].generation == generation && slots[s].price != price) s = (s + 1) & mask;
      if (slots[s].generation == generation) {
        wire[slots[s].index].qty = wire[i].qty;
      } else {
        slots[s] = {price, generation, static_cast<std::uint32_t>(w)};
        wire[w++] = wire[i];
      }
    }
  }
  // 2. Deletions first, each group in wire order.
  std::size_t deletions = 0;
  for (std::size_t i = 0; i < w; ++i) deletions += wire[i].qty.is_zero();
  std::size_t d = 0;
  std::size_t k = deletions;
  for (std::size_t i = 0; i < w; ++i) {
    out_levels[wire[i].qty.is_zero() ? d++ : k++] = wire[i];
  }
  return w;
}

DecodeResult Decoder::Impl::parse_book(od::value data) noexcept {
  std::string_view symbol;
  std::string_view type;
  std::int64_t ts = 0;
  SeenKeys seen;
  DecodeResult side_result;
  DecodeResult r = json::for_each_field(data, kBookKeys, kBookNames, Format::long_keys, "data",
                                        seen, [&](int index, od::value& v) -> DecodeStatus {
    switch (index) {
      case kBids:
        side_result = parse_side(v, out.bids, out.bid_count, "data.bids", "data.bids[].price",
                                 "data.bids[].size");
        return side_result.status;
      case kAsks:
        side_result = parse_side(v, out.asks, out.ask_count, "data.asks", "data.asks[].price",
                                 "data.asks[].size");
        return side_result.status;
      case kSeqNum: return read_seq(v, out.id);
      case kPrevSeqNum: return read_seq(v, out.prev_id);
      case kType: return json::read_token(v, type);
      case kTimestamp: return read_epoch(v, ts);
      case kSymbol: return json::read_token(v, symbol);
    }
    return DecodeStatus::ok;
  });
  if (!side_result.ok()) return side_result;
  if (!r.ok()) return r;
  if (r = json::require(seen, bits(kSeqNum, kType, kTimestamp, kSymbol), kBookNames); !r.ok()) {
    return r;
  }
  if (json::same_short_text(type, "delta")) {
    out.action = BookAction::delta;
    // The chain check needs it; a delta without it could never be applied safely.
    if (r = json::require(seen, bits(kPrevSeqNum), kBookNames); !r.ok()) return r;
  } else if (json::same_short_text(type, "snapshot")) {
    out.action = BookAction::snapshot;
    if (!seen.has(kPrevSeqNum)) out.prev_id = 0;  // never checked on a snapshot
  } else {
    return {DecodeStatus::bad_value, "data.type"};
  }
  if (ts == 0) return {DecodeStatus::missing_field, "data.timestamp"};  // 0 is "absent"
  // A side that is absent or null is empty (parse() zeroed the counts): a one-sided market.
  if (r = resolve(symbol, out.instrument, "data.symbol"); !r.ok()) return r;
  out.exchange_ns = ts;
  out.kind = FrameKind::book;
  return {};
}

}  // namespace mde::btse
