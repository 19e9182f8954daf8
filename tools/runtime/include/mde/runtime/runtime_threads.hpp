// What every runtime's threads share (ReplayRuntime, LiveRuntime): naming and pinning a thread,
// and draining one connection's resync ring on the input thread that consumes it.
//
// Thread: name_and_pin_thread runs on the thread it names, at its start (setup: may allocate the
// failure text). drain_resync_ring runs on the connection's input thread, its ring's only
// consumer; it never allocates, locks or throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <atomic>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "mde/book/engine.hpp"
#include "mde/book/core_loop.hpp"
#include "mde/core/cpu_affinity.hpp"
#include "mde/core/idle_strategy.hpp"

namespace mde {

// Pins the calling thread to `cpu` (-1: no pinning). A failure is reported in `failure`
// ("mde-core thread -> cpu 7: Invalid argument"), never fatal.
inline void name_and_pin_thread(const char* name, int cpu, std::string& failure) {
  (void)name_current_thread(name);
  if (cpu < 0) return;
  if (const ThreadStatus st = pin_current_thread(cpu); st != ThreadStatus::ok) {
    failure = std::string(name) + " thread -> cpu " + std::to_string(cpu) + ": " +
              std::string(to_string(st));
  }
}

// Pops every pending request of `connection`'s ring and returns how many there were. `engine`
// is the EngineT the ring belongs to (a plain function pointer so feeds/ need not know it).
template <class EngineT>
std::size_t drain_resync_ring(void* engine, std::uint32_t connection) noexcept {
  if (connection >= kMaxConnections) return 0;
  auto& ring = static_cast<EngineT*>(engine)->resync_requests(connection);
  std::size_t drained = 0;
  while (ring.front() != nullptr) {
    ring.pop();
    ++drained;
  }
  return drained;
}

// Takes up to out.size() resync requests of `connection` off the engine's ring (a live session's
// ResyncHook): the instruments whose books need a fresh snapshot. Same thread rules as above.
// Requests for books gone stale because their connection was lost are popped and left out: a
// live session subscribes everything again on every connect, and that answers them. Handed over,
// they made a BTSE session unsubscribe + subscribe each book once more whenever the core thread
// took the loss after the new connection's handshake (each snapshot sent twice).
template <class EngineT>
std::size_t take_resync_requests(void* engine, std::uint32_t connection,
                                 std::span<InstrumentId> out) noexcept {
  if (connection >= kMaxConnections) return 0;
  auto& ring = static_cast<EngineT*>(engine)->resync_requests(connection);
  std::size_t n = 0;
  while (n < out.size()) {
    const ResyncRequest* r = ring.front();
    if (r == nullptr) break;
    if (r->reason != StaleReason::reconnect) out[n++] = r->instrument;
    ring.pop();
  }
  return n;
}

// How the core thread waits when every queue is empty.
enum class CoreIdle : std::uint8_t {
  spin_then_yield,  // the default: reacts within ~100 ns, yields when idle
  busy_spin,        // lowest latency; burns its core
  backoff,          // sleeps when idle for long (paced replays): gives the core back
};

// The core thread's body for both runtimes: polls every input queue into the engine until the
// producers have finished and the queues are drained. Allocates the pointer list once, before
// polling.
template <class EngineT, class Queue>
void run_core_thread(EngineT& engine, const std::vector<std::unique_ptr<Queue>>& owned,
                     const std::atomic<int>& producers_running, CoreIdle how) {
  std::vector<Queue*> queues;
  for (const auto& q : owned) queues.push_back(q.get());
  const std::span<Queue* const> span(queues);
  switch (how) {
    case CoreIdle::busy_spin: {
      BusySpinIdle idle;
      run_core_loop(engine, span, producers_running, idle);
      return;
    }
    case CoreIdle::backoff: {
      BackoffIdle<> idle;
      run_core_loop(engine, span, producers_running, idle);
      return;
    }
    case CoreIdle::spin_then_yield: {
      SpinThenYieldIdle<> idle;
      run_core_loop(engine, span, producers_running, idle);
      return;
    }
  }
}

}  // namespace mde
