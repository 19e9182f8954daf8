#include "mde/core/latency_histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

namespace mde {
namespace {

// Heavy-tailed latencies: log-uniform between 1 ns and ~1 s, the shape a queue hop has.
std::vector<std::int64_t> log_uniform_samples(std::size_t n, std::uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> exponent(0.0, 9.0);
  std::vector<std::int64_t> v(n);
  for (auto& x : v) x = static_cast<std::int64_t>(std::pow(10.0, exponent(rng)));
  return v;
}

TEST(LatencyHistogram, PercentilesMatchASortedReferenceWithinOneBucket) {
  auto h = std::make_unique<LatencyHistogram>();
  auto samples = log_uniform_samples(100'000, 7);
  for (auto s : samples) h->record(s);
  std::sort(samples.begin(), samples.end());

  // Integer ranks (per 10^4) so the reference does not depend on floating rounding.
  const struct {
    double percent;
    std::size_t rank;
  } cases[] = {{50.0, 50'000}, {90.0, 90'000}, {99.0, 99'000}, {99.9, 99'900},
               {99.99, 99'990}, {100.0, 100'000}, {0.001, 1}};
  for (const auto& c : cases) {
    const std::int64_t reference = samples[c.rank - 1];
    const std::int64_t got = h->percentile(c.percent);
    EXPECT_GE(got, reference) << "p" << c.percent;
    EXPECT_LE(got, reference + reference / 128) << "p" << c.percent;
  }
  EXPECT_EQ(h->count(), samples.size());
  EXPECT_EQ(h->min(), samples.front());
  EXPECT_EQ(h->max(), samples.back());
}

TEST(LatencyHistogram, IsExactBelow256Nanoseconds) {
  LatencyHistogram h;
  for (std::int64_t v = 0; v < 256; ++v) h.record(v);
  EXPECT_EQ(h.percentile(50.0), 127);  // rank 128 of 0..255
  EXPECT_EQ(h.percentile(99.0), 253);  // rank ceil(253.44) = 254
  EXPECT_EQ(h.percentile(100.0), 255);
}

TEST(LatencyHistogram, ReportsCountMinMaxAndMeanExactly) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.percentile(50.0), 0);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.mean(), 0.0);
  for (std::int64_t v : {100, 200, 300, 1'000'001}) h.record(v);
  EXPECT_EQ(h.count(), 4u);
  EXPECT_EQ(h.min(), 100);
  EXPECT_EQ(h.max(), 1'000'001);
  EXPECT_DOUBLE_EQ(h.mean(), (100 + 200 + 300 + 1'000'001) / 4.0);
  EXPECT_EQ(h.percentile(100.0), 1'000'001);  // top bucket reported as the exact max
}

TEST(LatencyHistogram, MergeEqualsRecordingEverythingInOne) {
  auto a = std::make_unique<LatencyHistogram>();
  auto b = std::make_unique<LatencyHistogram>();
  auto all = std::make_unique<LatencyHistogram>();
  for (auto s : log_uniform_samples(10'000, 1)) {
    a->record(s);
    all->record(s);
  }
  for (auto s : log_uniform_samples(5'000, 2)) {
    b->record(s * 3);
    all->record(s * 3);
  }
  a->merge(*b);
  EXPECT_EQ(a->count(), all->count());
  EXPECT_EQ(a->min(), all->min());
  EXPECT_EQ(a->max(), all->max());
  EXPECT_DOUBLE_EQ(a->mean(), all->mean());
  for (double p : {1.0, 50.0, 99.0, 99.9, 100.0}) EXPECT_EQ(a->percentile(p), all->percentile(p));
}

TEST(LatencyHistogram, ClampsNegativeAndOverlongValuesAndCountsThem) {
  LatencyHistogram h;
  h.record(-5);  // cross-core TSC skew
  h.record(LatencyHistogram::kMaxTrackable + 1000);
  h.record(10);
  EXPECT_EQ(h.count(), 3u);
  EXPECT_EQ(h.clamped(), 2u);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), LatencyHistogram::kMaxTrackable);
  EXPECT_EQ(h.percentile(100.0), LatencyHistogram::kMaxTrackable);
}

TEST(LatencyHistogram, ResetForgetsEverything) {
  LatencyHistogram h;
  h.record(1000);
  h.reset();
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.max(), 0);
  h.record(7);
  EXPECT_EQ(h.min(), 7);
  EXPECT_EQ(h.percentile(50.0), 7);
}

TEST(LatencyHistogram, BucketsAreContiguousAndWithinOnePartIn128) {
  std::uint64_t prev_high = 0;
  for (std::size_t i = 0; i < LatencyHistogram::kBucketCount; ++i) {
    const auto low = LatencyHistogram::lowest_equivalent(i);
    const auto high = LatencyHistogram::highest_equivalent(i);
    if (i > 0) {
      ASSERT_EQ(low, prev_high + 1) << i;
    }
    ASSERT_LE(high - low, low / 128) << i;
    ASSERT_EQ(LatencyHistogram::index_of(low), i);
    ASSERT_EQ(LatencyHistogram::index_of(high), i);
    prev_high = high;
  }
  EXPECT_EQ(prev_high, static_cast<std::uint64_t>(LatencyHistogram::kMaxTrackable));
}

TEST(LatencyHistogram, RankForgivesBinaryRoundingOfPercentages) {
  EXPECT_EQ(LatencyHistogram::rank_of(99.9, 1000), 999u);
  EXPECT_EQ(LatencyHistogram::rank_of(99.99, 100'000), 99'990u);
  EXPECT_EQ(LatencyHistogram::rank_of(50.0, 3), 2u);
  EXPECT_EQ(LatencyHistogram::rank_of(0.0, 10), 1u);
  EXPECT_EQ(LatencyHistogram::rank_of(100.0, 10), 10u);
  EXPECT_EQ(LatencyHistogram::rank_of(150.0, 10), 10u);
}

}  // namespace
}  // namespace mde
