// MoodycamelQueue specifics, the EventQueue choice, and the producer policies: back-pressure and
// the opt-in drop policy. Shared queue behaviour is in queue_contract_test.cpp.
#include "mde/core/event_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <thread>

#include "core/queue_test_types.hpp"
#include "mde/core/events.hpp"
#include "mde/core/idle_strategy.hpp"
#include "mde/core/spsc_ring.hpp"

namespace mde {
namespace {

static_assert(ProducerQueue<MoodycamelQueue<Event>, Event> &&
              ProducerQueue<SpscRing<Event>, Event>);
static_assert(!ClaimingQueue<MoodycamelQueue<Event>>);
// The engine's queue must let a decoder write in place (docs/PERFORMANCE.md, "Queue hop").
static_assert(ClaimingQueue<EventQueue<Event>>);

TEST(MoodycamelQueue, HasOneFreeSlotLessThanAPowerOfTwo) {
  EXPECT_EQ(MoodycamelQueue<int>(0).capacity(), 1u);
  EXPECT_EQ(MoodycamelQueue<int>(1).capacity(), 1u);
  EXPECT_EQ(MoodycamelQueue<int>(1000).capacity(), 1023u);
  EXPECT_EQ(MoodycamelQueue<int>(1023).capacity(), 1023u);
  EXPECT_EQ(MoodycamelQueue<int>(1024).capacity(), 2047u);
}

TEST(MoodycamelQueue, NeverGrowsPastItsCapacity) {
  // moodycamel's enqueue() would allocate a new block here; try_enqueue must refuse instead.
  MoodycamelQueue<Event> q(64);
  const Event e;
  std::size_t accepted = 0;
  while (accepted < 10 * q.capacity() && q.try_enqueue(e)) ++accepted;
  EXPECT_EQ(accepted, q.capacity());
  EXPECT_EQ(q.size_approx(), q.capacity());
}

// ---- back-pressure ---------------------------------------------------------------------------

TEST(Backpressure, EnqueuesAtOnceWhenThereIsRoomEvenIfStopped) {
  EventQueue<int> q(2);
  std::atomic<bool> stop{true};
  BusySpinIdle idle;
  EXPECT_TRUE(enqueue_with_backpressure(q, 5, idle, stop));
  ASSERT_NE(q.front(), nullptr);
  EXPECT_EQ(*q.front(), 5);
}

TEST(Backpressure, ReturnsFalseWhenStoppedWhileFull) {
  EventQueue<int> q(1);
  ASSERT_TRUE(q.try_enqueue(1));
  std::atomic<bool> stop{true};
  BusySpinIdle idle;
  EXPECT_FALSE(enqueue_with_backpressure(q, 2, idle, stop));
  EXPECT_EQ(q.size_approx(), 1u);
  EXPECT_EQ(*q.front(), 1);
}

TEST(Backpressure, WaitingProducerLeavesWhenStopIsRaised) {
  EventQueue<int> q(1);
  std::atomic<bool> stop{false};
  std::atomic<int> result{-1};
  std::thread producer([&] {  // the producer role stays on this one thread
    if (!q.try_enqueue(1)) return;
    DefaultIdle idle;
    result = enqueue_with_backpressure(q, 2, idle, stop) ? 1 : 0;
  });
  stop = true;  // the queue never drains, so the producer can only leave through stop
  producer.join();
  EXPECT_EQ(result.load(), 0);
  ASSERT_NE(q.front(), nullptr);
  EXPECT_EQ(*q.front(), 1);
}

// Replay semantics: a producer much faster than the consumer loses nothing.
TEST(Backpressure, SlowConsumerReceivesEveryItemInOrder) {
  constexpr std::uint64_t kItems = test::kStressItems / 4;
  EventQueue<std::uint64_t> q(16);
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> refused{0};
  std::thread producer([&] {
    DefaultIdle idle;
    for (std::uint64_t i = 0; i < kItems; ++i) {
      if (!enqueue_with_backpressure(q, i, idle, stop)) refused.fetch_add(1);
    }
  });
  DefaultIdle idle;
  std::uint64_t expected = 0;
  std::uint64_t bad = 0;
  std::uint64_t work = 0;
  while (expected < kItems) {
    const std::uint64_t* v = q.front();
    if (v == nullptr) {
      idle.idle();
      continue;
    }
    for (int i = 0; i < 50; ++i) work += static_cast<std::uint64_t>(i) * *v;  // be slow
    if (*v != expected) ++bad;
    expected = *v + 1;
    q.pop();
  }
  producer.join();
  EXPECT_EQ(bad, 0u);
  EXPECT_EQ(refused.load(), 0u);
  EXPECT_NE(work, 1u);  // keeps the busy work observable
}

TEST(Backpressure, ClaimWaitsForSpaceAndHonoursStop) {
  SpscRing<Event> ring(1);
  std::atomic<bool> stop{false};
  BusySpinIdle idle;
  Event* slot = claim_with_backpressure(ring, idle, stop);
  ASSERT_NE(slot, nullptr);
  ring.publish();

  stop = true;
  EXPECT_EQ(claim_with_backpressure(ring, idle, stop), nullptr);
  ASSERT_TRUE(ring.pop());
  EXPECT_NE(claim_with_backpressure(ring, idle, stop), nullptr);
}

TEST(Backpressure, ClaimingProducerDeliversEveryEventInOrder) {
  constexpr std::uint64_t kItems = test::kStressItems / 4;
  SpscRing<Event> ring(8);
  std::atomic<bool> stop{false};
  std::thread producer([&] {
    DefaultIdle idle;
    for (std::uint64_t i = 0; i < kItems; ++i) {
      Event* e = claim_with_backpressure(ring, idle, stop);
      if (e == nullptr) return;
      e->header.exchange_ns = static_cast<std::int64_t>(i);
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
    const auto seq = static_cast<std::uint64_t>(e->header.exchange_ns);
    if (seq != expected) ++bad;
    expected = seq + 1;
    ring.pop();
  }
  producer.join();
  EXPECT_EQ(bad, 0u);
}

// ---- drop policy -----------------------------------------------------------------------------

TEST(DropPolicy, CountsEveryRefusedItem) {
  EventQueue<int> q(4);
  ASSERT_EQ(q.capacity(), 4u);
  DropCounter dropped;
  int accepted = 0;
  for (int i = 0; i < 10; ++i) accepted += enqueue_or_drop(q, i, dropped) ? 1 : 0;
  EXPECT_EQ(accepted, 4);
  EXPECT_EQ(dropped.total(), 6u);
  EXPECT_EQ(dropped.pending(), 6u);

  dropped.clear_pending();  // the producer reported the loss (ControlType::dropped)
  EXPECT_EQ(dropped.pending(), 0u);
  EXPECT_EQ(dropped.total(), 6u);

  ASSERT_TRUE(q.pop());
  EXPECT_TRUE(enqueue_or_drop(q, 10, dropped));
  EXPECT_FALSE(enqueue_or_drop(q, 11, dropped));
  EXPECT_EQ(dropped.total(), 7u);
  EXPECT_EQ(dropped.pending(), 1u);
}

TEST(DropPolicy, WorksOnTheMoodycamelQueueToo) {
  MoodycamelQueue<int> q(3);
  DropCounter dropped;
  int accepted = 0;
  for (int i = 0; i < 10; ++i) accepted += enqueue_or_drop(q, i, dropped) ? 1 : 0;
  EXPECT_EQ(accepted, 3);
  EXPECT_EQ(dropped.total(), 7u);
}

TEST(DropPolicy, TotalIsReadableFromAnotherThread) {
  DropCounter dropped;
  std::thread producer([&] {
    for (int i = 0; i < 1000; ++i) dropped.add();
  });
  producer.join();
  EXPECT_EQ(dropped.total(), 1000u);
}

}  // namespace
}  // namespace mde
