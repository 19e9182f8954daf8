// The behaviour every SPSC queue type in core/ promises (see event_queue.hpp): the same typed
// tests run against SpscRing and the moodycamel wrapper behind EventQueue.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <thread>

#include "core/queue_test_types.hpp"
#include "mde/core/event_queue.hpp"
#include "mde/core/idle_strategy.hpp"
#include "mde/core/spsc_ring.hpp"

namespace mde {
namespace {

using test::Counted;
using test::Wide;

// Rebinds a queue template to another element type, so one typed suite covers both queues.
template <template <typename> class Q>
struct QueueKind {
  template <typename T>
  using of = Q<T>;
};

template <typename Kind>
class QueueContract : public ::testing::Test {
 protected:
  void SetUp() override { Counted::reset_counts(); }
};

using Kinds = ::testing::Types<QueueKind<SpscRing>, QueueKind<MoodycamelQueue>>;
class KindNames {
 public:
  template <typename Kind>
  static std::string GetName(int) {
    return std::is_same_v<Kind, QueueKind<SpscRing>> ? "SpscRing" : "MoodycamelQueue";
  }
};
TYPED_TEST_SUITE(QueueContract, Kinds, KindNames);

TYPED_TEST(QueueContract, StartsEmptyWithAtLeastTheRequestedCapacity) {
  typename TypeParam::template of<int> q(100);
  EXPECT_GE(q.capacity(), 100u);
  EXPECT_EQ(q.size_approx(), 0u);
  EXPECT_EQ(q.front(), nullptr);
  EXPECT_FALSE(q.pop());
}

TYPED_TEST(QueueContract, RefusesWhenFullAndAcceptsAgainAfterPop) {
  typename TypeParam::template of<int> q(6);
  const auto cap = static_cast<int>(q.capacity());
  for (int i = 0; i < cap; ++i) ASSERT_TRUE(q.try_enqueue(i)) << i;
  EXPECT_EQ(q.size_approx(), q.capacity());
  EXPECT_FALSE(q.try_enqueue(-1));
  EXPECT_FALSE(q.try_emplace(-1));

  ASSERT_NE(q.front(), nullptr);
  EXPECT_EQ(*q.front(), 0);
  EXPECT_TRUE(q.pop());
  EXPECT_TRUE(q.try_enqueue(cap));
  EXPECT_FALSE(q.try_enqueue(-1));

  for (int expected = 1; expected <= cap; ++expected) {
    ASSERT_NE(q.front(), nullptr);
    EXPECT_EQ(*q.front(), expected);
    EXPECT_TRUE(q.pop());
  }
  EXPECT_EQ(q.front(), nullptr);
  EXPECT_FALSE(q.pop());
}

TYPED_TEST(QueueContract, KeepsFifoOrderAcrossManyWrapArounds) {
  typename TypeParam::template of<std::uint64_t> q(4);
  std::uint64_t next_in = 0;
  std::uint64_t next_out = 0;
  // Vary the fill level so every slot is the wrap point at some stage.
  for (int round = 0; round < 1000; ++round) {
    const int burst = 1 + round % static_cast<int>(q.capacity());
    for (int i = 0; i < burst; ++i) ASSERT_TRUE(q.try_enqueue(next_in++));
    for (int i = 0; i < burst; ++i) {
      const std::uint64_t* v = q.front();
      ASSERT_NE(v, nullptr);
      ASSERT_EQ(*v, next_out++);
      ASSERT_TRUE(q.pop());
    }
  }
  EXPECT_EQ(next_out, next_in);
}

TYPED_TEST(QueueContract, FrontReadsInPlaceUntilPop) {
  typename TypeParam::template of<Wide> q(2);
  ASSERT_TRUE(q.try_enqueue(Wide::make(7)));
  Wide* first = q.front();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(q.front(), first);
  first->body[0] = 12345;  // the consumer may mutate in place
  EXPECT_EQ(q.front()->body[0], 12345u);
  EXPECT_TRUE(q.pop());
}

TYPED_TEST(QueueContract, DestroysEveryElementItConstructed) {
  {
    typename TypeParam::template of<Counted> q(8);
    for (std::uint64_t i = 0; i < 5; ++i) ASSERT_TRUE(q.try_emplace(i));
    const Counted lvalue{99};
    ASSERT_TRUE(q.try_enqueue(lvalue));
    ASSERT_TRUE(q.try_enqueue(Counted{100}));
    EXPECT_EQ(Counted::alive(), 1 + 7);  // lvalue + seven queued
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(q.pop());
    EXPECT_EQ(Counted::alive(), 1 + 4);
    // Four elements are left for the destructor.
  }
  EXPECT_GT(Counted::constructions.load(), 0);
  EXPECT_EQ(Counted::constructions.load(), Counted::destructions.load());
}

TYPED_TEST(QueueContract, FailedEnqueueConstructsNothingAndLeavesTheItem) {
  typename TypeParam::template of<Counted> q(1);
  while (q.try_emplace(std::uint64_t{1})) {
  }
  const auto before = Counted::constructions.load();
  EXPECT_FALSE(q.try_emplace(std::uint64_t{2}));
  EXPECT_EQ(Counted::constructions.load(), before);

  Counted item{3};
  EXPECT_FALSE(q.try_enqueue(std::move(item)));
  EXPECT_EQ(item.value, 3u);
}

// Two threads, sequenced items, no sleeps: every item arrives once, in order.
TYPED_TEST(QueueContract, TransfersSequencedItemsBetweenThreadsInOrder) {
  typename TypeParam::template of<std::uint64_t> q(1024);
  std::thread producer([&] {
    DefaultIdle idle;
    for (std::uint64_t i = 0; i < test::kStressItems; ++i) {
      while (!q.try_enqueue(i)) idle.idle();
      idle.reset();
    }
  });
  DefaultIdle idle;
  std::uint64_t expected = 0;
  std::uint64_t out_of_order = 0;
  while (expected < test::kStressItems) {
    const std::uint64_t* v = q.front();
    if (v == nullptr) {
      idle.idle();
      continue;
    }
    idle.reset();
    if (*v != expected) ++out_of_order;
    expected = *v + 1;
    q.pop();
  }
  producer.join();
  EXPECT_EQ(out_of_order, 0u);
  EXPECT_EQ(q.front(), nullptr);
}

// Same with event-sized elements through a small ring: a torn or early read shows up as a
// record whose head, body and tail disagree.
TYPED_TEST(QueueContract, HandsOverWholeWideElementsBetweenThreads) {
  constexpr std::uint64_t kItems = test::kStressItems / 40;
  typename TypeParam::template of<Wide> q(16);
  std::thread producer([&] {
    DefaultIdle idle;
    for (std::uint64_t i = 0; i < kItems; ++i) {
      while (!q.try_emplace(Wide::make(i))) idle.idle();
      idle.reset();
    }
  });
  DefaultIdle idle;
  std::uint64_t expected = 0;
  std::uint64_t bad = 0;
  while (expected < kItems) {
    const Wide* w = q.front();
    if (w == nullptr) {
      idle.idle();
      continue;
    }
    idle.reset();
    if (w->head_seq != expected || !w->consistent()) ++bad;
    expected = w->head_seq + 1;
    q.pop();
  }
  producer.join();
  EXPECT_EQ(bad, 0u);
}

TYPED_TEST(QueueContract, CountsEveryLifetimeAcrossThreads) {
  constexpr std::uint64_t kItems = test::kStressItems / 10;
  {
    typename TypeParam::template of<Counted> q(64);
    std::thread producer([&] {
      DefaultIdle idle;
      for (std::uint64_t i = 0; i < kItems; ++i) {
        while (!q.try_emplace(i)) idle.idle();
        idle.reset();
      }
    });
    DefaultIdle idle;
    std::uint64_t out_of_order = 0;
    // Leave the last few in the queue for its destructor.
    for (std::uint64_t received = 0; received + 10 < kItems;) {
      const Counted* c = q.front();
      if (c == nullptr) {
        idle.idle();
        continue;
      }
      if (c->value != received) ++out_of_order;
      q.pop();
      ++received;
    }
    producer.join();
    EXPECT_EQ(out_of_order, 0u);
  }
  EXPECT_EQ(Counted::constructions.load(), static_cast<std::int64_t>(kItems));
  EXPECT_EQ(Counted::destructions.load(), static_cast<std::int64_t>(kItems));
}

#ifndef NDEBUG
TYPED_TEST(QueueContract, DebugBuildsRejectASecondProducerThread) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        typename TypeParam::template of<int> q(4);
        (void)q.try_enqueue(1);
        std::thread other([&] { (void)q.try_enqueue(2); });
        other.join();
      },
      "more than one producer");
}
#endif

}  // namespace
}  // namespace mde
