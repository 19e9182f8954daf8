// Idle strategies: what a polling loop does when a poll found no work. Passed as template
// parameters (Aeron style) so the loop inlines them; no virtual call, no std::function.
//
// Contract (the IdleStrategy concept): `idle(work_count)` is called once per loop iteration with
// the amount of work that iteration did; work > 0 resets the strategy and returns at once,
// work == 0 takes one idle step. `idle()` takes one idle step unconditionally; `reset()` starts
// over (call it after a wait succeeds). Each object is owned by one thread, holds a few
// counters and never allocates, locks or throws.
#pragma once

#include <concepts>
#include <cstdint>
#include <ctime>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace mde {

// One spin-wait hint: `pause` on x86 (frees the sibling hyper-thread, avoids the memory-order
// machine clear when the awaited line changes), `yield` on ARM.
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

template <typename I>
concept IdleStrategy = requires(I& idle, int work_count) {
  idle.idle(work_count);
  idle.idle();
  idle.reset();
};

// Lowest wake-up latency; burns its core. Only for a thread pinned to a core of its own.
class BusySpinIdle {
 public:
  void idle(int work_count) noexcept {
    if (work_count <= 0) cpu_relax();
  }
  void idle() noexcept { cpu_relax(); }
  void reset() noexcept {}
};

// The default: spin `kSpins` empty polls (reacts within ~100 ns to a burst), then yield the
// core each empty poll so that a machine with fewer cores than busy threads still progresses.
template <std::uint32_t kSpins = 1000>
class SpinThenYieldIdle {
 public:
  void idle(int work_count) noexcept {
    if (work_count > 0) {
      spins_ = 0;
      return;
    }
    idle();
  }
  void idle() noexcept {
    if (spins_ < kSpins) {
      ++spins_;
      cpu_relax();
    } else {
      std::this_thread::yield();
    }
  }
  void reset() noexcept { spins_ = 0; }

  // Whether the next empty poll spins (true) or yields (for tests and diagnostics).
  [[nodiscard]] bool spinning() const noexcept { return spins_ < kSpins; }

 private:
  std::uint32_t spins_ = 0;
};

// Spin, then yield, then sleep with the sleep doubling from kMinSleepNs up to kMaxSleepNs. For
// threads that may wait a long time (a replay producer waiting on a stalled consumer, a
// quiet feed): gives the core back, at the cost of up to kMaxSleepNs wake-up latency.
template <std::uint32_t kSpins = 1000, std::uint32_t kYields = 100,
          std::int64_t kMinSleepNs = 1'000, std::int64_t kMaxSleepNs = 1'000'000>
class BackoffIdle {
  static_assert(0 < kMinSleepNs && kMinSleepNs <= kMaxSleepNs && kMaxSleepNs < 1'000'000'000);

 public:
  void idle(int work_count) noexcept {
    if (work_count > 0) {
      reset();
      return;
    }
    idle();
  }
  void idle() noexcept {
    if (spins_ < kSpins) {
      ++spins_;
      cpu_relax();
    } else if (yields_ < kYields) {
      ++yields_;
      std::this_thread::yield();
    } else {
      const timespec ts{0, static_cast<long>(sleep_ns_)};
      nanosleep(&ts, nullptr);
      sleep_ns_ = sleep_ns_ * 2 < kMaxSleepNs ? sleep_ns_ * 2 : kMaxSleepNs;
    }
  }
  void reset() noexcept {
    spins_ = 0;
    yields_ = 0;
    sleep_ns_ = kMinSleepNs;
  }

  // Which phase the next empty poll is in (for tests and diagnostics).
  enum class Phase : std::uint8_t { spinning, yielding, sleeping };
  [[nodiscard]] Phase phase() const noexcept {
    if (spins_ < kSpins) return Phase::spinning;
    if (yields_ < kYields) return Phase::yielding;
    return Phase::sleeping;
  }
  [[nodiscard]] std::int64_t next_sleep_ns() const noexcept { return sleep_ns_; }

 private:
  std::uint32_t spins_ = 0;
  std::uint32_t yields_ = 0;
  std::int64_t sleep_ns_ = kMinSleepNs;
};

using DefaultIdle = SpinThenYieldIdle<>;

static_assert(IdleStrategy<BusySpinIdle> && IdleStrategy<SpinThenYieldIdle<>> &&
              IdleStrategy<BackoffIdle<>>);

}  // namespace mde
