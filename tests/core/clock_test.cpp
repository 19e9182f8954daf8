#include "mde/core/clock.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>

namespace mde {
namespace {

TEST(Clock, MonotonicNeverGoesBackwards) {
  std::int64_t prev = now_ns();
  for (int i = 0; i < 10'000; ++i) {
    const std::int64_t t = now_ns();
    ASSERT_GE(t, prev);
    prev = t;
  }
}

TEST(Clock, MonotonicIsSteadyClock) {
  const auto before = std::chrono::steady_clock::now().time_since_epoch().count();
  const std::int64_t t = now_ns();
  const auto after = std::chrono::steady_clock::now().time_since_epoch().count();
  EXPECT_GE(t, before);
  EXPECT_LE(t, after);
}

TEST(Clock, WallClockIsUnixEpochNanoseconds) {
  const auto before = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const std::int64_t t = wall_ns();
  EXPECT_GE(t, before);
  EXPECT_LT(t - before, 1'000'000'000);
  EXPECT_GT(t, 1'700'000'000'000'000'000);  // after Nov 2023: really ns, not us or ms
}

TEST(Clock, OrderedTscReadIsNeverEarlierThanAPriorRead) {
  for (int i = 0; i < 10'000; ++i) {
    const std::uint64_t a = tsc_now();
    const std::uint64_t b = tsc_now_ordered();
    const std::uint64_t c = tsc_now_ordered();
    ASSERT_GE(b, a);
    ASSERT_GE(c, b);
  }
}

TEST(TscCalibration, ConvertsTicksWithRoundingToNearest) {
  const auto c = TscCalibration::from_rate(2'600'000'000, 1'000'000'000);  // 2.6 GHz
  EXPECT_EQ(c.to_ns(2'600), 1'000);
  EXPECT_NEAR(static_cast<double>(c.to_ns(2'600'000'000'000)), 1e12, 2.0);  // 1000 s, no overflow
  EXPECT_EQ(c.elapsed_ns(5'200, 2'600), -1'000);
  EXPECT_EQ(c.ticks_per_us(), 2'600u);
  const auto identity = TscCalibration::from_rate(0, 0);
  EXPECT_EQ(identity.to_ns(777), 777);
}

// The measured rate converts a TSC interval to the CLOCK_MONOTONIC interval it spans. The TSC
// pair brackets the clock pair, so preemption can only lengthen the TSC side; retry a few
// times rather than fail on a loaded machine.
TEST(TscCalibration, MeasuredRateAgreesWithTheMonotonicClock) {
  const auto c = TscCalibration::measure(5'000'000);
  ASSERT_GT(c.ticks_per_us(), 0u);
  bool agreed = false;
  std::int64_t last_tsc_ns = 0;
  std::int64_t last_ns = 0;
  for (int attempt = 0; attempt < 5 && !agreed; ++attempt) {
    const std::uint64_t c0 = tsc_now();
    const std::int64_t t0 = now_ns();
    std::int64_t t1 = t0;
    while (t1 - t0 < 2'000'000) t1 = now_ns();
    const std::uint64_t c1 = tsc_now();
    last_tsc_ns = c.elapsed_ns(c0, c1);
    last_ns = t1 - t0;
    agreed = std::llabs(last_tsc_ns - last_ns) < last_ns / 100;  // within 1 %
  }
  EXPECT_TRUE(agreed) << "tsc " << last_tsc_ns << " ns vs clock " << last_ns << " ns";
}

}  // namespace
}  // namespace mde
