// LiveRuntime: the whole engine on live connections, the counterpart of ReplayRuntime.
//
//   I/O thread t (pinned): its own io_context running the sessions given to it: TLS WebSocket ->
//                          VenueDecoder -> EventPublisher -> queue k (one SPSC queue per session)
//   core thread (pinned): queues 0..n-1 -> Engine (books, orders, balances, trades) -> strategy
//   writer thread (with record_path): the I/O thread's capture ring -> native capture file
//
//   MyStrategy strategy;
//   mde::LiveRuntime<MyStrategy> rt(strategy);
//   rt.add_session({.endpoint = mde::live::parse_wss_url(url), .subscriptions = {...}});
//   rt.start();     // returns; the threads run until stop()
//   ...
//   rt.stop();      // sessions close, threads join; then rt.engine() may be read
//
// Threads and lifetimes: add_session() (setup, before start()) allocates the session's queue,
// TLS context and decoder, gives it the next connection id and throws std::runtime_error on a bad
// option. The strategy's callbacks run on the core thread only. stop() may be called from any
// thread except the two it joins; the destructor calls it. engine() is safe to read only after
// stop() returned (or from the strategy's callbacks). `io_cpus` makes one I/O thread per entry
// (its CPU, -1 unpinned); add_session(options, t) puts a session on thread t. Sessions on one
// thread share it: a session whose queue is full (back-pressure) holds up the others on that
// thread, so give a busy connection a thread of its own.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <latch>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "mde/book/core_loop.hpp"
#include "mde/book/engine.hpp"
#include "mde/core/clock.hpp"
#include "mde/core/idle_strategy.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/capture/frame_recorder.hpp"
#include "mde/feeds/live/session.hpp"
#include "mde/runtime/runtime_threads.hpp"

namespace mde {

struct LiveRunOptions {
  EngineOptions engine{};
  std::size_t queue_capacity = 4096;  // events per session queue (a power of two)
  std::vector<int> io_cpus{-1};       // one I/O thread per entry: its CPU (-1: do not pin)
  int core_cpu = -1;                  // -1: do not pin
  bool busy_spin = false;             // core thread: pure busy-spin instead of spin-then-yield
  // Live capture: every inbound frame of every session, with its receive time, venue and
  // connection, into this native capture file from a writer thread of its own (empty: none).
  std::string record_path{};
  std::size_t record_ring_bytes = std::size_t{64} << 20;  // the I/O thread's ring (power of two)
};

template <class Strategy>
class LiveRuntime {
 public:
  using Queue = live::SessionQueue;

  LiveRuntime(Strategy& strategy, LiveRunOptions options = {})
      : options_(options),
        tsc_(TscCalibration::measure()),
        engine_(std::make_unique<Engine<Strategy>>(strategy, options.engine, tsc_)) {
    if (!options_.record_path.empty()) {  // one ring per I/O thread (each ring is SPSC)
      recorder_ = std::make_unique<capture::FrameRecorder>(
          options_.record_path, capture::RecorderOptions{.ring_bytes = options_.record_ring_bytes,
                                                         .rings = options_.io_cpus.size()});
    }
  }

  LiveRuntime(const LiveRuntime&) = delete;
  LiveRuntime& operator=(const LiveRuntime&) = delete;
  ~LiveRuntime() { stop(); }

  // Adds a session on I/O thread `io_thread` (before start()); its connection id is assigned
  // here and returned.
  std::uint32_t add_session(live::SessionOptions session, std::size_t io_thread = 0) {
    if (started_) throw std::runtime_error("LiveRuntime: add_session after start");
    if (io_thread >= io_.size()) {
      throw std::runtime_error("LiveRuntime: I/O thread " + std::to_string(io_thread) +
                               " does not exist (io_cpus has " + std::to_string(io_.size()) +
                               " entries)");
    }
    if (sessions_.size() >= kMaxConnections) throw std::runtime_error("LiveRuntime: too many sessions");
    session.connection = static_cast<std::uint32_t>(sessions_.size());
    session.resync = {&take_resync_requests<Engine<Strategy>>, engine_.get()};
    if (recorder_) session.recorder = &recorder_->ring(io_thread);
    queues_.push_back(std::make_unique<Queue>(options_.queue_capacity));
    sessions_.push_back(std::make_unique<live::LiveSession>(io_[io_thread]->context, *queues_.back(),
                                                            *registry_, std::move(session)));
    return sessions_.back()->options().connection;
  }

