// SpscRing specifics: capacity rounding, the in-place claim/publish API and the slot lifetime
// rules. The behaviour shared with EventQueue is in queue_contract_test.cpp.
#include "mde/core/spsc_ring.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <thread>

#include "core/queue_test_types.hpp"
#include "mde/core/event_queue.hpp"
#include "mde/core/events.hpp"
#include "mde/core/idle_strategy.hpp"

namespace mde {
namespace {

static_assert(SpscRingLayout::proven<Event>());
static_assert(SpscRingLayout::proven<test::Wide>());
static_assert(SpscRing<Event>::kClaimable, "Event must be claimable for in-place decoding");
static_assert(!SpscRing<test::Counted>::kClaimable);
static_assert(ClaimingQueue<SpscRing<Event>> && !ClaimingQueue<SpscRing<test::Counted>>);

TEST(SpscRing, RoundsCapacityUpToAPowerOfTwoAndUsesEverySlot) {
  EXPECT_EQ(SpscRing<int>(0).capacity(), 1u);
  EXPECT_EQ(SpscRing<int>(1).capacity(), 1u);
  EXPECT_EQ(SpscRing<int>(5).capacity(), 8u);
  EXPECT_EQ(SpscRing<int>(1024).capacity(), 1024u);

  SpscRing<int> one(1);
  EXPECT_TRUE(one.try_enqueue(1));
  EXPECT_FALSE(one.try_enqueue(2));
  EXPECT_TRUE(one.pop());
  EXPECT_TRUE(one.try_enqueue(3));
  EXPECT_EQ(*one.front(), 3);
}

TEST(SpscRing, RefusesACapacityBeyondItsAddressableBytes) {
  EXPECT_THROW(SpscRing<Event>(std::size_t{1} << 40), std::length_error);
}

TEST(SpscRing, SizeNeverExceedsCapacity) {
  SpscRing<int> ring(4);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(ring.try_enqueue(i));
  EXPECT_EQ(ring.size_approx(), 4u);
  ASSERT_TRUE(ring.pop());
  EXPECT_EQ(ring.size_approx(), 3u);
}

TEST(SpscRing, ClaimedSlotStaysInvisibleUntilPublished) {
  SpscRing<Event> ring(4);
  Event* slot = ring.try_claim();
  ASSERT_NE(slot, nullptr);
  slot->header.kind = EventKind::trade;
  slot->header.exchange_ns = 42;
  EXPECT_EQ(ring.front(), nullptr);
  EXPECT_EQ(ring.size_approx(), 0u);

  ring.publish();
  const Event* seen = ring.front();
  ASSERT_EQ(seen, slot);  // the consumer reads the very bytes the producer wrote
  EXPECT_EQ(seen->header.kind, EventKind::trade);
  EXPECT_EQ(seen->header.exchange_ns, 42);
}

TEST(SpscRing, ClaimReturnsTheSameSlotUntilPublished) {
  SpscRing<Event> ring(4);
  Event* first = ring.try_claim();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(ring.try_claim(), first);  // abandoning a claim is simply not publishing
  ring.publish();
  Event* second = ring.try_claim();
  ASSERT_NE(second, nullptr);
  EXPECT_NE(second, first);
}

TEST(SpscRing, ClaimReturnsNullWhenFullAndASlotAfterPop) {
  SpscRing<Event> ring(2);
  for (int i = 0; i < 2; ++i) {
    ASSERT_NE(ring.try_claim(), nullptr);
    ring.publish();
  }
  EXPECT_EQ(ring.try_claim(), nullptr);
  ASSERT_TRUE(ring.pop());
  EXPECT_NE(ring.try_claim(), nullptr);
}

TEST(SpscRing, ClaimedSlotKeepsStaleBytesFromTheLastLap) {
  // Documented behaviour: claim does not clear, so a producer must write what it publishes.
  SpscRing<std::uint64_t> ring(1);
  ASSERT_TRUE(ring.try_enqueue(77));
  ASSERT_TRUE(ring.pop());
  std::uint64_t* slot = ring.try_claim();
  ASSERT_NE(slot, nullptr);
  EXPECT_EQ(*slot, 77u);
}

TEST(SpscRing, MixesClaimAndCopyingEnqueueInOrder) {
  SpscRing<std::uint64_t> ring(8);
  for (std::uint64_t i = 0; i < 100; ++i) {
    if (i % 2 == 0) {
      std::uint64_t* slot = ring.try_claim();
      ASSERT_NE(slot, nullptr);
      *slot = i;
      ring.publish();
    } else {
      ASSERT_TRUE(ring.try_enqueue(i));
    }
    ASSERT_EQ(*ring.front(), i);
    ASSERT_TRUE(ring.pop());
  }
}

// The in-place path under two threads: the producer writes only the header and the trade
// fields, the consumer checks sequence and payload.
TEST(SpscRing, TransfersClaimedEventsBetweenThreadsInOrder) {
  constexpr std::uint64_t kItems = test::kStressItems / 2;
  SpscRing<Event> ring(256);
  std::thread producer([&] {
    DefaultIdle idle;
    for (std::uint64_t i = 0; i < kItems; ++i) {
      Event* e;
      while ((e = ring.try_claim()) == nullptr) idle.idle();
      idle.reset();
      e->header.kind = EventKind::trade;
      e->header.exchange_ns = static_cast<std::int64_t>(i);
      e->trade.price = Decimal::from_mantissa(static_cast<std::int64_t>(i * 3));
      ring.publish();
    }
  });
  DefaultIdle idle;
  std::uint64_t expected = 0;
  std::uint64_t bad = 0;
  while (expected < kItems) {
    const Event* e = ring.front();
    if (e == nullptr) {
      idle.idle();
      continue;
    }
    idle.reset();
    const auto seq = static_cast<std::uint64_t>(e->header.exchange_ns);
    if (seq != expected || e->header.kind != EventKind::trade ||
        e->trade.price.mantissa() != static_cast<std::int64_t>(seq * 3)) {
      ++bad;
    }
    expected = seq + 1;
    ring.pop();
  }
  producer.join();
  EXPECT_EQ(bad, 0u);
}

}  // namespace
}  // namespace mde
