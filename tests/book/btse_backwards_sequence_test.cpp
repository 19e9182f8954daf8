// A BTSE seqNum chain that goes backwards (found by the independent reference model in
// /tmp/bookcheck, protocols.md B4 L531 and L540: a delta whose prevSeqNum is not the last applied
// seqNum is a gap). The book drops a delta that is not newer as a repeat, which is harmless for
// one duplicate; but a chain that carries on below the last applied seqNum (a sequence restarted
// without a snapshot) must not leave a live book frozen while every delta is dropped.
#include <gtest/gtest.h>

#include "book/book_test_util.hpp"
#include "mde/book/order_book.hpp"

namespace mde {
namespace {

using test::dec;
using test::make_delta;
using test::make_snapshot;
using test::with_flags;

BookUpdate btse_snapshot(std::uint64_t seq) {
  return with_flags(make_snapshot(seq, {{"100", "1"}, {"99", "2"}}, {{"101", "4"}, {"102", "3"}}),
                    kBookSnapshotResets);
}

TEST(BtseBook, DeltasWhoseSeqNumKeepsGoingBackwardsMakeTheBookStaleInsteadOfFreezingIt) {
  OrderBook b;
  ASSERT_EQ(b.apply(btse_snapshot(100)), BookApply::applied);
  ASSERT_EQ(b.apply(make_delta(101, 100, {{"100", "5"}}, {})), BookApply::applied);
  // The chain restarts far below: each delta chains to the one before it, none to seqNum 101.
  EXPECT_EQ(b.apply(make_delta(2, 1, {{"100", "6"}}, {})), BookApply::dropped_old_id);
  EXPECT_EQ(b.apply(make_delta(3, 2, {{"100", "7"}}, {})), BookApply::dropped_old_id);
  EXPECT_EQ(b.status(), BookStatus::live);
  EXPECT_EQ(b.apply(make_delta(4, 3, {{"100", "8"}}, {})), BookApply::ids_went_backwards);
  EXPECT_EQ(b.status(), BookStatus::stale);
  EXPECT_EQ(b.stale_reason(), StaleReason::ids_went_backwards);
  EXPECT_TRUE(b.last_change().status_changed);
  EXPECT_EQ(b.counters().ids_went_backwards, 1u);
  // The resubscribe's snapshot carries the new chain on.
  ASSERT_EQ(b.apply(btse_snapshot(5)), BookApply::applied);
  EXPECT_EQ(b.status(), BookStatus::live);
  EXPECT_EQ(b.apply(make_delta(6, 5, {{"100", "9"}}, {})), BookApply::applied);
  EXPECT_EQ(b.best_bid()->qty, dec("9"));
}

TEST(BtseBook, RepeatedDeltasBetweenFreshOnesNeverAddUpToAResync) {
  OrderBook b;
  ASSERT_EQ(b.apply(btse_snapshot(100)), BookApply::applied);
  const BookUpdate d101 = make_delta(101, 100, {{"100", "5"}}, {});
  ASSERT_EQ(b.apply(d101), BookApply::applied);
  // An equal seqNum is the last delta again: it neither counts nor breaks a run.
  EXPECT_EQ(b.apply(d101), BookApply::dropped_old_id);
  EXPECT_EQ(b.apply(d101), BookApply::dropped_old_id);
  EXPECT_EQ(b.apply(make_delta(100, 99, {{"100", "1"}}, {})), BookApply::dropped_old_id);
  EXPECT_EQ(b.apply(make_delta(99, 98, {{"100", "1"}}, {})), BookApply::dropped_old_id);
  // An applied delta restarts the count.
  ASSERT_EQ(b.apply(make_delta(102, 101, {{"99", "3"}}, {})), BookApply::applied);
  EXPECT_EQ(b.apply(make_delta(100, 99, {{"100", "1"}}, {})), BookApply::dropped_old_id);
  EXPECT_EQ(b.apply(make_delta(101, 100, {{"100", "1"}}, {})), BookApply::dropped_old_id);
  ASSERT_EQ(b.apply(make_delta(103, 102, {{"99", "4"}}, {})), BookApply::applied);
  EXPECT_EQ(b.status(), BookStatus::live);
  EXPECT_EQ(b.counters().ids_went_backwards, 0u);
  EXPECT_EQ(b.best_bid()->qty, dec("5"));
}

}  // namespace
}  // namespace mde
