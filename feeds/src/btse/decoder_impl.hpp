// The BTSE decoder's private state and the parsing steps, one source file per frame family:
// decoder.cpp (envelope, instruments, control frames), book_frame.cpp (update: snapshots and
// deltas), trade_frame.cpp (tradeHistoryApi: batches).
//
// Thread: owned by one Decoder, so by one I/O thread. Everything is allocated in the constructor;
// the parse steps never allocate. Each step writes only into `out` and returns the first failure;
// Decoder::parse() marks the frame FrameKind::none on any failure.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <climits>
#include <memory>
#include <string_view>

#include "../json_fields.hpp"
#include "mde/feeds/btse/decoder.hpp"

namespace mde::btse {

namespace od = simdjson::ondemand;
using json::bits;
using json::Format;
using json::KeySpec;
using json::SeenKeys;

// What a topic string names: "update:BTC-USD_0" -> book, BTC-USD. "update:BTC-USD" shares the
// _0 chain; another grouping ("update:BTC-USD_1") is book_grouped: its own seqNum chain, so its
// frames are never decoded into the market's (grouping 0) book (protocols.md B4 L514, L552).
enum class TopicKind : std::uint8_t { unknown, book, book_grouped, book_l1, trades };

struct Topic {
  TopicKind kind = TopicKind::unknown;
  std::string_view symbol;  // empty when the topic names no market
};

// A non-negative JSON integer (seqNum, a timestamp) read straight from its token: the common
// case, and a third of the cost of the general readers. Anything else (a string, a sign, a
// fraction, 20 digits, a leading zero) goes to json::read_u64 / json::read_epoch_ns, which
// decide it and name what is wrong.
[[nodiscard, gnu::always_inline]] inline bool fast_uint(od::value& v, std::uint64_t& out) noexcept {
  const std::string_view tok = json::trimmed_token(v);
  if (tok.empty() || tok.size() > 19 || (tok[0] == '0' && tok.size() > 1)) return false;
  std::uint64_t r = 0;
  for (const char c : tok) {
    const unsigned d = static_cast<unsigned char>(c - '0');
    if (d > 9) return false;
    r = r * 10 + d;
  }
  out = r;
  return true;
}

[[nodiscard, gnu::always_inline]] inline DecodeStatus read_seq(od::value& v,
                                                              std::uint64_t& out) noexcept {
  return fast_uint(v, out) ? DecodeStatus::ok : json::read_u64(v, out);
}

[[nodiscard, gnu::always_inline]] inline DecodeStatus read_epoch(od::value& v,
                                                                std::int64_t& ns) noexcept {
  std::uint64_t raw;
  if (fast_uint(v, raw) && raw <= static_cast<std::uint64_t>(INT64_MAX) &&
      json::checked_epoch_to_ns(static_cast<std::int64_t>(raw), ns)) {
    return DecodeStatus::ok;
  }
  return json::read_epoch_ns(v, ns);
}

[[nodiscard]] Topic classify_topic(std::string_view topic) noexcept;
[[nodiscard]] Channel channel_of(TopicKind kind) noexcept;

struct Decoder::Impl {
  Impl(InstrumentRegistry& r, DecoderOptions o, ParsedFrame& f);

  static constexpr std::size_t kMaxDepth = 32;

  DecodeResult parse(FrameView frame) noexcept;

  // decoder.cpp
  DecodeResult parse_data(od::value data, TopicKind kind) noexcept;
  DecodeResult parse_ack(od::value channels, ControlType type) noexcept;
  DecodeResult parse_errors(od::value errors) noexcept;
  DecodeResult parse_login(od::value success) noexcept;
  // The id of a data frame's market, added when the options allow it.
  DecodeResult resolve(std::string_view symbol, InstrumentId& id, const char* field) noexcept;
  // A control's market: looked up only, kNoInstrument when unknown.
  [[nodiscard]] InstrumentId lookup(std::string_view symbol) const noexcept;
  [[nodiscard]] ParsedControl* next_control(const char* field, DecodeResult& r) noexcept;
  // Rejections only: out of line, off the accepting path.
  [[nodiscard, gnu::cold, gnu::noinline]] RejectedSubject rejected_subject() const noexcept;

  // book_frame.cpp
  DecodeResult parse_book(od::value data) noexcept;
  DecodeResult parse_side(od::value side, PriceLevel* levels, std::size_t& count,
                          const char* name, const char* price_name,
                          const char* size_name) noexcept;
  // Last entry per price wins, then deletions first; `wire` (count n) is reused as scratch.
  std::size_t dedupe(PriceLevel* wire, std::size_t n, PriceLevel* out_levels) noexcept;

  // trade_frame.cpp
  DecodeResult parse_trades(od::value data) noexcept;
  DecodeResult parse_trade(od::value element, ParsedTrade& trade) noexcept;

  od::parser parser;
  InstrumentRegistry& registry;
  DecoderOptions options;
  ParsedFrame& out;

  // End of the frame being parsed: the fast level reader never reads at or past it.
  const char* frame_end = nullptr;

  // The data topic of the frame being parsed (book or trades; a view into the frame), kept for
  // a rejection's subject.
  Topic data_topic{};

  // The last market resolved (ids never change once handed out).
  InstrumentName cached_symbol{};
  InstrumentId cached_id = kNoInstrument;

  // Entries of one side in wire order, before deduplication.
  std::unique_ptr<PriceLevel[]> wire_levels;
  // Open-addressing price index for deduplicating long sides; a slot belongs to the current side
  // only when its generation matches, so nothing is cleared between sides.
  struct PriceSlot {
    Decimal::rep price;
    std::uint32_t generation;
    std::uint32_t index;
  };
  static constexpr std::size_t kPriceSlots = 2 * kMaxEntriesPerSide;  // load factor <= 1/2
  static_assert((kPriceSlots & (kPriceSlots - 1)) == 0);
  std::unique_ptr<PriceSlot[]> price_slots;
  std::uint32_t generation = 0;
};

}  // namespace mde::btse
