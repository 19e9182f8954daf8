#include "mde/core/idle_strategy.hpp"

#include <gtest/gtest.h>

namespace mde {
namespace {

TEST(BackoffIdle, SpinsThenYieldsThenSleepsWithDoublingUpToTheCap) {
  BackoffIdle<3, 2, 1'000, 4'000> idle;
  using Phase = decltype(idle)::Phase;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(idle.phase(), Phase::spinning) << i;
    idle.idle(0);
  }
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(idle.phase(), Phase::yielding) << i;
    idle.idle(0);
  }
  EXPECT_EQ(idle.phase(), Phase::sleeping);
  EXPECT_EQ(idle.next_sleep_ns(), 1'000);
  idle.idle(0);
  EXPECT_EQ(idle.next_sleep_ns(), 2'000);
  idle.idle(0);
  EXPECT_EQ(idle.next_sleep_ns(), 4'000);
  idle.idle(0);
  EXPECT_EQ(idle.next_sleep_ns(), 4'000);
}

TEST(BackoffIdle, WorkDoneResetsToSpinning) {
  BackoffIdle<1, 1, 1'000, 2'000> idle;
  idle.idle(0);
  idle.idle(0);
  idle.idle(0);
  ASSERT_EQ(idle.phase(), decltype(idle)::Phase::sleeping);
  idle.idle(1);
  EXPECT_EQ(idle.phase(), decltype(idle)::Phase::spinning);
  EXPECT_EQ(idle.next_sleep_ns(), 1'000);
}

TEST(SpinThenYieldIdle, StopsSpinningAfterItsBudgetUntilWorkArrives) {
  SpinThenYieldIdle<2> idle;
  EXPECT_TRUE(idle.spinning());
  idle.idle(0);
  idle.idle(0);
  EXPECT_FALSE(idle.spinning());
  idle.idle(0);  // yields
  EXPECT_FALSE(idle.spinning());
  idle.idle(3);
  EXPECT_TRUE(idle.spinning());
  idle.idle();
  idle.idle();
  idle.reset();
  EXPECT_TRUE(idle.spinning());
}

static_assert(!IdleStrategy<int>);

}  // namespace
}  // namespace mde
