// btse::Decoder: one BTSE spot WebSocket frame -> zero or more mde::Events (protocols.md Part B).
//
// Frames it decodes:
//  - order book `update:SYM_0` (OSS): a snapshot or a delta, routed on `data.symbol` (the delta
//    topic may lack the `_0`; another grouping, `_1` to `_8`, has its own seqNum chain and is
//    rejected as unknown_channel, never mixed into the book). One BookUpdate, or several parts of one when a side holds more than
//    kMaxBookLevels entries (events.hpp, BookPartFlag). Within a frame each side is deduplicated by
//    exact price keeping the LAST entry, and deletions (size zero in any spelling) come before the
//    insertions and updates, so a book applying the parts in order never grows past its final size
//    in between. Snapshots carry kBookSnapshotResets: BTSE re-sends one on resubscribe without
//    restarting seqNum.
//  - public trades `tradeHistoryApi:SYM` (and the legacy `tradeHistory:SYM`): a batch, one Trade
//    per element in wire order; bare JSON numbers parsed exactly from their text (exponent form
//    included, exact_number.hpp). One bad element rejects the whole batch.
//  - control: subscribe/unsubscribe acks (one Control per listed topic), the plain-text `pong`,
//    OSS error frames (one Control error per entry), and the login reply.
// Key order never matters, unknown keys are skipped, null means absent.
//
// Shape: parse() (out of line, not a template) validates the whole frame into a fixed-capacity
// ParsedFrame owned by the decoder; only then does the inline decode() template copy it into the
// sink's events. A rejected frame therefore emits nothing.
//
// Thread: one Decoder per I/O thread (it owns a reusable simdjson On-Demand parser and the parsed
// frame). The constructor allocates (setup); parse() and decode() never allocate, never throw and
// never build a DOM.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#include "mde/core/events.hpp"
#include "mde/core/fixed_string.hpp"
#include "mde/core/frame.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/decode_status.hpp"
#include "mde/feeds/event_sink.hpp"

namespace mde::btse {

struct DecoderOptions {
  std::size_t max_frame_bytes = 1 << 20;
  // Add markets not yet registered instead of rejecting their book and trade frames. Control
  // frames only look markets up: an error about an unsupported pair must not register it.
  bool add_unknown_instruments = false;
  std::uint32_t connection = 0;  // copied into every event header
};

// Capacities of one frame. More entries on one book side: too_many_levels; more trades, or more
// topics/errors in one control frame: too_many_events. Powers of two.
inline constexpr std::size_t kMaxEntriesPerSide = 1024;
inline constexpr std::size_t kMaxTradesPerFrame = 1024;
inline constexpr std::size_t kMaxControlsPerFrame = 256;
static_assert((kMaxEntriesPerSide & (kMaxEntriesPerSide - 1)) == 0 &&
              (kMaxTradesPerFrame & (kMaxTradesPerFrame - 1)) == 0 &&
              (kMaxControlsPerFrame & (kMaxControlsPerFrame - 1)) == 0);

enum class FrameKind : std::uint8_t { none, book, trades, controls };

struct ParsedTrade {
  Trade trade;
  std::int64_t exchange_ns;
  InstrumentId instrument;
};

struct ParsedControl {
  FixedString<47> topic;    // empty when the venue names none (an error without `arg`)
  FixedString<63> message;  // error text, cut to fit
  std::int64_t error_code;
  InstrumentId instrument;  // the topic's market when registered, else kNoInstrument
  ControlType type;
  Channel channel;
};

// One validated frame, ready to emit. Book sides are final: deduplicated, deletions first.
struct ParsedFrame {
  FrameKind kind;
  // book
  BookAction action;
  InstrumentId instrument;
  std::int64_t exchange_ns;
  std::uint64_t id;
  std::uint64_t prev_id;
  std::size_t bid_count;
  std::size_t ask_count;
  PriceLevel bids[kMaxEntriesPerSide];
  PriceLevel asks[kMaxEntriesPerSide];
  // trades
  std::size_t trade_count;
  ParsedTrade trades[kMaxTradesPerFrame];
  // controls
  std::size_t control_count;
  ParsedControl controls[kMaxControlsPerFrame];
};

class Decoder {
 public:
  // Allocates the parser and the parsed-frame buffer; throws std::bad_alloc on failure (setup).
  explicit Decoder(InstrumentRegistry& registry, DecoderOptions options = {});
  ~Decoder();
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  // Validates `frame` (kFramePadding readable bytes after its end) into parsed(). On rejection
  // parsed().kind is FrameKind::none.
  DecodeResult parse(FrameView frame) noexcept;
  [[nodiscard]] const ParsedFrame& parsed() const noexcept { return *parsed_; }

