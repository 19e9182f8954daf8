// EventPublisher: the one piece of code that hands decoded events from an input thread (a replay
// reader, a live session's I/O thread) to the core thread's queue.
//
// It is the EventSink every decoder writes into (feeds/event_sink.hpp): event() lends the
// producer's own L1-hot scratch event, emit() stamps the input's header fields and copies only
// the bytes the event uses into a claimed queue slot (a trade moves 2 cache lines, not 33).
// Claimed slots are published in batches of up to kPublishBatch (one tail transfer per batch);
// flush() publishes at once, and the owner calls it before any wait (pacing, a quiet socket).
//
// A full queue never loses data silently. The default policy back-pressures: emit() waits for
// space (a live reader therefore stops reading and TCP pushes back). The opt-in drop policy counts
// every dropped event and, as soon as there is room, sends a local `dropped` control event per
// affected book / order stream / balance stream (and one with the plain count) so the core thread
// marks them stale and its loss count matches the producer's.
//
// Thread: the input thread owns it (one per queue: the queue is single-producer). The
// constructor allocates (scratch, setup); event()/emit()/flush()/finish() never allocate, lock or
// throw. `stop` is read with relaxed order while waiting.
#pragma once

#include <array>
#include <atomic>
#include <bitset>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#include "mde/core/clock.hpp"
#include "mde/core/event_queue.hpp"
#include "mde/core/events.hpp"
#include "mde/core/idle_strategy.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/decode_status.hpp"

namespace mde {

enum class FullQueuePolicy : std::uint8_t { backpressure, drop };

struct PublishOptions {
  FullQueuePolicy full_queue = FullQueuePolicy::backpressure;
  bool stamp_tsc = false;  // stamp header.enqueue_tsc at hand-off (queue-hop latency)
};

// Written by the input thread only; read by others after it finished.
struct PublisherStats {
  std::uint64_t data = 0;          // market/account events handed over
  std::uint64_t control = 0;       // control events handed over (venue frames, not notices)
  std::uint64_t rejected_notices = 0;  // `rejected` controls: frames rejected for a book/stream
  std::uint64_t dropped = 0;       // events lost to a full queue (drop policy only)
  std::uint64_t drop_notices = 0;  // `dropped` controls sent
  std::uint64_t waits = 0;         // times emit() found the queue full and waited (back-pressure)
};

// A queue whose producer can fill several claimed slots and publish them at once (SpscRing).
template <class Q>
concept BatchClaimingQueue = requires(Q& q, std::size_t n) {
  { q.try_claim(n) } -> std::same_as<typename Q::value_type*>;
  q.publish(n);
};

template <class Queue, IdleStrategy Idle = SpinThenYieldIdle<>>
class EventPublisher {
 public:
  static constexpr std::size_t kPublishBatch = 16;

  // Allocates the scratch event (setup). `stop` may be null (never stops while waiting).
  EventPublisher(Queue& queue, PublishOptions options, const std::atomic<bool>* stop = nullptr)
      : queue_(queue), options_(options), stop_(stop), scratch_(std::make_unique<Event>()) {}

  EventPublisher(const EventPublisher&) = delete;
  EventPublisher& operator=(const EventPublisher&) = delete;

  // The flag that ends waits for room (set before the input starts; the owner's thread only).
  void set_stop(const std::atomic<bool>* stop) noexcept { stop_ = stop; }

  // Header fields every event of the next frame gets: when it was read and from where.
  void begin_frame(std::int64_t receive_ns, std::uint32_t connection) noexcept {
    receive_ns_ = receive_ns;
    connection_ = connection;
  }

  // ---- EventSink -----------------------------------------------------------------------------
  Event& event() noexcept { return *scratch_; }

