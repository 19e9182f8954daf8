// What every runtime's threads share (ReplayRuntime, LiveRuntime): naming and pinning a thread,
// and draining one connection's resync ring on the input thread that consumes it.
//
// Thread: name_and_pin_thread runs on the thread it names, at its start (setup: may allocate the
// failure text). drain_resync_ring runs on the connection's input thread, its ring's only
// consumer; it never allocates, locks or throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "mde/book/engine.hpp"
#include "mde/core/cpu_affinity.hpp"

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

}  // namespace mde