  // The FrameDecoder interface (event_sink.hpp): parse, then emit every event of the frame. A
  // frame that decodes to no event (an ack listing no topic) is ok and emits nothing.
  template <EventSink Sink>
  DecodeResult decode(FrameView frame, Sink& sink) noexcept {
    const DecodeResult r = parse(frame);
    if (!r.ok()) return r;
    switch (parsed_->kind) {
      case FrameKind::book: emit_book(sink); break;
      case FrameKind::trades: emit_trades(sink); break;
      case FrameKind::controls: emit_controls(sink); break;
      case FrameKind::none: break;
    }
    return r;
  }

 private:
  void stamp(Event& e, EventKind kind, InstrumentId instrument, std::int64_t exchange_ns) const noexcept {
    e.header.exchange_ns = exchange_ns;
    e.header.receive_ns = 0;  // the sink stamps the input's fields
    e.header.enqueue_tsc = 0;
    e.header.connection = connection_;
    e.header.instrument = instrument;
    e.header.kind = kind;
    e.header.venue = Venue::btse;
  }

  template <EventSink Sink>
  void emit_book(Sink& sink) noexcept {
    const ParsedFrame& p = *parsed_;
    const std::size_t longest = std::max(p.bid_count, p.ask_count);
    const std::size_t parts = longest == 0 ? 1 : (longest + kMaxBookLevels - 1) / kMaxBookLevels;
    const std::uint8_t resets = p.action == BookAction::snapshot ? kBookSnapshotResets : 0;
    for (std::size_t part = 0; part < parts; ++part) {
      Event& e = sink.event();
      stamp(e, EventKind::book, p.instrument, p.exchange_ns);
      BookUpdate& b = e.book;
      b.id = p.id;
      b.prev_id = p.prev_id;
      b.action = p.action;
      const std::size_t first = part * kMaxBookLevels;
      const std::size_t bids = p.bid_count > first ? std::min(p.bid_count - first, kMaxBookLevels) : 0;
      const std::size_t asks = p.ask_count > first ? std::min(p.ask_count - first, kMaxBookLevels) : 0;
      std::memcpy(b.bids, p.bids + first, bids * sizeof(PriceLevel));
      std::memcpy(b.asks, p.asks + first, asks * sizeof(PriceLevel));
      b.bid_count = static_cast<std::uint8_t>(bids);
      b.ask_count = static_cast<std::uint8_t>(asks);
      b.part_flags = static_cast<std::uint8_t>((part + 1 < parts ? kBookPartMore : 0) |
                                               (part > 0 ? kBookPartContinued : 0) | resets);
      if (!sink.emit()) return;
    }
  }

  template <EventSink Sink>
  void emit_trades(Sink& sink) noexcept {
    const ParsedFrame& p = *parsed_;
    for (std::size_t i = 0; i < p.trade_count; ++i) {
      Event& e = sink.event();
      stamp(e, EventKind::trade, p.trades[i].instrument, p.trades[i].exchange_ns);
      e.trade = p.trades[i].trade;
      if (!sink.emit()) return;
    }
  }

  template <EventSink Sink>
  void emit_controls(Sink& sink) noexcept {
    const ParsedFrame& p = *parsed_;
    for (std::size_t i = 0; i < p.control_count; ++i) {
      const ParsedControl& pc = p.controls[i];
      Event& e = sink.event();
      stamp(e, EventKind::control, pc.instrument, 0);
      Control& c = e.control;
      c.session_id.clear();
      c.message = pc.message;
      c.field.clear();
      c.topic = pc.topic;
      c.error_code = pc.error_code;
      c.type = pc.type;
      c.channel = pc.channel;
      c.topic_count = pc.topic.empty() ? 0 : 1;
      if (!sink.emit()) return;
    }
  }

  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::unique_ptr<ParsedFrame> parsed_;
  std::uint32_t connection_;
};

}  // namespace mde::btse