  // Hands the scratch event over. False only when the run is stopping (while waiting for room).
  bool emit() noexcept {
    Event& e = *scratch_;
    e.header.receive_ns = receive_ns_;
    e.header.connection = connection_;
    if (e.header.kind != EventKind::control) ++stats_.data;
    else if (e.control.type == ControlType::rejected) ++stats_.rejected_notices;
    else ++stats_.control;
    if (options_.full_queue == FullQueuePolicy::drop && drops_pending_ && !flush_drop_notices()) {
      note_drop(e);  // still no room: this one is lost too
      return true;
    }
    if constexpr (BatchClaimingQueue<Queue>) {
      Event* slot = queue_.try_claim(pending_);
      if (slot == nullptr) {
        flush();  // full: let the consumer see everything before waiting or dropping
        slot = queue_.try_claim(0);
        if (slot == nullptr && options_.full_queue == FullQueuePolicy::drop) {
          note_drop(e);
          return true;
        }
        if (slot == nullptr) {
          ++stats_.waits;
          idle_.reset();
          while ((slot = queue_.try_claim(0)) == nullptr) {
            if (stopping()) return false;
            idle_.idle();
          }
        }
      }
      copy_used(e, *slot);
      pending_slots_[pending_++] = slot;
      if (pending_ == kPublishBatch) flush();
      return true;
    } else {
      e.header.enqueue_tsc = options_.stamp_tsc ? tsc_now() : 0;
      if (queue_.try_enqueue(e)) return true;
      if (options_.full_queue == FullQueuePolicy::drop) {
        note_drop(e);
        return true;
      }
      ++stats_.waits;
      idle_.reset();
      while (!queue_.try_enqueue(e)) {
        if (stopping()) return false;
        idle_.idle();
      }
      return true;
    }
  }

  // The frame just rejected (its DecodeResult's subject) would have changed a book or the order
  // / balance stream: tells the core thread that stream missed an update (a `rejected` control,
  // handed over like any event), so it goes stale instead of looking right. A rejection of a
  // stateless stream (trades, tickers), of a chained one (its next update shows a gap) or of an
  // unreadable envelope sends nothing. False only when the run is stopping (waiting for room).
  bool report_rejected(const RejectedSubject& s) noexcept {
    const bool stateful = s.channel == Channel::book
                              ? s.instrument != kNoInstrument
                              : s.channel == Channel::orders || s.channel == Channel::assets;
    if (!stateful || s.chained) return true;
    Event& e = *scratch_;
    e.header.kind = EventKind::control;
    e.header.venue = s.venue;
    e.header.instrument = s.instrument;
    e.header.exchange_ns = 0;
    e.control = Control{};
    e.control.type = ControlType::rejected;
    e.control.channel = s.channel;
    return emit();
  }

  // Makes the emitted-but-unpublished events visible, stamping their hand-off time.
  void flush() noexcept {
    if constexpr (BatchClaimingQueue<Queue>) {
      if (pending_ == 0) return;
      const std::uint64_t now = options_.stamp_tsc ? tsc_now() : 0;
      for (std::size_t i = 0; i < pending_; ++i) pending_slots_[i]->header.enqueue_tsc = now;
      queue_.publish(pending_);
      pending_ = 0;
    }
  }

  // End of input: publishes everything and delivers outstanding drop notices, waiting for room
  // for them unless stopped. False when notices could not be delivered (stopped first).
  bool finish() noexcept {
    flush();
    idle_.reset();
    while (drops_pending_ && !flush_drop_notices()) {
      if (stopping()) return false;
      idle_.idle();
    }
    return true;
  }

  [[nodiscard]] const PublisherStats& stats() const noexcept { return stats_; }
  [[nodiscard]] bool drops_pending() const noexcept { return drops_pending_; }

 private:
  [[nodiscard]] bool stopping() const noexcept {
    return stop_ != nullptr && stop_->load(std::memory_order_relaxed);
  }

  // Copies the header and the live payload only: a trade is 128 of the 2112 bytes.
  static void copy_used(const Event& from, Event& to) noexcept {
    auto copy_prefix = [&](std::size_t bytes) {
      std::memcpy(static_cast<void*>(&to), &from, bytes);
    };
    switch (from.header.kind) {
      case EventKind::book: {
        const BookUpdate& b = from.book;
        copy_prefix(offsetof(Event, book) + offsetof(BookUpdate, bids));
        std::memcpy(static_cast<void*>(to.book.bids), b.bids, b.bid_count * sizeof(PriceLevel));
        std::memcpy(static_cast<void*>(to.book.asks), b.asks, b.ask_count * sizeof(PriceLevel));
        return;
      }
      case EventKind::trade: copy_prefix(offsetof(Event, trade) + sizeof(Trade)); return;
      case EventKind::ticker: copy_prefix(offsetof(Event, ticker) + sizeof(Ticker)); return;
      case EventKind::order: copy_prefix(offsetof(Event, order) + sizeof(OrderEvent)); return;
      case EventKind::asset: copy_prefix(offsetof(Event, asset) + sizeof(AssetEvent)); return;
      case EventKind::control: copy_prefix(offsetof(Event, control) + sizeof(Control)); return;
      case EventKind::none: copy_prefix(sizeof(EventHeader)); return;
    }
  }