  // Starts the I/O and core threads; the sessions connect. Returns once every thread has been
  // pinned (or failed to be), so pin_failures() is complete from then on. Call once.
  void start() {
    if (started_) return;
    started_ = true;
    producers_running_.store(static_cast<int>(io_.size()), std::memory_order_relaxed);
    if (recorder_) recorder_->start();
    for (auto& s : sessions_) s->start();
    pinned_ = std::make_unique<std::latch>(static_cast<std::ptrdiff_t>(io_.size() + 1));
    core_ = std::thread([this] {
      name_and_pin_thread("mde-core", options_.core_cpu, core_pin_failure_);
      pinned_->count_down();
      run_core();
    });
    for (std::size_t t = 0; t < io_.size(); ++t) {
      io_[t]->thread = std::thread([this, t] {
        IoThread& io = *io_[t];
        const std::string name = t == 0 ? std::string("mde-io") : "mde-io" + std::to_string(t);
        name_and_pin_thread(name.c_str(), options_.io_cpus[t], io.pin_failure);
        pinned_->count_down();
        io.context.run();
        producers_running_.fetch_sub(1, std::memory_order_release);
      });
    }
    pinned_->wait();  // the pin_failure strings are written before count_down: safe to read now
  }

  // Closes the sessions (each says goodbye with a WebSocket close, waited for at most its
  // close_timeout), ends both threads and joins them; the core thread drains its queues first.
  // Loses nothing already read: an I/O thread waiting for queue room (back-pressure) hands its
  // frame's events over before it ends, since the core thread keeps draining until every I/O
  // thread has ended. Idempotent. Blocks (teardown).
  void stop() {
    if (!started_ || stopped_) return;
    stopped_ = true;
    for (auto& s : sessions_) s->stop();
    wait_for_goodbyes();
    for (auto& io : io_) {
      io->work.reset();
      io->context.stop();
    }
    for (auto& io : io_) io->thread.join();
    core_.join();
    if (recorder_) recorder_->stop();  // after the I/O thread: every recorded frame is written
  }

  [[nodiscard]] const Engine<Strategy>& engine() const noexcept { return *engine_; }
  [[nodiscard]] const InstrumentRegistry& registry() const noexcept { return *registry_; }
  // The live capture (null without record_path): stats() from any thread, the file complete
  // after stop().
  [[nodiscard]] const capture::FrameRecorder* recorder() const noexcept { return recorder_.get(); }
  [[nodiscard]] std::size_t session_count() const noexcept { return sessions_.size(); }
  [[nodiscard]] const live::LiveSession& session(std::size_t k) const noexcept {
    return *sessions_[k];
  }
  // "io thread -> cpu 7: Invalid argument"; empty when pinning worked or was not asked for.
  // Complete once start() has returned.
  [[nodiscard]] std::vector<std::string> pin_failures() const {
    std::vector<std::string> out;
    for (const auto& io : io_) {
      if (!io->pin_failure.empty()) out.push_back(io->pin_failure);
    }
    if (!core_pin_failure_.empty()) out.push_back(core_pin_failure_);
    return out;
  }

 private:
  // Until every session's close handshake ended (its stop_finished()), bounded by the longest
  // close_timeout plus a margin: an I/O thread that cannot get to it is stopped anyway.
  void wait_for_goodbyes() {
    std::chrono::milliseconds longest{0};
    for (const auto& s : sessions_) longest = std::max(longest, s->options().timers.close_timeout);
    const auto deadline = std::chrono::steady_clock::now() + longest + std::chrono::milliseconds(500);
    const auto all_done = [&] {
      return std::all_of(sessions_.begin(), sessions_.end(),
                         [](const auto& s) { return s->stop_finished(); });
    };
    while (!all_done() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  void run_core() noexcept {
    run_core_thread(*engine_, queues_, producers_running_,
                    options_.busy_spin ? CoreIdle::busy_spin : CoreIdle::spin_then_yield);
  }

  LiveRunOptions options_;
  TscCalibration tsc_;
  std::unique_ptr<InstrumentRegistry> registry_ = std::make_unique<InstrumentRegistry>();
  std::unique_ptr<Engine<Strategy>> engine_;
  // One I/O thread: its io_context (one thread runs it: concurrency hint 1) kept running by a
  // work guard until stop().
  struct IoThread {
    boost::asio::io_context context{1};
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work{
        boost::asio::make_work_guard(context)};
    std::thread thread;
    std::string pin_failure;
  };
  static std::vector<std::unique_ptr<IoThread>> make_io_threads(std::size_t n) {
    if (n == 0) throw std::runtime_error("LiveRuntime: io_cpus must name at least one I/O thread");
    std::vector<std::unique_ptr<IoThread>> out;
    for (std::size_t t = 0; t < n; ++t) out.push_back(std::make_unique<IoThread>());
    return out;
  }

  std::unique_ptr<capture::FrameRecorder> recorder_;
  std::vector<std::unique_ptr<IoThread>> io_ = make_io_threads(options_.io_cpus.size());
  std::vector<std::unique_ptr<Queue>> queues_;
  std::vector<std::unique_ptr<live::LiveSession>> sessions_;  // after io_: destroyed before it
  std::atomic<int> producers_running_{1};
  std::thread core_;
  std::string core_pin_failure_;
  std::unique_ptr<std::latch> pinned_;  // start() waits on it; a member: threads count down late
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace mde
