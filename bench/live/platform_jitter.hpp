// What the machine itself takes from a thread that never blocks: a pinned thread reads the clock
// in a tight loop for a while and records every gap between two reads longer than 1 us (the
// hypervisor's steal, interrupts, other tasks). From those gaps it derives the latency floor any
// event-driven code on that CPU inherits: an event arriving at a uniformly random moment inside a
// gap of length L waits the rest of it (uniform in [0, L]), so the floor's quantile q is the x at
// which the gaps' time beyond x makes up (1 - q) of the run. A pipeline measured on that CPU
// cannot have a p99.9 below the floor's p99.9: the live benchmark prints both side by side.
//
// Bench-only (allocates, spins a CPU for `seconds`).
#pragma once

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

#include "mde/core/clock.hpp"
#include "mde/core/cpu_affinity.hpp"

namespace mde::bench {

struct JitterFloor {
  int cpu = -1;
  double seconds = 0;
  double lost_fraction = 0;  // of the run, in gaps over 1 us
  std::uint64_t gaps_over_25us = 0, gaps_over_100us = 0;
  std::int64_t max_gap_ns = 0;
  std::int64_t p99_ns = 0, p999_ns = 0;  // the floor an event at a random moment sees
};

namespace detail {

// The smallest x (ns) for which the gaps' time beyond x is at most `tail` of `total_ns`.
inline std::int64_t floor_quantile(const std::vector<std::int64_t>& gaps, std::int64_t total_ns,
                                   double tail) {
  const auto beyond = [&](std::int64_t x) {
    std::int64_t sum = 0;
    for (const std::int64_t g : gaps) sum += g > x ? g - x : 0;
    return static_cast<double>(sum) / static_cast<double>(total_ns);
  };
  std::int64_t lo = 0, hi = gaps.empty() ? 0 : *std::max_element(gaps.begin(), gaps.end());
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    if (beyond(mid) <= tail) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

}  // namespace detail

// Spins on `cpu` (-1: wherever the scheduler puts it) for `seconds` on a thread of its own.
inline JitterFloor probe_jitter(int cpu, double seconds) {
  JitterFloor r;
  r.cpu = cpu;
  r.seconds = seconds;
  std::thread t([&] {
    if (cpu >= 0) (void)pin_current_thread(cpu);
    std::vector<std::int64_t> gaps;
    gaps.reserve(1 << 20);
    const std::int64_t start = now_ns();
    const std::int64_t end = start + static_cast<std::int64_t>(seconds * 1e9);
    std::int64_t prev = start, lost = 0;
    for (;;) {
      const std::int64_t now = now_ns();
      const std::int64_t gap = now - prev;
      prev = now;
      if (gap > 1000) {
        if (gaps.size() < gaps.capacity()) gaps.push_back(gap);
        lost += gap;
        r.gaps_over_25us += gap > 25'000 ? 1 : 0;
        r.gaps_over_100us += gap > 100'000 ? 1 : 0;
        r.max_gap_ns = std::max(r.max_gap_ns, gap);
      }
      if (now >= end) break;
    }
    const std::int64_t total = prev - start;
    r.lost_fraction = static_cast<double>(lost) / static_cast<double>(total);
    r.p99_ns = detail::floor_quantile(gaps, total, 0.01);
    r.p999_ns = detail::floor_quantile(gaps, total, 0.001);
  });
  t.join();
  return r;
}

}  // namespace mde::bench
