// ReplayRuntime: the whole engine for recorded input, in one object an embedding program owns.
//
//   input thread k (pinned):  frame source k -> pace -> VenueDecoder -> EventPublisher -> queue k
//   core thread (pinned):     queues 0..n-1 -> Engine (books, orders, balances, trades) -> strategy
//
// One queue per input (each single-producer), one core thread polling all of them. The same
// engine, queues, decoders and publisher serve live connections; only the frame source differs.
//
//   MyStrategy strategy;
//   mde::ReplayRuntime<MyStrategy> rt(strategy, {"a.mdecap", "b.jsonl"});
//   mde::RunSummary summary = rt.run();   // blocks; rt.stop() from any thread ends it early
//   rt.engine().book(id) ...              // final state, after run() returned
//
// Threads and lifetimes: the constructor (setup) opens every input, allocates every queue, table
// and parser, and throws std::runtime_error naming the input and the reason when one cannot be
// opened. run() starts one thread per input plus the core thread, joins them and returns; the
// strategy's callbacks run on the core thread only, one at a time, with views valid for the call.
// The strategy object must outlive the runtime. stop() may be called from any thread (or a signal
// handler: it is one relaxed atomic store); run() then returns promptly with `interrupted` set.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "mde/book/core_loop.hpp"
#include "mde/book/engine.hpp"
#include "mde/core/clock.hpp"
#include "mde/core/event_queue.hpp"
#include "mde/core/idle_strategy.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/replay/replay_producer.hpp"
#include "mde/runtime/replay_input.hpp"
#include "mde/runtime/runtime_threads.hpp"

namespace mde {

// The default hand-off queue; see docs/PERFORMANCE.md ("Queue hop") for the measurement behind
// the choice.
using RuntimeQueue = EventQueue<Event>;

struct RunOptions {
  replay::ReplayOptions replay{};
  EngineOptions engine{};
  std::size_t queue_capacity = 4096;  // events per input queue (a power of two)
  std::vector<int> reader_cpus{0};    // input k pins to reader_cpus[k % size]; -1: do not pin
  int core_cpu = 1;                   // -1: do not pin
  bool busy_spin = false;             // core thread: pure busy-spin instead of spin-then-yield
};

struct RunSummary {
  std::int64_t elapsed_ns = 0;
  bool interrupted = false;           // stop() ended the run before every input was read
  std::vector<std::string> pin_failures;  // "core -> cpu 7: Invalid argument", reported, not fatal
};

template <class Strategy, class Queue = RuntimeQueue>
class ReplayRuntime {
 public:
  // Opens every input (native or text captures; see replay_input.hpp). Throws
  // std::runtime_error naming the input on failure. Setup: allocates.
  ReplayRuntime(Strategy& strategy, const std::vector<std::string>& paths, RunOptions options = {})
      : options_(options),
        tsc_(TscCalibration::measure()),
        engine_(std::make_unique<Engine<Strategy>>(strategy, with_measure(options), tsc_)) {
    for (const std::string& path : paths) add_input(open_replay_input(path));
  }

  // Adds an input that is already open (a custom frame source). Before run() only.
  void add_input(std::unique_ptr<ReplayInput> input) {
    auto queue = std::make_unique<Queue>(options_.queue_capacity);
    input->prepare(*registry_, *queue, options_.replay, tsc_,
                   replay::ConnectionMap(&next_connection_, kMaxConnections),
                   replay::ResyncPoller{&drain_resync_ring<Engine<Strategy>>, engine_.get()});
    queues_.push_back(std::move(queue));
    inputs_.push_back(std::move(input));
  }

  ReplayRuntime(const ReplayRuntime&) = delete;
  ReplayRuntime& operator=(const ReplayRuntime&) = delete;

  // Runs every input to its end (or until stop()) and joins the threads. Call once.
  RunSummary run() {
    RunSummary summary;
    std::vector<std::string> pin_failures(inputs_.size() + 1);
    std::atomic<int> producers_running{static_cast<int>(inputs_.size())};
    const std::int64_t started = now_ns();
    std::thread core([&] {
      name_and_pin_thread("mde-core", options_.core_cpu, pin_failures.back());
      run_core(producers_running);
    });
    std::vector<std::thread> readers;
    readers.reserve(inputs_.size());
    for (std::size_t k = 0; k < inputs_.size(); ++k) {
      readers.emplace_back([&, k] {
        const int cpu = options_.reader_cpus.empty()
                            ? -1
                            : options_.reader_cpus[k % options_.reader_cpus.size()];
        name_and_pin_thread("mde-input", cpu, pin_failures[k]);
        inputs_[k]->run(stop_);
        producers_running.fetch_sub(1, std::memory_order_release);
      });
    }
    for (std::thread& t : readers) t.join();
    core.join();
    summary.elapsed_ns = now_ns() - started;
    summary.interrupted = stop_.load(std::memory_order_relaxed);
    for (std::string& f : pin_failures) {
      if (!f.empty()) summary.pin_failures.push_back(std::move(f));
    }
    return summary;
  }

  // Ends run() early: inputs stop reading, the core thread drains what was handed over.
  void stop() noexcept { stop_.store(true, std::memory_order_relaxed); }

  [[nodiscard]] const Engine<Strategy>& engine() const noexcept { return *engine_; }
  [[nodiscard]] const InstrumentRegistry& registry() const noexcept { return *registry_; }
  [[nodiscard]] std::size_t input_count() const noexcept { return inputs_.size(); }
  [[nodiscard]] const ReplayInput& input(std::size_t k) const noexcept { return *inputs_[k]; }

 private:
  static EngineOptions with_measure(const RunOptions& o) noexcept {
    EngineOptions e = o.engine;
    e.measure_stages = e.measure_stages || o.replay.measure;
    return e;
  }

  void run_core(const std::atomic<int>& producers_running) noexcept {
    // A paced replay waits most of the time: give the core back.
    const CoreIdle how = options_.busy_spin ? CoreIdle::busy_spin
                         : options_.replay.pace.mode == replay::PaceMode::recorded
                             ? CoreIdle::backoff
                             : CoreIdle::spin_then_yield;
    run_core_thread(*engine_, queues_, producers_running, how);
  }

  RunOptions options_;
  TscCalibration tsc_;
  std::unique_ptr<InstrumentRegistry> registry_ = std::make_unique<InstrumentRegistry>();
  std::unique_ptr<Engine<Strategy>> engine_;
  std::vector<std::unique_ptr<Queue>> queues_;
  std::vector<std::unique_ptr<ReplayInput>> inputs_;
  std::atomic<std::uint32_t> next_connection_{0};
  std::atomic<bool> stop_{false};
};

}  // namespace mde
