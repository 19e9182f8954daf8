// ReplayProducer: the reader side of a replay. It walks a capture, paces it (as fast as possible,
// at the recorded pace, or N times that), decodes every frame and hands the events to the core
// thread's queue: exactly what a live connection's I/O thread does, so a strategy cannot tell
// replay from live except by the clock.
//
// A full queue never loses data silently. The default policy back-pressures: the producer waits
// for space. The opt-in drop policy counts every dropped event and, as soon as there is room,
// sends a `dropped` control event per affected book / order stream / balance stream so the core
// thread marks them stale.
//
// Thread: the producer thread owns it (one per capture). The constructor allocates (stats);
// run() never allocates, locks or throws. Queues that support in-place claims (try_claim /
// publish) are decoded into directly, so only the bytes an event uses are written.
#pragma once

#include <array>
#include <atomic>
#include <bitset>
#include <concepts>
#include <cstdint>
#include <cstddef>
#include <cstring>
#include <ctime>
#include <memory>
#include <optional>
#include <string_view>

#include "mde/core/clock.hpp"
#include "mde/core/event_queue.hpp"
#include "mde/core/events.hpp"
#include "mde/core/idle_strategy.hpp"
#include "mde/core/instrument.hpp"
#include "mde/core/latency_histogram.hpp"
#include "mde/feeds/capture/capture_reader.hpp"
#include "mde/feeds/coinone/decoder.hpp"
#include "mde/feeds/decode_status.hpp"

namespace mde::replay {

enum class PaceMode : std::uint8_t { max, recorded };

struct Pace {
  PaceMode mode = PaceMode::max;
  double speed = 1.0;  // recorded pace x speed ("10x" = ten times faster); a rate, not a price
};

// "max", "recorded", or "<N>x" (e.g. "10x", "0.5x"). nullopt for anything else.
[[nodiscard]] std::optional<Pace> parse_pace(std::string_view text) noexcept;

enum class FullQueuePolicy : std::uint8_t { backpressure, drop };

struct ReplayOptions {
  Pace pace{};
  FullQueuePolicy full_queue = FullQueuePolicy::backpressure;
  bool measure = false;  // decode-time histogram and hand-off TSC stamps
};

struct RejectionSample {
  std::uint64_t record_index;
  DecodeResult result;
};

// Written on every frame by the producer thread; aligned to two cache lines so that no heap
// neighbour the core thread writes can share a line with it.
struct alignas(128) ProducerStats {
  std::uint64_t frames = 0;     // records read
  std::uint64_t bytes = 0;      // frame bytes read
  std::uint64_t data = 0;       // decoded market/account events
  std::uint64_t control = 0;    // decoded control frames
  std::uint64_t rejected = 0;
  std::uint64_t dropped = 0;    // events lost to a full queue (drop policy only)
  std::uint64_t drop_notices = 0;
  std::array<std::uint64_t, kDecodeStatusCount> rejected_by_reason{};
  std::array<RejectionSample, 16> first_rejections{};
  std::size_t rejection_samples = 0;
  LatencyHistogram decode;      // ns per decode (measure only)
  std::int64_t started_ns = 0;  // monotonic
  std::int64_t finished_ns = 0;
};

// A queue whose producer can fill several claimed slots and publish them at once (SpscRing).
template <class Q>
concept BatchClaimingQueue = requires(Q& q, std::size_t n) {
  { q.try_claim(n) } -> std::same_as<typename Q::value_type*>;
  q.publish(n);
};

template <class Queue, IdleStrategy Idle = SpinThenYieldIdle<>>
class ReplayProducer {
  // Events published per tail update at most. Publishing is also forced before any wait (pacing,
  // a full queue) and at the end, so batching never holds an event back while the producer is
  // idle; it only amortises the tail's cache-line transfer while the producer is running ahead.
  static constexpr std::size_t kPublishBatch = 16;

