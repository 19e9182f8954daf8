// LatencyHistogram: a fixed-size log-linear histogram of nanosecond latencies (HdrHistogram's
// bucketing with 2 significant digits), cheap enough to record every event.
//
// Thread: owned by one thread (record() is a few integer ops and one increment, no atomics);
// merge() per-thread histograms after joining. Never allocates, locks or throws: the counters
// are an inline array (28 KiB; make it a member or a static rather than a deep-stack local).
//
// Buckets: values below 256 ns are exact; above that each power of two [2^k, 2^(k+1)) is split
// into 128 equal sub-buckets, so a reported value is at most 1/128 (< 0.8 %) above the true
// one. The range ends at 2^34 - 1 ns (~17 s); larger values and negative ones (cross-core clock
// skew) are clamped into range and counted in clamped(). min() and max() are exact.
#pragma once

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace mde {

class LatencyHistogram {
 public:
  static constexpr unsigned kSubBucketBits = 7;                      // 128 sub-buckets
  static constexpr std::uint64_t kExactBelow = 2u << kSubBucketBits;  // 256
  static constexpr unsigned kMaxMsb = 33;
  static constexpr std::int64_t kMaxTrackable = (std::int64_t{1} << (kMaxMsb + 1)) - 1;
  static constexpr std::size_t kBucketCount =
      kExactBelow + (kMaxMsb - kSubBucketBits) * (std::size_t{1} << kSubBucketBits);

  void record(std::int64_t ns) noexcept {
    if (ns < 0 || ns > kMaxTrackable) {
      ++clamped_;
      ns = ns < 0 ? 0 : kMaxTrackable;
    }
    const auto v = static_cast<std::uint64_t>(ns);
    ++counts_[index_of(v)];
    ++count_;
    sum_ += v;
    if (v < min_) min_ = v;
    if (v > max_) max_ = v;
  }

  // The value at or below which `percent` % of recordings fall (0 <= percent <= 100), reported
  // as the highest value of its bucket (so never below the true value), kept within
  // [min(), max()]. 0 when empty. Rank: the ceil(percent/100 * count)-th smallest, at least 1.
  [[nodiscard]] std::int64_t percentile(double percent) const noexcept {
    if (count_ == 0) return 0;
    const std::uint64_t rank = rank_of(percent, count_);
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBucketCount; ++i) {
      seen += counts_[i];
      if (seen >= rank) {
        const std::uint64_t v = highest_equivalent(i);
        return static_cast<std::int64_t>(v < min_ ? min_ : (v > max_ ? max_ : v));
      }
    }
    return static_cast<std::int64_t>(max_);
  }

  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] std::uint64_t clamped() const noexcept { return clamped_; }
  [[nodiscard]] std::int64_t min() const noexcept {
    return count_ == 0 ? 0 : static_cast<std::int64_t>(min_);
  }
  [[nodiscard]] std::int64_t max() const noexcept { return static_cast<std::int64_t>(max_); }
  [[nodiscard]] double mean() const noexcept {
    return count_ == 0 ? 0.0 : static_cast<double>(sum_) / static_cast<double>(count_);
  }

  void merge(const LatencyHistogram& other) noexcept {
    for (std::size_t i = 0; i < kBucketCount; ++i) counts_[i] += other.counts_[i];
    count_ += other.count_;
    clamped_ += other.clamped_;
    sum_ += other.sum_;
    if (other.min_ < min_) min_ = other.min_;
    if (other.max_ > max_) max_ = other.max_;
  }

  void reset() noexcept { *this = LatencyHistogram{}; }

  // ---- bucketing (public for tests) -----------------------------------------------------------

  [[nodiscard]] static constexpr std::size_t index_of(std::uint64_t v) noexcept {
    if (v < kExactBelow) return static_cast<std::size_t>(v);
    const unsigned msb = static_cast<unsigned>(std::bit_width(v)) - 1;  // >= kSubBucketBits + 1
    const unsigned shift = msb - kSubBucketBits;
    const std::uint64_t sub = (v >> shift) - (std::uint64_t{1} << kSubBucketBits);
    return kExactBelow + (shift - 1) * (std::size_t{1} << kSubBucketBits) +
           static_cast<std::size_t>(sub);
  }

  [[nodiscard]] static constexpr std::uint64_t lowest_equivalent(std::size_t index) noexcept {
    if (index < kExactBelow) return index;
    const std::size_t k = index - kExactBelow;
    const unsigned shift = static_cast<unsigned>(k >> kSubBucketBits) + 1;
    const std::uint64_t sub = (std::uint64_t{1} << kSubBucketBits) +
                              (k & ((std::size_t{1} << kSubBucketBits) - 1));
    return sub << shift;
  }

  [[nodiscard]] static constexpr std::uint64_t highest_equivalent(std::size_t index) noexcept {
    if (index < kExactBelow) return index;
    const unsigned shift =
        static_cast<unsigned>((index - kExactBelow) >> kSubBucketBits) + 1;
    return lowest_equivalent(index) + (std::uint64_t{1} << shift) - 1;
  }

  // ceil(percent/100 * count) clamped to [1, count], forgiving the binary rounding of values
  // such as 99.9 (99.9 % of 1000 is rank 999, not 1000).
  [[nodiscard]] static std::uint64_t rank_of(double percent, std::uint64_t count) noexcept {
    if (!(percent > 0.0)) return 1;
    if (percent >= 100.0) return count;
    const double exact = percent / 100.0 * static_cast<double>(count);
    const double nearest = std::nearbyint(exact);
    const double r = std::fabs(exact - nearest) <= 1e-9 * (exact + 1.0) ? nearest
                                                                        : std::ceil(exact);
    const auto rank = static_cast<std::uint64_t>(r);
    return rank < 1 ? 1 : (rank > count ? count : rank);
  }

 private:
  std::array<std::uint64_t, kBucketCount> counts_{};
  std::uint64_t count_ = 0;
  std::uint64_t clamped_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  std::uint64_t max_ = 0;
  unsigned __int128 sum_ = 0;
};

static_assert(LatencyHistogram::index_of(255) == 255);
static_assert(LatencyHistogram::index_of(256) == 256);
static_assert(LatencyHistogram::lowest_equivalent(LatencyHistogram::index_of(1000)) == 1000);
static_assert(LatencyHistogram::highest_equivalent(LatencyHistogram::index_of(1000)) == 1003);
static_assert(LatencyHistogram::index_of(LatencyHistogram::kMaxTrackable) ==
              LatencyHistogram::kBucketCount - 1);

}  // namespace mde