  void note_drop(const Event& e) noexcept {
    ++stats_.dropped;
    ++dropped_since_notice_;
    drops_pending_ = true;
    switch (stream_touched(e)) {
      case Channel::book:
        if (e.header.instrument < dropped_books_.size()) dropped_books_.set(e.header.instrument);
        break;
      case Channel::orders: dropped_orders_ = true; break;
      case Channel::assets: dropped_assets_ = true; break;
      default: break;
    }
  }

  // The stream whose state `e` changes: a book, the order or the balance stream; for a lost
  // `rejected` notice the one it reported (that stream still missed an update). Trades,
  // tickers and venue controls change nothing that goes stale.
  [[nodiscard]] static Channel stream_touched(const Event& e) noexcept {
    switch (e.header.kind) {
      case EventKind::book: return Channel::book;
      case EventKind::order: return Channel::orders;
      case EventKind::asset: return Channel::assets;
      case EventKind::control:
        return e.control.type == ControlType::rejected ? e.control.channel : Channel::none;
      default: return Channel::none;
    }
  }

  // Sends one `dropped` control per affected stream. False while the queue is still full.
  bool flush_drop_notices() noexcept {
    // A plain scan: this runs only after losses, never per frame.
    for (std::size_t id = 0; dropped_books_.any() && id < dropped_books_.size(); ++id) {
      if (!dropped_books_.test(id)) continue;
      if (!send_notice(Channel::book, static_cast<InstrumentId>(id))) return false;
      dropped_books_.reset(id);
    }
    if (dropped_orders_) {
      if (!send_notice(Channel::orders, kNoInstrument)) return false;
      dropped_orders_ = false;
    }
    if (dropped_assets_) {
      if (!send_notice(Channel::assets, kNoInstrument)) return false;
      dropped_assets_ = false;
    }
    // Losses that made nothing stale (trades, tickers, control) are still reported, so the core
    // thread's count of dropped events matches the producer's.
    if (dropped_since_notice_ != 0 && !send_notice(Channel::none, kNoInstrument)) return false;
    drops_pending_ = false;
    return true;
  }

  bool send_notice(Channel channel, InstrumentId id) noexcept {
    Event notice;
    notice.header.kind = EventKind::control;
    notice.header.instrument = id;
    notice.header.connection = connection_;
    notice.header.receive_ns = receive_ns_;
    notice.control = Control{};
    notice.control.type = ControlType::dropped;
    notice.control.channel = channel;
    notice.control.error_code = static_cast<std::int64_t>(dropped_since_notice_);
    flush();  // notices go after everything handed over before them
    bool sent;
    if constexpr (ClaimingQueue<Queue>) {
      Event* slot = queue_.try_claim();
      sent = slot != nullptr;
      if (sent) {
        copy_used(notice, *slot);
        queue_.publish();
      }
    } else {
      sent = queue_.try_enqueue(notice);
    }
    if (sent) {
      ++stats_.drop_notices;
      dropped_since_notice_ = 0;  // each notice carries the losses since the previous one
    }
    return sent;
  }

  Queue& queue_;
  PublishOptions options_;
  const std::atomic<bool>* stop_;
  Idle idle_{};
  std::unique_ptr<Event> scratch_;  // decode target; the slot gets a copy of its used bytes
  PublisherStats stats_;
  std::int64_t receive_ns_ = 0;
  std::uint32_t connection_ = 0;
  std::size_t pending_ = 0;  // claimed, filled, not yet published
  Event* pending_slots_[kPublishBatch] = {};
  std::bitset<InstrumentRegistry::kCapacity> dropped_books_;
  std::uint64_t dropped_since_notice_ = 0;
  bool dropped_orders_ = false;
  bool dropped_assets_ = false;
  bool drops_pending_ = false;
};

}  // namespace mde
