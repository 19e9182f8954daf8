// ReplayProducer: the reader side of a replay. It walks a frame source (a native capture, a text
// capture stream), paces it (as fast as possible, at the recorded pace, or N times that), decodes
// every frame with a FrameDecoder and hands the events over through the shared EventPublisher:
// exactly what a live connection's I/O thread does, so a strategy cannot tell replay from live
// except by the clock.
//
// Connections: the ids a capture recorded are mapped to engine connection ids through a
// ConnectionMap, so two captures that both say "connection 0" feed two different connections of
// one engine (stream state is per connection).
//
// Thread: the producer thread owns it (one per input). The constructor allocates (stats,
// scratch); run() never allocates, locks or throws.
#pragma once

#include <array>
#include <atomic>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string_view>

#include "mde/core/clock.hpp"
#include "mde/core/events.hpp"
#include "mde/core/idle_strategy.hpp"
#include "mde/core/latency_histogram.hpp"
#include "mde/feeds/capture/capture_format.hpp"
#include "mde/feeds/capture/connection_marker.hpp"
#include "mde/feeds/decode_status.hpp"
#include "mde/feeds/event_sink.hpp"
#include "mde/feeds/publish/event_publisher.hpp"

namespace mde::replay {

enum class PaceMode : std::uint8_t { max, recorded };

struct Pace {
  PaceMode mode = PaceMode::max;
  double speed = 1.0;  // recorded pace x speed ("10x" = ten times faster); a rate, not a price
};

// "max", "recorded", or "<N>x" (e.g. "10x", "0.5x"). nullopt for anything else.
[[nodiscard]] std::optional<Pace> parse_pace(std::string_view text) noexcept;

using mde::FullQueuePolicy;

struct ReplayOptions {
  Pace pace{};
  FullQueuePolicy full_queue = FullQueuePolicy::backpressure;
  bool measure = false;  // decode-time histogram and hand-off TSC stamps
};

// Anything that yields capture records one by one: CaptureReader (native), a text stream.
template <class S>
concept FrameSource = requires(S& source, capture::CaptureRecord& record) {
  { source.next(record) } -> std::same_as<bool>;
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
  std::uint64_t data = 0;       // decoded market/account events handed over
  std::uint64_t control = 0;    // decoded control events handed over
  std::uint64_t rejected = 0;   // frames rejected by the decoder
  std::uint64_t dropped = 0;    // events lost to a full queue (drop policy only)
  std::uint64_t drop_notices = 0;
  std::uint64_t resync_requests = 0;  // books the core asked this input to resync (replay records)
  std::uint64_t connections_refused = 0;  // records from connections beyond the map's capacity
  std::array<std::uint64_t, kDecodeStatusCount> rejected_by_reason{};
  std::array<RejectionSample, 16> first_rejections{};
  std::size_t rejection_samples = 0;
  LatencyHistogram decode;      // ns per decode incl. the hand-off copy (measure only)
  std::int64_t started_ns = 0;  // monotonic
  std::int64_t finished_ns = 0;
};

// Maps the connection ids one input recorded to engine-wide connection ids. Engine ids are handed
// out from a counter shared by every input of a run (first sighting only: a relaxed fetch_add,
// never per frame after that), so inputs never share a connection and each engine connection has
// exactly one producer.
class ConnectionMap {
 public:
  static constexpr std::size_t kCapacity = 32;  // distinct connections per input

  // `limit`: engine connection ids at or above it are refused (the engine's table size).
  explicit ConnectionMap(std::atomic<std::uint32_t>* shared_next = nullptr,
                         std::uint32_t limit = 0xFFFFFFFF) noexcept
      : next_(shared_next), limit_(limit) {}

  // The engine connection for `recorded`; nullopt when this input already has kCapacity others
  // or the run has handed out every engine connection.
  [[nodiscard]] std::optional<std::uint32_t> map(std::uint32_t recorded) noexcept {
    if (last_ < count_ && from_[last_] == recorded) return to_[last_];
    for (std::size_t i = 0; i < count_; ++i) {
      if (from_[i] == recorded) return to_[last_ = i];
    }
    if (count_ == kCapacity) return std::nullopt;
    // One input alone keeps its recorded ids; several inputs get ids from the shared counter.
    const std::uint32_t id =
        next_ == nullptr ? recorded : next_->fetch_add(1, std::memory_order_relaxed);
    if (id >= limit_) return std::nullopt;
    from_[count_] = recorded;
    to_[count_] = id;
    last_ = count_;
    return to_[count_++];
  }
  [[nodiscard]] std::size_t size() const noexcept { return count_; }
  [[nodiscard]] std::uint32_t engine_connection(std::size_t i) const noexcept { return to_[i]; }

 private:
  std::atomic<std::uint32_t>* next_;
  std::uint32_t limit_;
  std::array<std::uint32_t, kCapacity> from_{};
  std::array<std::uint32_t, kCapacity> to_{};
  std::size_t count_ = 0;
  std::size_t last_ = 0;
};

// How an input hears that the core thread wants a book resynced: the runtime (which knows the
// engine) hands the producer a poller that drains the requests of one engine connection and says
// how many there were. feeds/ knows no engine, hence a function pointer: called once per
// kResyncPollFrames frames and at the end, never per frame. A replay can only record requests (a
// capture cannot be resubscribed); a live session answers them by resubscribing.
struct ResyncPoller {
  std::size_t (*drain)(void* context, std::uint32_t connection) noexcept = nullptr;
  void* context = nullptr;
};

template <FrameSource Source, class Decoder, class Queue, IdleStrategy Idle = SpinThenYieldIdle<>>
class ReplayProducer {
  static constexpr std::uint64_t kResyncPollFrames = 64;