 public:
  ReplayProducer(capture::CaptureReader& reader, coinone::Decoder& decoder, Queue& queue,
                 ReplayOptions options, TscCalibration calibration)
      : reader_(reader),
        decoder_(decoder),
        queue_(queue),
        options_(options),
        tsc_(calibration),
        stats_(std::make_unique<ProducerStats>()),
        scratch_(std::make_unique<Event>()) {}

  // Runs to the end of the capture (or until `stop`). Call from the producer thread.
  void run(const std::atomic<bool>& stop) noexcept {
    ProducerStats& s = *stats_;
    s.started_ns = now_ns();
    capture::CaptureRecord rec;
    std::int64_t first_receive_ns = -1;
    while (!stop.load(std::memory_order_relaxed) && reader_.next(rec)) {
      ++s.frames;
      s.bytes += rec.frame.size;
      if (options_.pace.mode == PaceMode::recorded && rec.receive_ns > 0) {
        if (first_receive_ns < 0) first_receive_ns = rec.receive_ns;
        publish_pending();  // nothing may sit unpublished while the producer waits
        wait_until(s.started_ns, rec.receive_ns - first_receive_ns, stop);
      }
      if (!handle(rec, stop)) break;
    }
    publish_pending();
    // Losses at the very end must still reach the core thread: wait for room for the notices.
    idle_.reset();
    while (drops_pending_ && !flush_drop_notices() && !stop.load(std::memory_order_relaxed)) {
      idle_.idle();
    }
    s.finished_ns = now_ns();
  }

  [[nodiscard]] const ProducerStats& stats() const noexcept { return *stats_; }

 private:
  // Decodes one record and hands it over. False only when stopped while waiting for space.
  bool handle(const capture::CaptureRecord& rec, const std::atomic<bool>& stop) noexcept {
    if (options_.full_queue == FullQueuePolicy::drop && drops_pending_ && !flush_drop_notices()) {
      return drop_after_decode(rec);  // still no room: this one is lost too
    }
    if constexpr (BatchClaimingQueue<Queue>) {
      Event* slot = queue_.try_claim(pending_);
      if (slot == nullptr) {
        publish_pending();  // full: let the consumer see everything before waiting or dropping
        slot = queue_.try_claim(0);
        if (slot == nullptr && options_.full_queue == FullQueuePolicy::drop) {
          return drop_after_decode(rec);
        }
        idle_.reset();
        while (slot == nullptr) {
          if (stop.load(std::memory_order_relaxed)) return false;
          idle_.idle();
          slot = queue_.try_claim(0);
        }
      }
      // Decode into the producer's own (L1-hot) scratch event, then copy only the bytes the
      // event uses into the slot: the slot's cache lines were last read by the consumer's core,
      // and one sequential copy fetches them far faster than the decoder's scattered writes.
      if (!decode(rec, *scratch_)) return true;
      copy_used(*scratch_, *slot);
      pending_slots_[pending_++] = slot;
      if (pending_ == kPublishBatch) publish_pending();
      return true;
    } else {
      Event& event = *scratch_;
      if (!decode(rec, event)) return true;
      stamp(event);
      if (options_.full_queue == FullQueuePolicy::backpressure) {
        idle_.reset();
        while (!queue_.try_enqueue(event)) {
          if (stop.load(std::memory_order_relaxed)) return false;
          idle_.idle();
        }
        return true;
      }
      if (!queue_.try_enqueue(event)) note_drop(event);
      return true;
    }
  }

  // Copies the header and the live payload only: a trade is 104 of the 2112 bytes, so it moves
  // 2 cache lines to the consumer's core instead of 33.
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

  // Makes the decoded-but-unpublished events visible, stamping their hand-off time.
  void publish_pending() noexcept {
    if constexpr (BatchClaimingQueue<Queue>) {
      if (pending_ == 0) return;
      const std::uint64_t now = options_.measure ? tsc_now() : 0;
      for (std::size_t i = 0; i < pending_; ++i) pending_slots_[i]->header.enqueue_tsc = now;
      queue_.publish(pending_);
      pending_ = 0;
    }
  }

