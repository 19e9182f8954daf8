// Shared pieces of the book/ benchmarks: per-operation latency sampling with the TSC, and the
// std::map order book a user would otherwise write (the baseline printed beside ours).
//
// Setup and reporting allocate freely; the timed regions do not (except the baseline's own
// node allocations, which is the point of showing it).
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "mde/core/clock.hpp"
#include "mde/core/events.hpp"

#if MDE_HAS_RDTSC
#include <x86intrin.h>
#endif

namespace mde::bench {

// rdtsc fenced so the measured work can neither start before the first stamp nor finish after
// the second. The fences cost a few ns; the empty-region median (timer overhead) is measured
// the same way and subtracted from every percentile.
[[nodiscard]] inline std::uint64_t fenced_tsc() noexcept {
#if MDE_HAS_RDTSC
  _mm_lfence();
  const std::uint64_t t = __rdtsc();
  _mm_lfence();
  return t;
#else
  return tsc_now();
#endif
}

// Collects TSC-tick samples, one per operation (per-op) or one per batch of operations
// (batch), and reports them in ns as counters.
//
// On the reference VM the TSC advances in steps of about 26 ticks (10 ns), so single-operation
// samples are quantised to 10 ns: their percentiles come in 10 ns steps. Batches of kBatch
// operations give sub-ns resolution for the median of the per-operation average (batch_p50_ns).
// The median timer overhead (an empty fenced region, measured the same way) is subtracted. No
// mean is reported: on a shared machine a few preemptions (max_ns) dominate any mean.
class LatencySamples {
 public:
  static constexpr std::size_t kBatch = 16;

  explicit LatencySamples(std::size_t n) {
    ops_.reserve(n);
    batches_.reserve(n / kBatch + 1);
  }
  void add(std::uint64_t ticks) { ops_.push_back(ticks); }
  void add_batch(std::uint64_t ticks) { batches_.push_back(ticks); }

  void report(benchmark::State& state, const TscCalibration& cal) {
    const std::uint64_t timer = timer_overhead();
    auto ns = [&](double ticks) {
      return static_cast<double>(cal.to_ns(static_cast<std::uint64_t>(ticks * 1024.0))) / 1024.0;
    };
    std::sort(ops_.begin(), ops_.end());
    auto at = [&](double q) {
      const auto i = static_cast<std::size_t>(q * static_cast<double>(ops_.size() - 1));
      return ns(ops_[i] > timer ? static_cast<double>(ops_[i] - timer) : 0.0);
    };
    state.counters["p50_ns"] = at(0.50);
    state.counters["p90_ns"] = at(0.90);
    state.counters["p99_ns"] = at(0.99);
    state.counters["p99.9_ns"] = at(0.999);
    state.counters["max_ns"] = at(1.0);
    if (!batches_.empty()) {
      std::sort(batches_.begin(), batches_.end());
      const double median = static_cast<double>(batches_[batches_.size() / 2]);
      state.counters["batch_p50_ns"] = ns((median - static_cast<double>(timer)) / kBatch);
    }
    state.counters["timer_ns"] = ns(static_cast<double>(timer));
  }

 private:
  static std::uint64_t timer_overhead() {
    std::vector<std::uint64_t> empty(100'000);
    for (auto& e : empty) {
      const std::uint64_t t0 = fenced_tsc();
      e = fenced_tsc() - t0;
    }
    std::sort(empty.begin(), empty.end());
    return empty[empty.size() / 2];
  }

  std::vector<std::uint64_t> ops_;
  std::vector<std::uint64_t> batches_;
};

// The obvious alternative: two std::maps keyed by price, same id/gap/crossed rules.
class MapBook {
 public:
  // Returns false when the update was dropped or the book is not live afterwards.
  // Parts of one update (BookPartFlag) are applied as the OrderBook applies them: the first
  // carries the checks, continuations only add levels, the crossed check waits for the last.
  bool apply(const BookUpdate& u) {
    if (u.action == BookAction::snapshot) {
      if (!u.is_continuation()) {
        if (has_snapshot_ && u.id <= last_id_) return false;
        bids_.clear();
        asks_.clear();
      }
      for (std::size_t i = 0; i < u.bid_count; ++i) {
        if (!u.bids[i].qty.is_zero()) bids_[u.bids[i].price] = u.bids[i].qty;
      }
      for (std::size_t i = 0; i < u.ask_count; ++i) {
        if (!u.asks[i].qty.is_zero()) asks_[u.asks[i].price] = u.asks[i].qty;
      }
      has_snapshot_ = true;
      live_ = true;
    } else {
      if (!u.is_continuation()) {
        if (!live_ || u.id <= last_id_) return false;
        if (u.prev_id != last_id_) return live_ = false;
      }
      for (std::size_t i = 0; i < u.bid_count; ++i) set(bids_, u.bids[i]);
      for (std::size_t i = 0; i < u.ask_count; ++i) set(asks_, u.asks[i]);
    }
    last_id_ = u.id;
    if (u.has_more_parts()) return live_;
    if (!bids_.empty() && !asks_.empty() && bids_.begin()->first >= asks_.begin()->first) {
      live_ = false;
    }
    return live_;
  }
  [[nodiscard]] const std::map<Decimal, Decimal, std::greater<>>& bids() const { return bids_; }
  [[nodiscard]] const std::map<Decimal, Decimal>& asks() const { return asks_; }

 private:
  template <class M>
  static void set(M& side, const PriceLevel& l) {
    if (l.qty.is_zero()) side.erase(l.price);
    else side[l.price] = l.qty;
  }

  std::map<Decimal, Decimal, std::greater<>> bids_;
  std::map<Decimal, Decimal> asks_;
  std::uint64_t last_id_ = 0;
  bool has_snapshot_ = false;
  bool live_ = false;
};

}  // namespace mde::bench
