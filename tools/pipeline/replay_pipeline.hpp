// ReplayPipeline: the full two-thread path for one capture.
//
//   reader thread (pinned):  CaptureReader -> pace -> coinone::Decoder -> queue hand-off
//   core thread (pinned):    queue -> Engine (books, orders, balances, trades) -> strategy
//
// The same engine, queue and decoder serve live connections; only the frame source differs.
// Setup (constructor, run()'s thread creation) allocates; the threads' loops do not.
#pragma once

#include <atomic>
#include <memory>
#include <span>
#include <thread>

#include "mde/book/core_loop.hpp"
#include "mde/book/engine.hpp"
#include "mde/core/clock.hpp"
#include "mde/core/cpu_affinity.hpp"
#include "mde/core/event_queue.hpp"
#include "mde/core/idle_strategy.hpp"
#include "mde/core/spsc_ring.hpp"
#include "mde/feeds/capture/capture_reader.hpp"
#include "mde/feeds/coinone/decoder.hpp"
#include "mde/feeds/replay/replay_producer.hpp"

namespace mde::tools {

// The default hand-off queue; see docs/PERFORMANCE.md ("Queue hop") for the measurement behind
// the choice.
using ReplayQueue = EventQueue<Event>;

struct PipelineOptions {
  replay::ReplayOptions replay{};
  EngineOptions engine{};
  std::size_t queue_capacity = 4096;  // events; rounded up to a power of two by the queue
  int reader_cpu = 0;                 // -1: do not pin
  int core_cpu = 1;
  bool busy_spin = false;  // core thread: pure busy-spin instead of spin-then-yield
};

template <class Strategy, class Queue = ReplayQueue>
class ReplayPipeline {
 public:
  ReplayPipeline(capture::CaptureReader& reader, InstrumentRegistry& registry, Strategy& strategy,
                 PipelineOptions options)
      : options_(options),
        tsc_(TscCalibration::measure()),
        decoder_(registry, {.add_unknown_instruments = true}),  // reader thread: sole writer
        queue_(std::make_unique<Queue>(options.queue_capacity)),
        engine_(std::make_unique<Engine<Strategy>>(strategy, with_measure(options), tsc_)),
        producer_(reader, decoder_, *queue_, options.replay, tsc_) {}

  // Runs the capture to its end on two threads and joins them. Call once.
  void run() {
    std::atomic<int> producers_running{1};
    std::atomic<bool> stop{false};
    started_ns_ = now_ns();
    std::thread core([&] {
      if (options_.core_cpu >= 0) (void)pin_current_thread(options_.core_cpu);
      (void)name_current_thread("mde-core");
      Queue* queues[] = {queue_.get()};
      if (options_.busy_spin) {
        BusySpinIdle idle;
        run_core_loop(*engine_, std::span<Queue* const>(queues), producers_running, idle);
      } else {
        SpinThenYieldIdle<> idle;
        run_core_loop(*engine_, std::span<Queue* const>(queues), producers_running, idle);
      }
    });
    std::thread reader([&] {
      if (options_.reader_cpu >= 0) (void)pin_current_thread(options_.reader_cpu);
      (void)name_current_thread("mde-replay");
      producer_.run(stop);
      producers_running.fetch_sub(1, std::memory_order_release);
    });
    reader.join();
    core.join();
    finished_ns_ = now_ns();
  }

  [[nodiscard]] const Engine<Strategy>& engine() const noexcept { return *engine_; }
  [[nodiscard]] const replay::ProducerStats& producer() const noexcept { return producer_.stats(); }
  [[nodiscard]] std::int64_t elapsed_ns() const noexcept { return finished_ns_ - started_ns_; }

 private:
  static EngineOptions with_measure(const PipelineOptions& o) noexcept {
    EngineOptions e = o.engine;
    e.measure_stages = e.measure_stages || o.replay.measure;
    return e;
  }

  PipelineOptions options_;
  TscCalibration tsc_;
  coinone::Decoder decoder_;
  std::unique_ptr<Queue> queue_;
  std::unique_ptr<Engine<Strategy>> engine_;
  replay::ReplayProducer<Queue> producer_;
  std::int64_t started_ns_ = 0;
  std::int64_t finished_ns_ = 0;
};

}  // namespace mde::tools
