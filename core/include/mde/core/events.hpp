// Events: the fixed-layout structs a feed decoder writes and the core thread consumes.
//
// Every event is trivially copyable, fixed size and venue-neutral: decoders in feeds/ fill
// them, queues in core/ carry them by value, book/ applies them. Nothing here allocates, and
// nothing here knows JSON, sockets or any venue's field names.
//
// An Event is a tagged union: `header.kind` says which member is live. A decoder that rejects a
// frame sets `header.kind = EventKind::none`, so a half-written event never looks valid.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "mde/core/decimal.hpp"
#include "mde/core/fixed_string.hpp"
#include "mde/core/instrument.hpp"
#include "mde/core/venue.hpp"

namespace mde {

enum class EventKind : std::uint8_t { none, book, trade, order, asset, ticker, control };

// Common to every event. Timestamps are nanoseconds since the Unix epoch; 0 means absent.
struct EventHeader {
  std::int64_t exchange_ns;   // the venue's event time, normalised to ns
  std::int64_t receive_ns;    // when the frame was read off the socket (or from the capture)
  std::uint64_t enqueue_tsc;  // producer's TSC stamp at hand-off (queue-hop latency); 0 if unset
  std::uint32_t connection;   // which feed connection produced it
  InstrumentId instrument;    // kNoInstrument for account-wide events (assets, most control)
  EventKind kind;
  Venue venue;
};
static_assert(sizeof(EventHeader) == 32);

enum class Side : std::uint8_t { buy, sell };

[[nodiscard]] constexpr std::string_view to_string(Side s) noexcept {
  return s == Side::buy ? "buy" : "sell";
}

// ---- Order book ------------------------------------------------------------------------------

// Per side and per event. Coinone sends 16; a BTSE 50-level snapshot travels as two parts (see
// BookPartFlag). 32, not 64: with 16-byte Decimals a level is 32 bytes, and 32 levels a side keep
// the queue element at the size it had with 8-byte Decimals and 64 levels.
inline constexpr std::size_t kMaxBookLevels = 32;

struct PriceLevel {
  Decimal price;
  Decimal qty;  // zero in a delta removes the level
};

enum class BookAction : std::uint8_t { snapshot, delta };

// A venue frame whose levels do not fit one BookUpdate (a BTSE 50-level snapshot, a BTSE delta
// with more than kMaxBookLevels entries on a side) travels as several parts of one update,
// published together and in order: the first part carries the checks (id, prev_id), every part
// but the last has kBookPartMore set, every part but the first has kBookPartContinued. A book
// applies the parts as one update: the crossed check and the strategy callback come after the
// last part.
enum BookPartFlag : std::uint8_t {
  kBookPartMore = 1u << 0,       // another part of the same update follows
  kBookPartContinued = 1u << 1,  // not the first part: no id checks, same id as the first
  // This snapshot replaces the book whatever its id: the venue's sequence chain continues from it
  // (BTSE re-sends a snapshot on resubscribe without resetting seqNum; see protocols.md B4).
  kBookSnapshotResets = 1u << 2,
};

// Levels are in wire order; book/ sorts them (Coinone sends asks worst-first). Within one update
// (all its parts) a price appears at most once per side: a decoder that meets a price twice keeps
// the last entry (the venue's "last wins"), so the order in which parts are applied cannot change
// the result.
struct BookUpdate {
  std::uint64_t id;       // book id or sequence number; larger is newer
  std::uint64_t prev_id;  // sequence number this delta follows; 0 when the venue has none
  BookAction action;
  std::uint8_t bid_count;
  std::uint8_t ask_count;
  std::uint8_t part_flags;  // BookPartFlag bits; 0 for an update that fits one event
  PriceLevel bids[kMaxBookLevels];
  PriceLevel asks[kMaxBookLevels];

  [[nodiscard]] bool has_more_parts() const noexcept { return (part_flags & kBookPartMore) != 0; }
  [[nodiscard]] bool is_continuation() const noexcept {
    return (part_flags & kBookPartContinued) != 0;
  }
};

// ---- Public trade ----------------------------------------------------------------------------

struct Trade {
  ExchangeId id;
  Decimal price;
  Decimal qty;
  // The aggressor. Coinone's is_seller_maker == true means the buyer took liquidity: buy.
  Side taker_side;
};

// ---- Ticker ----------------------------------------------------------------------------------

enum TickerField : std::uint32_t {
  kTickerAskBestPrice = 1u << 0,  // absent (null) when the ask side is empty
  kTickerAskBestQty = 1u << 1,
  kTickerBidBestPrice = 1u << 2,
  kTickerBidBestQty = 1u << 3,
};

struct Ticker {
  std::uint64_t id;
  Notional quote_volume;  // 24h values can exceed Decimal's range
  Notional target_volume;
  Notional yesterday_quote_volume;
  Notional yesterday_target_volume;
  Decimal high, low, first, last;
  Decimal yesterday_high, yesterday_low, yesterday_first, yesterday_last;
  Decimal volume_power;
  Decimal ask_best_price, ask_best_qty, bid_best_price, bid_best_qty;
  std::uint32_t present;  // TickerField bits for the optional values
};

// ---- Private order events --------------------------------------------------------------------

// What the venue says happened to the order, in venue-neutral terms.
enum class OrderEventType : std::uint8_t {
  unknown,              // a status the decoder has never seen; venue_status keeps the text
  pending_trigger,      // stop order waiting for its trigger
  open,                 // resting (or accepted), no fill in this event
  fill,                 // a fill happened; the order may still be open
  filled,               // fully filled (terminal); may repeat the last fill's trade id
  cancelled,            // terminal
  cancelled_post_only,  // terminal: a post-only order would have taken liquidity
  rejected,             // terminal
};

enum class OrderType : std::uint8_t { unknown, limit, market, stop_limit };

[[nodiscard]] constexpr std::string_view to_string(OrderType t) noexcept {
  switch (t) {
    case OrderType::unknown: return "unknown";
    case OrderType::limit: return "limit";
    case OrderType::market: return "market";
    case OrderType::stop_limit: return "stop_limit";
  }
  return "?";
}
enum class Tristate : std::uint8_t { unknown, no, yes };

// Which optional values of an OrderEvent are present (the wire sends null for the rest).
enum OrderField : std::uint16_t {
  kOrderPrice = 1u << 0,
  kOrderQty = 1u << 1,
  kOrderAmount = 1u << 2,
  kExecutedPrice = 1u << 3,
  kExecutedQty = 1u << 4,  // fill qty, or the cancelled qty on a cancel
  kExecutedFee = 1u << 5,
  kRemainQty = 1u << 6,
  kRemainAmount = 1u << 7,
  kPreventedQty = 1u << 8,
  kTradeId = 1u << 9,
  kClientOrderId = 1u << 10,
};

struct OrderEvent {
  ExchangeId order_id;
  ExchangeId trade_id;
  ExchangeId client_order_id;
  FixedString<23> venue_status;  // the status text as sent, for diagnostics
  Decimal order_price, order_qty, order_amount;
  Decimal executed_price, executed_qty, executed_fee;
  Decimal remain_qty, remain_amount, prevented_qty;
  std::int64_t executed_ns;  // 0 = absent
  std::int64_t order_ns;     // 0 = absent
  std::uint16_t present;     // OrderField bits
  OrderEventType type;
  Side side;
  OrderType order_type;
  Tristate is_maker;

