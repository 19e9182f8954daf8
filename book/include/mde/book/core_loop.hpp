// run_core_loop: the core thread's poll loop over its input queues.
//
// Polls every queue in turn, handing each event to the engine in place (front/pop: no copy out
// of the queue), in batches so one busy feed cannot starve the others for long. When nothing
// arrived it calls the engine's on_idle (the strategy's, when it has one; engines without it
// are accepted) and idles with the given strategy (spin-then-yield by default; busy-spin for
// lowest latency). It returns once every producer has finished (`producers_running` reached 0, which a
// producer decrements with release order after its last enqueue) and every queue is drained.
//
// Thread: the core thread. Never allocates, locks or throws.
#pragma once

#include <atomic>
#include <cstddef>
#include <span>

#include "mde/core/idle_strategy.hpp"

namespace mde {

inline constexpr int kCoreLoopBatch = 64;

template <class Engine, class Queue, IdleStrategy Idle>
void run_core_loop(Engine& engine, std::span<Queue* const> queues,
                   const std::atomic<int>& producers_running, Idle& idle) noexcept {
  for (;;) {
    int work = 0;
    for (Queue* q : queues) {
      for (int n = 0; n < kCoreLoopBatch; ++n) {
        auto* event = q->front();
        if (event == nullptr) break;
        engine.on_event(*event);
        q->pop();
        ++work;
      }
    }
    if (work == 0 && producers_running.load(std::memory_order_acquire) == 0) {
      // Every enqueue happened before the producers' final decrement: drain what is left.
      bool drained = true;
      for (Queue* q : queues) drained = drained && q->front() == nullptr;
      if (drained) return;
      continue;
    }
    if constexpr (requires { engine.on_idle(); }) {
      if (work == 0) engine.on_idle();
    }
    idle.idle(work);
  }
}

}  // namespace mde
