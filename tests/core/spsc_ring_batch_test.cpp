// Batched claim/publish on SpscRing: slots claimed ahead stay invisible until publish(n), order
// is kept, and claiming ahead never overruns the consumer.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <thread>

#include "mde/core/spsc_ring.hpp"

namespace mde {
namespace {

struct Item {
  std::uint64_t seq;
};

TEST(SpscRingBatch, ClaimedAheadSlotsAreInvisibleUntilPublished) {
  SpscRing<Item> ring(8);
  for (std::size_t i = 0; i < 3; ++i) {
    Item* slot = ring.try_claim(i);
    ASSERT_NE(slot, nullptr);
    slot->seq = 100 + i;
  }
  EXPECT_EQ(ring.front(), nullptr);
  ring.publish(3);
  for (std::uint64_t i = 0; i < 3; ++i) {
    ASSERT_NE(ring.front(), nullptr);
    EXPECT_EQ(ring.front()->seq, 100 + i);
    ring.pop();
  }
  EXPECT_EQ(ring.front(), nullptr);
}

TEST(SpscRingBatch, ClaimAheadStopsAtCapacity) {
  SpscRing<Item> ring(4);
  const std::size_t capacity = ring.capacity();
  for (std::size_t i = 0; i < capacity; ++i) ASSERT_NE(ring.try_claim(i), nullptr);
  EXPECT_EQ(ring.try_claim(capacity), nullptr);
  ring.publish(capacity);
  EXPECT_EQ(ring.try_claim(0), nullptr);
  ring.pop();
  EXPECT_NE(ring.try_claim(0), nullptr);
}

TEST(SpscRingBatch, TwoThreadBatchesArriveInOrderWithoutLoss) {
  SpscRing<Item> ring(64);
  constexpr std::uint64_t kItems = 500'000;
  std::thread producer([&] {
    std::size_t pending = 0;
    for (std::uint64_t i = 0; i < kItems;) {
      Item* slot = ring.try_claim(pending);
      if (slot == nullptr) {
        ring.publish(pending);
        pending = 0;
        continue;
      }
      slot->seq = i++;
      if (++pending == 7) {
        ring.publish(pending);
        pending = 0;
      }
    }
    ring.publish(pending);
  });
  std::uint64_t expected = 0;
  while (expected < kItems) {
    if (Item* item = ring.front()) {
      ASSERT_EQ(item->seq, expected);
      ++expected;
      ring.pop();
    }
  }
  producer.join();
  EXPECT_EQ(ring.front(), nullptr);
}

}  // namespace
}  // namespace mde