  [[nodiscard]] bool has(OrderField f) const noexcept { return (present & f) != 0; }
};

// ---- Private balance events ------------------------------------------------------------------

inline constexpr std::size_t kMaxAssetsPerEvent = 8;

struct AssetBalance {
  CurrencyCode currency;
  Decimal available;  // orderable, after the change
  Decimal locked;     // held by open orders; available + locked = total
};

enum class AssetChangeReason : std::uint8_t {
  unknown, deposit, withdrawal, cancel_withdrawal, order, trade, cancel, cancel_post_only
};

struct AssetEvent {
  AssetBalance assets[kMaxAssetsPerEvent];
  ExchangeId order_id;  // empty when absent
  ExchangeId trade_id;
  ExchangeId client_order_id;
  std::uint8_t count;
  AssetChangeReason reason;
};

// ---- Control frames --------------------------------------------------------------------------

// `dropped` never comes from a venue: a producer using the opt-in drop policy emits it after a
// full queue made it drop events (error_code = how many), so the core thread can mark the
// affected book (header.instrument) or order stream stale.
// `disconnected` comes from a live session, not the venue: the connection was lost (error_code
// holds the venue's WebSocket close code, 0 when there was none; message says why).
// `rejected` never comes from a venue either: the producer's decoder rejected a frame that would
// have changed a book (header.instrument) or the order / balance stream (channel), so that
// stream missed an update and the core thread marks it stale.
enum class ControlType : std::uint8_t {
  connected, subscribed, unsubscribed, pong, error, dropped, disconnected, rejected
};
enum class Channel : std::uint8_t { none, book, trade, ticker, candles, orders, assets };

struct Control {
  ExchangeId session_id;     // CONNECTED
  FixedString<63> message;   // ERROR text (cut to fit; it is diagnostic only)
  FixedString<23> field;     // ERROR: which request field was bad, if the venue says
  FixedString<47> topic;     // the venue topic this control concerns (BTSE "update:BTC-USD_0"); may be empty
  std::int64_t error_code;   // ERROR; 0 otherwise
  ControlType type;
  Channel channel;
  std::uint8_t topic_count;  // SUBSCRIBED/UNSUBSCRIBED: how many topics were echoed
};

// ---- The tagged union ------------------------------------------------------------------------

struct Event {
  EventHeader header;
  union {
    BookUpdate book;
    Trade trade;
    Ticker ticker;
    OrderEvent order;
    AssetEvent asset;
    Control control;
  };

  Event() noexcept : header{} {}  // header zeroed (kind none); the payload is left as is
};

static_assert(std::is_trivially_copyable_v<Event> && std::is_trivially_destructible_v<Event>);
static_assert(std::is_trivially_default_constructible_v<BookUpdate> &&
              std::is_trivially_default_constructible_v<OrderEvent>);
static_assert(sizeof(PriceLevel) == 2 * sizeof(Decimal) && sizeof(PriceLevel) == 32);
// The 20 bytes of ids, action and counts are padded to the levels' 16-byte alignment.
static_assert(offsetof(BookUpdate, bids) == 32 &&
              sizeof(BookUpdate) == 32 + 2 * kMaxBookLevels * sizeof(PriceLevel));
static_assert(sizeof(Trade) == 96);        // id 48, price 16, qty 16, side padded to 16
static_assert(sizeof(Ticker) == 304);
static_assert(sizeof(OrderEvent) == 352);  // nine Decimals (144) after 168 bytes of ids, padded
static_assert(sizeof(AssetEvent) == 544);  // 8 balances of 48 bytes (code 16, two Decimals 32)
// The queue element: a book snapshot dominates. Changing it changes queue memory and hop cost.
static_assert(alignof(Event) == 16 && sizeof(Event) == 2112,
              "Event layout changed: update docs/ARCHITECTURE.md (queue element size)");

}  // namespace mde