  bool decode(const capture::CaptureRecord& rec, Event& out) noexcept {
    ProducerStats& s = *stats_;
    const std::uint64_t t0 = options_.measure ? tsc_now() : 0;
    const DecodeResult r = decoder_.decode(rec.frame, out);
    if (options_.measure) s.decode.record(tsc_.elapsed_ns(t0, tsc_now()));
    if (!r.ok()) {
      ++s.rejected;
      ++s.rejected_by_reason[static_cast<std::size_t>(r.status)];
      if (s.rejection_samples < s.first_rejections.size()) {
        s.first_rejections[s.rejection_samples++] = {reader_.records_read() - 1, r};
      }
      return false;
    }
    if (out.header.kind == EventKind::control) ++s.control;
    else ++s.data;
    out.header.receive_ns = rec.receive_ns;
    out.header.connection = rec.connection;
    return true;
  }

  void stamp(Event& e) noexcept { e.header.enqueue_tsc = options_.measure ? tsc_now() : 0; }

  // Drop policy, queue full: decode anyway (to know what the loss touches), then count it.
  bool drop_after_decode(const capture::CaptureRecord& rec) noexcept {
    if (decode(rec, *scratch_)) note_drop(*scratch_);
    return true;
  }

  void note_drop(const Event& e) noexcept {
    ++stats_->dropped;
    ++dropped_since_notice_;
    drops_pending_ = true;
    switch (e.header.kind) {
      case EventKind::book:
        if (e.header.instrument < dropped_books_.size()) dropped_books_.set(e.header.instrument);
        break;
      case EventKind::order: dropped_orders_ = true; break;
      case EventKind::asset: dropped_assets_ = true; break;
      default: break;  // trades, tickers, control: nothing downstream goes stale
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
    Event& e = *scratch_;
    e.header = EventHeader{};
    e.header.kind = EventKind::control;
    e.header.instrument = id;
    e.control = Control{};
    e.control.type = ControlType::dropped;
    e.control.channel = channel;
    e.control.error_code = static_cast<std::int64_t>(dropped_since_notice_);
    publish_pending();  // notices go after everything decoded before them
    bool sent;
    if constexpr (ClaimingQueue<Queue>) {
      Event* slot = queue_.try_claim();
      sent = slot != nullptr;
      if (sent) {
        *slot = e;
        queue_.publish();
      }
    } else {
      sent = queue_.try_enqueue(e);
    }
    if (sent) {
      ++stats_->drop_notices;
      dropped_since_notice_ = 0;  // each notice carries the losses since the previous one
    }
    return sent;
  }

  // Recorded pace: the record at `offset_ns` into the capture is released at started + offset /
  // speed. Sleeps in short steps while far ahead, spins for the last stretch.
  void wait_until(std::int64_t started_ns, std::int64_t offset_ns,
                  const std::atomic<bool>& stop) noexcept {
    const auto target =
        started_ns + static_cast<std::int64_t>(static_cast<double>(offset_ns) / options_.pace.speed);
    for (std::int64_t now = now_ns(); now < target && !stop.load(std::memory_order_relaxed);
         now = now_ns()) {
      if (target - now > 200'000) {
        const timespec step{0, 100'000};
        nanosleep(&step, nullptr);
      } else {
        cpu_relax();
      }
    }
  }

  capture::CaptureReader& reader_;
  coinone::Decoder& decoder_;
  Queue& queue_;
  ReplayOptions options_;
  TscCalibration tsc_;
  Idle idle_{};
  std::unique_ptr<ProducerStats> stats_;
  std::unique_ptr<Event> scratch_;  // decode target for copying queues and for dropped events
  std::bitset<InstrumentRegistry::kCapacity> dropped_books_;
  std::uint64_t dropped_since_notice_ = 0;
  bool dropped_orders_ = false;
  bool dropped_assets_ = false;
  bool drops_pending_ = false;
  std::size_t pending_ = 0;  // claimed, decoded, not yet published
  Event* pending_slots_[kPublishBatch] = {};
};

}  // namespace mde::replay
