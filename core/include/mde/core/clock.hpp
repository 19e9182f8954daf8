// Clocks: monotonic ns for intervals, wall-clock ns for receive timestamps, and a raw TSC stamp
// with a one-time calibration for cheap latency measurement.
//
// Thread: any. Nothing here allocates, throws or takes a lock. `now_ns()` and `wall_ns()` are
// vDSO clock_gettime calls (~20 ns); `tsc_now()` is one rdtsc (~10 ns, not serialising), so a
// producer can stamp every event; `tsc_now_ordered()` (rdtscp) ends a measured interval. TSC
// deltas only mean something across cores when the CPU reports constant_tsc/nonstop_tsc (true
// on the target machine; bench/core/queue_hop_bench measures the residual offset).
#pragma once

#include <cstdint>
#include <ctime>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define MDE_HAS_RDTSC 1
#else
#define MDE_HAS_RDTSC 0
#endif

namespace mde {

// CLOCK_MONOTONIC in nanoseconds (the same clock as std::chrono::steady_clock on Linux).
[[nodiscard]] inline std::int64_t now_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// CLOCK_REALTIME in nanoseconds since the Unix epoch: EventHeader::receive_ns. Can jump (NTP);
// never subtract two of these to measure latency.
[[nodiscard]] inline std::int64_t wall_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Raw time-stamp counter (EventHeader::enqueue_tsc). Falls back to now_ns() off x86, where
// TscCalibration::measure() then yields a 1:1 conversion.
[[nodiscard]] inline std::uint64_t tsc_now() noexcept {
#if MDE_HAS_RDTSC
  return __rdtsc();
#else
  return static_cast<std::uint64_t>(now_ns());
#endif
}

// rdtscp: waits until every earlier instruction has executed and earlier loads are visible, so
// it cannot be taken before the data it times has arrived (plain rdtsc can run ahead of
// outstanding loads and make a hop look shorter). Use it to end a measured interval.
[[nodiscard]] inline std::uint64_t tsc_now_ordered() noexcept {
#if MDE_HAS_RDTSC
  unsigned aux = 0;
  return __rdtscp(&aux);
#else
  return static_cast<std::uint64_t>(now_ns());
#endif
}

// Converts TSC tick deltas to nanoseconds with one 128-bit multiply and a shift (no division,
// no floating point on the measuring path). Measure once at start-up and pass it by value.
class TscCalibration {
 public:
  static constexpr unsigned kShift = 40;
  static constexpr std::uint64_t kHalf = std::uint64_t{1} << (kShift - 1);  // round to nearest

  // Spins for about `window_ns` (default 20 ms) comparing rdtsc against CLOCK_MONOTONIC. A
  // 20 ms window gives a rate error well under 0.1 %. Control path only: it burns the window.
  [[nodiscard]] static TscCalibration measure(std::int64_t window_ns = 20'000'000) noexcept {
    const std::int64_t t0 = now_ns();
    const std::uint64_t c0 = tsc_now();
    std::int64_t t1 = t0;
    while (t1 - t0 < window_ns) t1 = now_ns();
    const std::uint64_t c1 = tsc_now();
    return from_rate(c1 - c0, static_cast<std::uint64_t>(t1 - t0));
  }

  // `ticks` counted over `ns` nanoseconds. A zero or nonsensical input gives 1:1.
  [[nodiscard]] static constexpr TscCalibration from_rate(std::uint64_t ticks,
                                                          std::uint64_t ns) noexcept {
    TscCalibration c;
    // Q24.40 holds tick periods below 16 ms (any TSC) to about one part in 10^12.
    if (ticks != 0 && ns != 0 && ns / ticks < (std::uint64_t{1} << (64 - kShift))) {
      c.ns_per_tick_q40_ = static_cast<std::uint64_t>(
          ((static_cast<unsigned __int128>(ns) << kShift) + ticks / 2) / ticks);
      c.ticks_per_us_ = static_cast<std::uint64_t>(
          static_cast<unsigned __int128>(ticks) * 1000 / ns);
    }
    return c;
  }

  [[nodiscard]] constexpr std::int64_t to_ns(std::uint64_t ticks) const noexcept {
    return static_cast<std::int64_t>(
        (static_cast<unsigned __int128>(ticks) * ns_per_tick_q40_ + kHalf) >> kShift);
  }
  // Elapsed ns from `from` to `to`; negative when `to` is earlier (cross-core skew), so the
  // caller decides how to record it.
  [[nodiscard]] constexpr std::int64_t elapsed_ns(std::uint64_t from,
                                                  std::uint64_t to) const noexcept {
    return to >= from ? to_ns(to - from) : -to_ns(from - to);
  }
  // TSC ticks per microsecond (= MHz), for reporting.
  [[nodiscard]] constexpr std::uint64_t ticks_per_us() const noexcept { return ticks_per_us_; }

 private:
  std::uint64_t ns_per_tick_q40_ = std::uint64_t{1} << kShift;  // ns per tick, Q24.40
  std::uint64_t ticks_per_us_ = 1000;
};

static_assert(TscCalibration::from_rate(3'000'000'000, 1'000'000'000).to_ns(3'000) == 1'000);
static_assert(TscCalibration::from_rate(3'000'000'000, 1'000'000'000).elapsed_ns(300, 0) == -100);
static_assert(TscCalibration{}.to_ns(12345) == 12345);

}  // namespace mde