 public:
  ReplayProducer(Source& source, Decoder& decoder, Queue& queue, ReplayOptions options,
                 TscCalibration calibration, ConnectionMap connections = ConnectionMap{},
                 ResyncPoller resync = {})
      : source_(source),
        decoder_(decoder),
        options_(options),
        tsc_(calibration),
        stats_(std::make_unique<ProducerStats>()),
        publisher_(queue, PublishOptions{options.full_queue, options.measure}),
        connections_(connections),
        resync_(resync) {}

  // Runs to the end of the source (or until `stop`). Call from the producer thread.
  void run(const std::atomic<bool>& stop) noexcept {
    stop_ = &stop;
    publisher_.set_stop(&stop);
    ProducerStats& s = *stats_;
    s.started_ns = now_ns();
    capture::CaptureRecord rec;
    std::int64_t first_receive_ns = -1;
    while (!stopping() && source_.next(rec)) {
      ++s.frames;
      s.bytes += rec.frame.size;
      if (options_.pace.mode == PaceMode::recorded && rec.receive_ns > 0) {
        if (first_receive_ns < 0) first_receive_ns = rec.receive_ns;
        publisher_.flush();  // nothing may sit unpublished while the producer waits
        wait_until(s.started_ns, rec.receive_ns - first_receive_ns);
      }
      if (!handle(rec)) break;
      if (s.frames % kResyncPollFrames == 0) poll_resync();
    }
    (void)publisher_.finish();
    poll_resync();
    collect();
    s.finished_ns = now_ns();
  }

  [[nodiscard]] const ProducerStats& stats() const noexcept { return *stats_; }
  [[nodiscard]] const ConnectionMap& connections() const noexcept { return connections_; }

 private:
  // Decodes one record and hands its events over. False only when stopped while waiting.
  bool handle(const capture::CaptureRecord& rec) noexcept {
    ProducerStats& s = *stats_;
    const auto connection = connections_.map(rec.connection);
    if (!connection) {
      ++s.connections_refused;
      return true;
    }
    publisher_.begin_frame(rec.receive_ns, *connection);
    if (capture::is_marker(rec.frame.text()) &&
        capture::parse_disconnected_marker(rec.frame.text(), rec.venue, publisher_.event())) {
      --s.frames;  // a live connection lost (connection_marker.hpp): not a frame
      s.bytes -= rec.frame.size;
      (void)publisher_.emit();
      return !stopping();
    }
    const std::uint64_t t0 = options_.measure ? tsc_now() : 0;
    DecodeResult r;
    if constexpr (requires { decoder_.decode(rec.frame, publisher_, rec.venue); }) {
      r = decoder_.decode(rec.frame, publisher_, rec.venue);
    } else {
      r = decoder_.decode(rec.frame, publisher_);
    }
    if (options_.measure) s.decode.record(tsc_.elapsed_ns(t0, tsc_now()));
    if (!r.ok()) {
      ++s.rejected;
      ++s.rejected_by_reason[static_cast<std::size_t>(r.status)];
      if (s.rejection_samples < s.first_rejections.size()) {
        s.first_rejections[s.rejection_samples++] = {s.frames - 1, r};
      }
      (void)publisher_.report_rejected(r.subject);  // the book or stream it was for goes stale
    }
    return !stopping();
  }

  void poll_resync() noexcept {
    if (resync_.drain == nullptr) return;
    for (std::size_t i = 0; i < connections_.size(); ++i) {
      stats_->resync_requests += resync_.drain(resync_.context, connections_.engine_connection(i));
    }
  }

  void collect() noexcept {
    const PublisherStats& p = publisher_.stats();
    ProducerStats& s = *stats_;
    s.data = p.data;
    s.control = p.control;
    s.dropped = p.dropped;
    s.drop_notices = p.drop_notices;
  }

  [[nodiscard]] bool stopping() const noexcept {
    return stop_ != nullptr && stop_->load(std::memory_order_relaxed);
  }

  // Recorded pace: the record at `offset_ns` into the capture is released at started + offset /
  // speed. Long waits sleep (one timed sleep up to shortly before the target, re-checking the stop
  // flag at least every 50 ms); only the last ~50 us spin, so a slow replay does not burn a core.
  void wait_until(std::int64_t started_ns, std::int64_t offset_ns) noexcept {
    constexpr std::int64_t kSpinWindowNs = 50'000;
    constexpr std::int64_t kMaxSleepNs = 50'000'000;
    const auto target =
        started_ns + static_cast<std::int64_t>(static_cast<double>(offset_ns) / options_.pace.speed);
    for (std::int64_t now = now_ns(); now < target && !stopping(); now = now_ns()) {
      const std::int64_t left = target - now;
      if (left > kSpinWindowNs) {
        const std::int64_t sleep = left - kSpinWindowNs < kMaxSleepNs ? left - kSpinWindowNs
                                                                      : kMaxSleepNs;
        const timespec step{static_cast<time_t>(sleep / 1'000'000'000),
                            static_cast<long>(sleep % 1'000'000'000)};
        nanosleep(&step, nullptr);
      } else {
        cpu_relax();
      }
    }
  }

  Source& source_;
  Decoder& decoder_;
  ReplayOptions options_;
  TscCalibration tsc_;
  std::unique_ptr<ProducerStats> stats_;
  const std::atomic<bool>* stop_ = nullptr;
  EventPublisher<Queue, Idle> publisher_;
  ConnectionMap connections_;
  ResyncPoller resync_;
};

}  // namespace mde::replay
