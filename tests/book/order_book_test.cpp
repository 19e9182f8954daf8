#include "mde/book/order_book.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "book/book_test_util.hpp"

namespace mde {
namespace {

using test::dec;
using test::make_delta;
using test::make_snapshot;
using test::with_flags;

// The DEFAULT ORDERBOOK example of protocols.md A2 (XRP-KRW), levels in wire order: asks run
// worst-first, bids best-first.
BookUpdate coinone_default_frame() {
  return make_snapshot(
      1693560155038001,
      {{"687.4", "6704.0994"}, {"687.3", "4542.9611"}, {"687.2", "71156.78279601"},
       {"687.1", "53780.7146"}, {"686.9", "70626.7082"}, {"686.7", "21916.4"},
       {"686.2", "83681.5566"}, {"686.1", "68713.9938"}, {"686", "40924.2591"},
       {"685.9", "50582.5608"}, {"685.8", "76424.6626"}, {"685.7", "15156.0563"},
       {"685.5", "2217.4175"}, {"685.4", "53224.163"}, {"685.3", "71617.0263"},
       {"685.2", "39610.424"}},
      {{"695.5", "5000"}, {"692.1", "15000"}, {"690.9", "118063.7475"},
       {"690.3", "148087.1739"}, {"689.6", "68224.2457"}, {"689.5", "186287.9931"},
       {"689.4", "71662.5113"}, {"688.9", "76424.6626"}, {"688.7", "186287.9931"},
       {"688.6", "52112.0062"}, {"688.3", "84992.9448"}, {"687.9", "8934.5617"},
       {"687.8", "89196.0133"}, {"687.7", "40036.8193"}, {"687.6", "85887.7396"},
       {"687.5", "47022.8803"}});
}

// The BTSE snapshot example of protocols.md B4 (asks worst-first there too).
BookUpdate btse_snapshot() {
  return make_snapshot(628282,
                       {{"59252.5", "0.06865"}, {"59249.0", "0.24000"}, {"59235.5", "0.16073"},
                        {"59235.0", "0.26626"}, {"59233.0", "0.50000"}},
                       {{"59292.0", "0.50000"}, {"59285.5", "0.24000"}, {"59285.0", "0.15598"},
                        {"59282.5", "0.06829"}, {"59278.5", "0.01472"}});
}

std::vector<std::string> prices(std::span<const PriceLevel> side) {
  std::vector<std::string> out;
  for (const PriceLevel& l : side) out.push_back(l.price.to_string());
  return out;
}

TEST(OrderBook, StartsEmptyWithNoLevels) {
  OrderBook b;
  EXPECT_EQ(b.status(), BookStatus::empty);
  EXPECT_TRUE(b.bids().empty());
  EXPECT_TRUE(b.asks().empty());
  EXPECT_FALSE(b.best_bid());
  EXPECT_FALSE(b.resync_requested());
}

TEST(OrderBook, NormalisesCoinoneSnapshotWithAsksWorstFirst) {
  OrderBook b;
  ASSERT_EQ(b.apply(coinone_default_frame()), BookApply::applied);
  EXPECT_EQ(b.status(), BookStatus::live);
  EXPECT_EQ(b.last_id(), 1693560155038001u);
  EXPECT_EQ(prices(b.asks()),
            (std::vector<std::string>{"687.5", "687.6", "687.7", "687.8", "687.9", "688.3",
                                      "688.6", "688.7", "688.9", "689.4", "689.5", "689.6",
                                      "690.3", "690.9", "692.1", "695.5"}));
  EXPECT_EQ(prices(b.bids()),
            (std::vector<std::string>{"687.4", "687.3", "687.2", "687.1", "686.9", "686.7",
                                      "686.2", "686.1", "686", "685.9", "685.8", "685.7",
                                      "685.5", "685.4", "685.3", "685.2"}));
  ASSERT_TRUE(b.best_bid() && b.best_ask());
  EXPECT_EQ(b.best_bid()->price, dec("687.4"));
  EXPECT_EQ(b.best_bid()->qty, dec("6704.0994"));
  EXPECT_EQ(b.best_ask()->price, dec("687.5"));
  EXPECT_EQ(b.best_ask()->qty, dec("47022.8803"));
  EXPECT_EQ(b.asks().back().qty, dec("5000"));  // the worst ask keeps its own quantity
  EXPECT_EQ(b.counters().snapshots, 1u);
  EXPECT_TRUE(b.last_change().status_changed);
  EXPECT_EQ(b.last_change().bids_from, 0);
  EXPECT_EQ(b.last_change().asks_from, 0);
}

TEST(OrderBook, SortsSnapshotLevelsGivenInAnyOrder) {
  OrderBook b;
  ASSERT_EQ(b.apply(make_snapshot(1, {{"99", "1"}, {"101", "2"}, {"100", "3"}},
                                  {{"103", "1"}, {"102", "2"}, {"105", "3"}, {"104", "4"}})),
            BookApply::applied);
  EXPECT_EQ(prices(b.bids()), (std::vector<std::string>{"101", "100", "99"}));
  EXPECT_EQ(prices(b.asks()), (std::vector<std::string>{"102", "103", "104", "105"}));
  EXPECT_EQ(b.bids()[0].qty, dec("2"));
  EXPECT_EQ(b.asks()[2].qty, dec("4"));
}

TEST(OrderBook, SkipsZeroQuantityLevelsInSnapshot) {
  OrderBook b;
  ASSERT_EQ(b.apply(make_snapshot(1, {{"100", "0"}, {"99", "1"}}, {{"101", "0.000"}})),
            BookApply::applied);
  EXPECT_EQ(prices(b.bids()), (std::vector<std::string>{"99"}));
  EXPECT_TRUE(b.asks().empty());
  EXPECT_EQ(b.status(), BookStatus::live);  // a thin (even one-sided) book is still a book
}

TEST(OrderBook, DropsSnapshotWhoseIdIsNotNewer) {
  OrderBook b;
  ASSERT_EQ(b.apply(make_snapshot(10, {{"100", "1"}}, {{"101", "1"}})), BookApply::applied);
  // A duplicate SUBSCRIBE replays the book with the same id; an older one may also straggle in.
  EXPECT_EQ(b.apply(make_snapshot(10, {{"90", "1"}}, {{"91", "1"}})), BookApply::dropped_old_id);
  EXPECT_EQ(b.apply(make_snapshot(9, {{"90", "1"}}, {{"91", "1"}})), BookApply::dropped_old_id);
  EXPECT_EQ(b.counters().old_id_drops, 2u);
  EXPECT_EQ(b.counters().snapshots, 1u);
  EXPECT_EQ(b.best_bid()->price, dec("100"));
  EXPECT_FALSE(b.last_change().levels_changed());
  EXPECT_EQ(b.last_change().result, BookApply::dropped_old_id);
  EXPECT_EQ(b.status(), BookStatus::live);

  EXPECT_EQ(b.apply(make_snapshot(11, {{"90", "1"}}, {{"91", "1"}})), BookApply::applied);
  EXPECT_EQ(b.best_bid()->price, dec("90"));
}

TEST(OrderBook, RejectsSnapshotWithRepeatedPriceWithoutTouchingLevels) {
  OrderBook b;
  ASSERT_EQ(b.apply(make_snapshot(1, {{"100", "1"}}, {{"101", "1"}})), BookApply::applied);
  // "86626.0" and "86626" are one price: a snapshot may not give it twice.
  EXPECT_EQ(b.apply(make_snapshot(2, {{"99", "1"}, {"98", "1"}, {"99.0", "2"}}, {{"101", "1"}})),
            BookApply::malformed);
  EXPECT_EQ(b.status(), BookStatus::stale);
  EXPECT_EQ(b.counters().malformed, 1u);
  EXPECT_EQ(prices(b.bids()), (std::vector<std::string>{"100"}));
  EXPECT_EQ(b.last_id(), 1u);
}

TEST(OrderBook, RejectsNegativeQuantity) {
  OrderBook b;
  EXPECT_EQ(b.apply(make_snapshot(1, {{"100", "-1"}}, {})), BookApply::malformed);
  EXPECT_EQ(b.status(), BookStatus::stale);
  ASSERT_EQ(b.apply(make_snapshot(2, {{"100", "1"}}, {{"101", "1"}})), BookApply::applied);
  EXPECT_EQ(b.apply(make_delta(3, 2, {}, {{"102", "-0.5"}})), BookApply::malformed);
  EXPECT_EQ(b.status(), BookStatus::stale);
  EXPECT_EQ(b.counters().malformed, 2u);
}

TEST(OrderBook, DeltaInsertsUpdatesAndDeletesByExactPrice) {
  OrderBook b;
  ASSERT_EQ(b.apply(btse_snapshot()), BookApply::applied);
  // The doc's delta: a new ask level, and a delete of a level this book never had.
  ASSERT_EQ(b.apply(make_delta(628283, 628282, {}, {{"59367.5", "2.15622"}, {"59325.5", "0"}})),
            BookApply::applied);
  EXPECT_EQ(prices(b.asks()), (std::vector<std::string>{"59278.5", "59282.5", "59285", "59285.5",
                                                         "59292", "59367.5"}));
  EXPECT_EQ(b.last_change().asks_from, 5);
  EXPECT_EQ(b.last_change().bids_from, BookChange::kNone);

  // Update by the same price written differently, insert inside, delete the best.
  ASSERT_EQ(b.apply(make_delta(628284, 628283, {{"59249", "1.5"}, {"59240", "0.3"}},
                               {{"59278.50", "0"}})),
            BookApply::applied);
  EXPECT_EQ(prices(b.bids()), (std::vector<std::string>{"59252.5", "59249", "59240", "59235.5",
                                                         "59235", "59233"}));
  EXPECT_EQ(b.bids()[1].qty, dec("1.5"));
  EXPECT_EQ(b.bids()[2].qty, dec("0.3"));
  EXPECT_EQ(b.best_ask()->price, dec("59282.5"));
  EXPECT_EQ(b.last_id(), 628284u);
  EXPECT_EQ(b.counters().deltas, 2u);
  EXPECT_EQ(b.status(), BookStatus::live);
}

TEST(OrderBook, DeltaThatDeletesAnAbsentLevelChangesNothing) {
  OrderBook b;
  ASSERT_EQ(b.apply(btse_snapshot()), BookApply::applied);
  ASSERT_EQ(b.apply(make_delta(628283, 628282, {{"1", "0"}}, {{"99999", "0"}})),
            BookApply::applied);
  EXPECT_FALSE(b.last_change().levels_changed());
  EXPECT_EQ(b.bids().size(), 5u);
  EXPECT_EQ(b.asks().size(), 5u);
  EXPECT_EQ(b.last_id(), 628283u);  // the chain still moves on
}

TEST(OrderBook, GapMakesBookStaleUntilResyncSnapshotMakesItLive) {
  OrderBook b;
  ASSERT_EQ(b.apply(btse_snapshot()), BookApply::applied);
  ASSERT_EQ(b.apply(make_delta(628283, 628282, {{"59250", "1"}}, {})), BookApply::applied);

  // 628284 went missing.
  EXPECT_EQ(b.apply(make_delta(628285, 628284, {{"59251", "1"}}, {})), BookApply::gap);
  EXPECT_EQ(b.status(), BookStatus::stale);
  EXPECT_TRUE(b.resync_requested());
  EXPECT_TRUE(b.last_change().status_changed);
  EXPECT_EQ(b.stale_reason(), StaleReason::gap);
  EXPECT_EQ(b.counters().gaps, 1u);
  EXPECT_EQ(b.counters().resync_requests, 1u);
  EXPECT_EQ(b.bids().size(), 6u);  // the gapped delta was not applied

  // A delta on a book that is not live is a gap too, even one that would chain.
  EXPECT_EQ(b.apply(make_delta(628286, 628285, {{"59251", "2"}}, {})), BookApply::gap);
  EXPECT_FALSE(b.last_change().status_changed);
  // The engine forwards the request to the feed and acknowledges it.
  EXPECT_TRUE(b.mark_resyncing());
  EXPECT_EQ(b.status(), BookStatus::resyncing);
  EXPECT_EQ(b.stale_reason(), StaleReason::gap);
  EXPECT_FALSE(b.resync_requested());
  // While resyncing, a delta is still a gap, and the book keeps waiting (its request is out).
  EXPECT_EQ(b.apply(make_delta(628287, 628286, {{"59251", "3"}}, {})), BookApply::gap);
  EXPECT_EQ(b.status(), BookStatus::resyncing);
  EXPECT_EQ(b.counters().not_live_drops, 2u);
  EXPECT_EQ(b.counters().resync_requests, 1u);

  // The resubscribe's snapshot continues the chain (BTSE does not reset seqNum).
  BookUpdate fresh = btse_snapshot();
  fresh.id = 628290;
  EXPECT_EQ(b.apply(fresh), BookApply::applied);
  EXPECT_EQ(b.status(), BookStatus::live);
  EXPECT_EQ(b.stale_reason(), StaleReason::none);
  EXPECT_TRUE(b.last_change().status_changed);
  EXPECT_EQ(prices(b.bids()).front(), "59252.5");
  EXPECT_EQ(b.bids().size(), 5u);
  EXPECT_EQ(b.apply(make_delta(628291, 628290, {{"59251", "1"}}, {})), BookApply::applied);
  EXPECT_EQ(b.counters().gaps, 1u);
}

TEST(OrderBook, DeltaBeforeAnySnapshotIsAGap) {
  OrderBook b;
  EXPECT_EQ(b.apply(make_delta(2, 1, {{"100", "1"}}, {})), BookApply::gap);
  EXPECT_EQ(b.status(), BookStatus::stale);
  EXPECT_EQ(b.stale_reason(), StaleReason::gap);
  EXPECT_TRUE(b.bids().empty());
}

TEST(OrderBook, RepeatedDeltaIsDroppedNotTreatedAsGap) {
  OrderBook b;
  ASSERT_EQ(b.apply(btse_snapshot()), BookApply::applied);
  const BookUpdate d = make_delta(628283, 628282, {{"59250", "1"}}, {});
  ASSERT_EQ(b.apply(d), BookApply::applied);
  EXPECT_EQ(b.apply(d), BookApply::dropped_old_id);
  EXPECT_EQ(b.status(), BookStatus::live);
  EXPECT_EQ(b.counters().old_id_drops, 1u);
  EXPECT_EQ(b.counters().gaps, 0u);
}

TEST(OrderBook, CrossedDeltaMarksBookStale) {
  OrderBook b;
  ASSERT_EQ(b.apply(btse_snapshot()), BookApply::applied);
  // A bid at the best ask: best bid >= best ask.
  EXPECT_EQ(b.apply(make_delta(628283, 628282, {{"59278.5", "1"}}, {})), BookApply::crossed);
  EXPECT_EQ(b.status(), BookStatus::stale);
  EXPECT_EQ(b.stale_reason(), StaleReason::crossed);
  EXPECT_EQ(b.counters().crossed, 1u);
  EXPECT_EQ(b.counters().deltas, 1u);  // it was applied; the book is just not trusted
  EXPECT_EQ(b.last_change().bids_from, 0);
}

TEST(OrderBook, CrossedSnapshotMarksBookStale) {
  OrderBook b;
  EXPECT_EQ(b.apply(make_snapshot(1, {{"101", "1"}}, {{"100", "1"}})), BookApply::crossed);
  EXPECT_EQ(b.status(), BookStatus::stale);
  EXPECT_EQ(b.apply(make_snapshot(2, {{"99", "1"}}, {{"100", "1"}})), BookApply::applied);
  EXPECT_EQ(b.status(), BookStatus::live);
}

// A snapshot of kCapacity levels a side (prices 1000 down / 1001 up), in parts of
// kMaxBookLevels as a decoder publishes it.
std::vector<BookUpdate> full_book(std::uint64_t id) {
  std::vector<BookUpdate> parts(OrderBook::kCapacity / kMaxBookLevels);
  for (std::size_t p = 0; p < parts.size(); ++p) {
    BookUpdate& u = parts[p];
    u = BookUpdate{};
    u.id = id;
    u.action = BookAction::snapshot;
    u.part_flags = static_cast<std::uint8_t>((p + 1 < parts.size() ? kBookPartMore : 0) |
                                             (p != 0 ? kBookPartContinued : 0));
    u.bid_count = u.ask_count = static_cast<std::uint8_t>(kMaxBookLevels);
    for (std::size_t i = 0; i < kMaxBookLevels; ++i) {
      const auto k = static_cast<std::int64_t>(p * kMaxBookLevels + i);
      u.bids[i] = {Decimal::from_integer(1000 - k), Decimal::from_integer(1)};
      u.asks[i] = {Decimal::from_integer(1001 + k), Decimal::from_integer(1)};
    }
  }
  return parts;
}

void apply_all(OrderBook& b, const std::vector<BookUpdate>& parts, BookApply last) {
  for (std::size_t p = 0; p + 1 < parts.size(); ++p) {
    ASSERT_EQ(b.apply(parts[p]), BookApply::pending) << "part " << p;
  }
  ASSERT_EQ(b.apply(parts.back()), last);
}

TEST(OrderBook, SnapshotInPartsFillsTheWholeCapacity) {
  OrderBook b;
  apply_all(b, full_book(1), BookApply::applied);
  EXPECT_EQ(b.bids().size(), OrderBook::kCapacity);
  EXPECT_EQ(b.asks().size(), OrderBook::kCapacity);
  EXPECT_EQ(b.bids().back().price, dec("745"));
  EXPECT_EQ(b.asks().back().price, dec("1256"));
  EXPECT_EQ(b.counters().snapshots, 1u);
  EXPECT_EQ(b.counters().parts, OrderBook::kCapacity / kMaxBookLevels - 1);  // continuations
  EXPECT_EQ(b.status(), BookStatus::live);
}

TEST(OrderBook, DeltaBeyondCapacityMarksBookStaleWithReasonOverflow) {
  OrderBook b;
  apply_all(b, full_book(1), BookApply::applied);
  ASSERT_EQ(b.bids().size(), OrderBook::kCapacity);
  // Replacing a level and deleting one fit; a new price on a full side does not.
  EXPECT_EQ(b.apply(make_delta(2, 1, {{"1000", "5"}, {"937", "0"}}, {})), BookApply::applied);
  EXPECT_EQ(b.apply(make_delta(3, 2, {{"500", "1"}}, {})), BookApply::applied);
  EXPECT_EQ(b.bids().size(), OrderBook::kCapacity);
  EXPECT_EQ(b.apply(make_delta(4, 3, {}, {{"2000", "1"}})), BookApply::overflow);
  EXPECT_EQ(b.status(), BookStatus::stale);
  EXPECT_EQ(b.stale_reason(), StaleReason::overflow);
  EXPECT_EQ(b.counters().overflows, 1u);
  EXPECT_EQ(b.asks().size(), OrderBook::kCapacity);  // nothing truncated to make room
}

TEST(OrderBook, InsertsListedBeforeTheirDeletesDoNotOverflowAFullSide) {
  OrderBook b;
  apply_all(b, full_book(1), BookApply::applied);
  // Wire order: two new prices first, then the deletes that bring the side back to capacity.
  ASSERT_EQ(b.apply(make_delta(2, 1, {}, {{"1000.5", "1"}, {"2000", "1"}, {"1256", "0"},
                                          {"1255", "0"}})),
            BookApply::applied);
  EXPECT_EQ(b.asks().size(), OrderBook::kCapacity);
  EXPECT_EQ(b.best_ask()->price, dec("1000.5"));
  EXPECT_EQ(b.asks().back().price, dec("2000"));
  EXPECT_EQ(b.status(), BookStatus::live);
}

TEST(OrderBook, ReportsWhichLevelsChanged) {
  OrderBook b;
  ASSERT_EQ(b.apply(btse_snapshot()), BookApply::applied);

  ASSERT_EQ(b.apply(make_delta(628283, 628282, {{"59235.0", "9"}}, {})), BookApply::applied);
  EXPECT_EQ(b.last_change().bids_from, 3);
  EXPECT_EQ(b.last_change().asks_from, BookChange::kNone);
  EXPECT_FALSE(b.last_change().top_of_book());
  EXPECT_FALSE(b.last_change().status_changed);

  ASSERT_EQ(b.apply(make_delta(628284, 628283, {{"59233", "0"}}, {{"59278.5", "7"}})),
            BookApply::applied);
  EXPECT_EQ(b.last_change().bids_from, 4);
  EXPECT_EQ(b.last_change().asks_from, 0);
  EXPECT_TRUE(b.last_change().top_of_book());

  // A snapshot repeating the same levels with a new id (Coinone's idle repeat) changes nothing.
  BookUpdate same{};
  same.id = 628290;
  same.action = BookAction::snapshot;
  same.bid_count = static_cast<std::uint8_t>(b.bids().size());
  same.ask_count = static_cast<std::uint8_t>(b.asks().size());
  for (std::size_t i = 0; i < b.bids().size(); ++i) same.bids[i] = b.bids()[i];
  for (std::size_t i = 0; i < b.asks().size(); ++i) same.asks[i] = b.asks()[b.asks().size() - 1 - i];
  ASSERT_EQ(b.apply(same), BookApply::applied);
  EXPECT_FALSE(b.last_change().levels_changed());

  // A snapshot that differs from the third ask on, and drops the last bid.
  same.id = 628291;
  same.asks[same.ask_count - 3].qty = dec("0.001");
  --same.bid_count;
  ASSERT_EQ(b.apply(same), BookApply::applied);
  EXPECT_EQ(b.last_change().asks_from, 2);
  EXPECT_EQ(b.last_change().bids_from, 3);
  EXPECT_EQ(b.asks()[2].qty, dec("0.001"));
  EXPECT_EQ(b.bids().size(), 3u);
}

TEST(OrderBook, MarkStaleFromOutsideRequestsResync) {
  OrderBook b;
  ASSERT_EQ(b.apply(btse_snapshot()), BookApply::applied);
  EXPECT_TRUE(b.mark_stale(StaleReason::dropped_upstream));
  EXPECT_TRUE(b.resync_requested());
  EXPECT_EQ(b.stale_reason(), StaleReason::dropped_upstream);
  EXPECT_FALSE(b.mark_stale(StaleReason::reconnect));
  EXPECT_EQ(b.stale_reason(), StaleReason::dropped_upstream);  // the first reason stays
  EXPECT_EQ(b.counters().marked_stale, 1u);
  EXPECT_EQ(b.apply(make_delta(628283, 628282, {{"59250", "1"}}, {})), BookApply::gap);
}

TEST(OrderBook, MarkResyncingOnlyActsOnStaleBook) {
  OrderBook b;
  EXPECT_FALSE(b.mark_resyncing());
  ASSERT_EQ(b.apply(btse_snapshot()), BookApply::applied);
  EXPECT_FALSE(b.mark_resyncing());
  EXPECT_EQ(b.status(), BookStatus::live);
}

TEST(OrderBook, ResetAcceptsRestartedIdsAndKeepsCounters) {
  OrderBook b;
  ASSERT_EQ(b.apply(btse_snapshot()), BookApply::applied);
  b.reset();
  EXPECT_EQ(b.status(), BookStatus::empty);
  EXPECT_TRUE(b.bids().empty());
  EXPECT_EQ(b.apply(make_snapshot(5, {{"1", "1"}}, {{"2", "1"}})), BookApply::applied);
  EXPECT_EQ(b.counters().snapshots, 2u);
}

// ---- Duplicates and snapshots that reset the chain ------------------------------------------

TEST(OrderBook, DuplicateDeltaOnAStaleBookChangesNothing) {
  OrderBook b;
  ASSERT_EQ(b.apply(btse_snapshot()), BookApply::applied);
  ASSERT_EQ(b.apply(make_delta(628284, 628283, {{"59250", "1"}}, {})), BookApply::gap);
  ASSERT_TRUE(b.mark_resyncing());
  // Not newer than the last applied id: a duplicate, whatever the status, and no status change.
  EXPECT_EQ(b.apply(make_delta(628282, 628281, {{"59250", "1"}}, {})),
            BookApply::dropped_old_id);
  EXPECT_EQ(b.status(), BookStatus::resyncing);
  EXPECT_FALSE(b.last_change().status_changed);
  EXPECT_EQ(b.counters().old_id_drops, 1u);
}

TEST(OrderBook, ResettingSnapshotIsAcceptedWhateverItsIdAndChecksNothingElse) {
  OrderBook b;
  ASSERT_EQ(b.apply(btse_snapshot()), BookApply::applied);
  // An older seqNum: BTSE's snapshot still replaces the book, and the chain continues from it.
  BookUpdate older = with_flags(btse_snapshot(), kBookSnapshotResets);
  older.id = 5;
  older.bids[0].qty = dec("9");
  ASSERT_EQ(b.apply(older), BookApply::applied);
  EXPECT_EQ(b.last_id(), 5u);
  EXPECT_EQ(b.best_bid()->qty, dec("9"));
  EXPECT_EQ(b.apply(make_delta(6, 5, {{"59250", "1"}}, {})), BookApply::applied);
  // A crossed resetting snapshot is taken as it is (the reference algorithm checks nothing) ...
  ASSERT_EQ(b.apply(with_flags(make_snapshot(7, {{"101", "1"}}, {{"100", "1"}}),
                               kBookSnapshotResets)),
            BookApply::applied);
  EXPECT_EQ(b.status(), BookStatus::live);
  // ... and the next delta that leaves it crossed makes it stale.
  EXPECT_EQ(b.apply(make_delta(8, 7, {{"99", "1"}}, {})), BookApply::crossed);
  EXPECT_EQ(b.stale_reason(), StaleReason::crossed);
}

TEST(OrderBook, SnapshotOnAStaleBookIsAcceptedWhateverItsId) {
  // Coinone restarted: its ids start again from a small number.
  OrderBook b;
  ASSERT_EQ(b.apply(make_snapshot(1'000'000, {{"100", "1"}}, {{"101", "1"}})), BookApply::applied);
  ASSERT_TRUE(b.mark_stale(StaleReason::reconnect));
  EXPECT_EQ(b.apply(make_snapshot(7, {{"90", "1"}}, {{"91", "1"}})), BookApply::applied);
  EXPECT_EQ(b.status(), BookStatus::live);
  EXPECT_EQ(b.last_id(), 7u);
  EXPECT_EQ(b.apply(make_snapshot(8, {{"90", "2"}}, {{"91", "1"}})), BookApply::applied);
}

TEST(OrderBook, ThreeOlderSnapshotsInARowMakeTheBookStaleThenTheNextOneIsAccepted) {
  OrderBook b;
  ASSERT_EQ(b.apply(make_snapshot(100, {{"100", "1"}}, {{"101", "1"}})), BookApply::applied);
  // One bogus huge id; the venue's real ids continue below it.
  ASSERT_EQ(b.apply(make_snapshot(1'000'000'000, {{"100", "2"}}, {{"101", "1"}})),
            BookApply::applied);
  EXPECT_EQ(b.apply(make_snapshot(101, {{"90", "1"}}, {{"91", "1"}})), BookApply::dropped_old_id);
  // An equal id is a harmless repeat: it neither counts nor breaks the run.
  EXPECT_EQ(b.apply(make_snapshot(1'000'000'000, {{"90", "1"}}, {{"91", "1"}})),
            BookApply::dropped_old_id);
  EXPECT_EQ(b.apply(make_snapshot(102, {{"90", "1"}}, {{"91", "1"}})), BookApply::dropped_old_id);
  EXPECT_EQ(b.status(), BookStatus::live);
  EXPECT_EQ(b.apply(make_snapshot(103, {{"90", "1"}}, {{"91", "1"}})),
            BookApply::ids_went_backwards);
  EXPECT_EQ(b.status(), BookStatus::stale);
  EXPECT_EQ(b.stale_reason(), StaleReason::ids_went_backwards);
  EXPECT_TRUE(b.last_change().status_changed);
  EXPECT_EQ(b.counters().ids_went_backwards, 1u);
  EXPECT_EQ(b.best_bid()->qty, dec("2"));  // frozen data, but no longer live
  EXPECT_EQ(b.apply(make_snapshot(104, {{"90", "1"}}, {{"91", "1"}})), BookApply::applied);
  EXPECT_EQ(b.status(), BookStatus::live);
  EXPECT_EQ(b.best_bid()->price, dec("90"));
}

TEST(OrderBook, AnAppliedSnapshotRestartsTheCountOfOlderOnes) {
  OrderBook b;
  ASSERT_EQ(b.apply(make_snapshot(100, {{"100", "1"}}, {{"101", "1"}})), BookApply::applied);
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(b.apply(make_snapshot(50, {{"90", "1"}}, {{"91", "1"}})), BookApply::dropped_old_id);
    EXPECT_EQ(b.apply(make_snapshot(51, {{"90", "1"}}, {{"91", "1"}})), BookApply::dropped_old_id);
    ASSERT_EQ(b.apply(make_snapshot(101 + round, {{"100", "1"}}, {{"101", "1"}})),
              BookApply::applied);
  }
  EXPECT_EQ(b.status(), BookStatus::live);
  EXPECT_EQ(b.counters().ids_went_backwards, 0u);
}

// ---- Updates in several parts ---------------------------------------------------------------

TEST(OrderBook, DeltaInPartsIsOneUpdateCheckedForCrossingOnlyAfterItsLastPart) {
  OrderBook b;
  ASSERT_EQ(b.apply(btse_snapshot()), BookApply::applied);
  // The first part crosses the book on its own; the second removes the ask it crosses.
  EXPECT_EQ(b.apply(with_flags(make_delta(628283, 628282, {{"59280", "1"}}, {}), kBookPartMore)),
            BookApply::pending);
  EXPECT_EQ(b.status(), BookStatus::live);
  EXPECT_EQ(b.apply(with_flags(make_delta(628283, 628282, {}, {{"59278.5", "0"}}),
                               kBookPartContinued)),
            BookApply::applied);
  EXPECT_EQ(b.status(), BookStatus::live);
  EXPECT_EQ(b.best_bid()->price, dec("59280"));
  EXPECT_EQ(b.best_ask()->price, dec("59282.5"));
  // The change report covers both parts.
  EXPECT_EQ(b.last_change().bids_from, 0);
  EXPECT_EQ(b.last_change().asks_from, 0);
  EXPECT_EQ(b.last_change().result, BookApply::applied);
  EXPECT_EQ(b.counters().deltas, 1u);
  EXPECT_EQ(b.counters().parts, 1u);
  EXPECT_EQ(b.last_id(), 628283u);
}

TEST(OrderBook, ContinuationOfARejectedFirstPartIsDropped) {
  OrderBook b;
  ASSERT_EQ(b.apply(btse_snapshot()), BookApply::applied);
  ASSERT_EQ(b.apply(make_delta(628283, 628282, {{"59250", "1"}}, {})), BookApply::applied);
  // A duplicate in two parts: the first part is dropped, so is the continuation.
  EXPECT_EQ(b.apply(with_flags(make_delta(628283, 628282, {{"59240", "1"}}, {}), kBookPartMore)),
            BookApply::dropped_old_id);
  EXPECT_EQ(b.apply(with_flags(make_delta(628283, 628282, {{"59241", "1"}}, {}),
                               kBookPartContinued)),
            BookApply::dropped_part);
  EXPECT_EQ(b.bids().size(), 6u);
  EXPECT_EQ(b.status(), BookStatus::live);
  EXPECT_EQ(b.counters().part_drops, 1u);
  // A continuation with no first part at all (lost upstream) is dropped too.
  EXPECT_EQ(b.apply(with_flags(make_delta(628284, 628283, {{"59242", "1"}}, {}),
                               kBookPartContinued)),
            BookApply::dropped_part);
  EXPECT_EQ(b.last_id(), 628283u);
}

TEST(OrderBook, OverflowInALaterPartMarksTheBookStale) {
  OrderBook b;
  apply_all(b, full_book(1), BookApply::applied);
  ASSERT_EQ(b.apply(with_flags(make_delta(2, 1, {{"745", "0"}}, {}), kBookPartMore)),
            BookApply::pending);
  EXPECT_EQ(b.apply(with_flags(make_delta(2, 1, {{"1000.5", "1"}, {"1001.5", "1"}}, {}),
                               kBookPartContinued)),
            BookApply::overflow);
  EXPECT_EQ(b.stale_reason(), StaleReason::overflow);
  EXPECT_EQ(b.bids().size(), OrderBook::kCapacity);
}

TEST(OrderBook, AnUpdateLeftOpenByAMissingLastPartMarksTheBookStale) {
  OrderBook b;
  ASSERT_EQ(b.apply(btse_snapshot()), BookApply::applied);
  ASSERT_EQ(b.apply(with_flags(make_delta(628283, 628282, {{"59250", "1"}}, {}), kBookPartMore)),
            BookApply::pending);
  // A new first part: the open update never finished, its levels cannot be trusted.
  EXPECT_EQ(b.apply(make_delta(628284, 628283, {{"59251", "1"}}, {})), BookApply::gap);
  EXPECT_EQ(b.status(), BookStatus::stale);
  EXPECT_EQ(b.stale_reason(), StaleReason::malformed);
}

TEST(OrderBook, SnapshotPartsMakeAStaleBookLiveOnlyAfterTheLastPart) {
  OrderBook b;
  ASSERT_TRUE(b.mark_stale(StaleReason::reconnect));
  ASSERT_EQ(b.apply(with_flags(make_snapshot(9, {{"100", "1"}}, {{"101", "1"}}),
                               kBookPartMore | kBookSnapshotResets)),
            BookApply::pending);
  EXPECT_EQ(b.status(), BookStatus::stale);
  ASSERT_EQ(b.apply(with_flags(make_snapshot(9, {{"99", "1"}}, {{"102", "1"}}),
                               kBookPartContinued)),
            BookApply::applied);
  EXPECT_EQ(b.status(), BookStatus::live);
  EXPECT_TRUE(b.last_change().status_changed);
  EXPECT_EQ(prices(b.bids()), (std::vector<std::string>{"100", "99"}));
  EXPECT_EQ(prices(b.asks()), (std::vector<std::string>{"101", "102"}));
}

TEST(StaleReason, EveryReasonHasAName) {
  for (std::size_t i = 0; i < kStaleReasonCount; ++i) {
    EXPECT_STRNE(to_string(static_cast<StaleReason>(i)), "?") << i;
  }
  for (std::size_t i = 0; i < kBookApplyCount; ++i) {
    EXPECT_STRNE(to_string(static_cast<BookApply>(i)), "?") << i;
  }
}

}  // namespace
}  // namespace mde
