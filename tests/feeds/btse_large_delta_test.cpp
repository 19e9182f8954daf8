// Large BTSE book frames: a side with more entries than one BookUpdate holds travels as several
// parts with the right flags, one entry per price survives (the last on the wire), deletions come
// first, and a book applying the parts in order ends where the wire says and never holds more
// levels on the way than at the start or the end. Checked against a map model over random frames.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "mde/core/events.hpp"
#include "support/btse_harness.hpp"

namespace mde {
namespace {

using test::BtseHarness;

struct Entry {
  std::int64_t price;  // mantissas
  std::int64_t size;
};

std::string text(std::int64_t mantissa, std::mt19937_64& rng) {
  std::string s = Decimal::from_mantissa(mantissa).to_string();
  // The venue keeps trailing zeros: "59249.0" is "59249"; zero has many spellings.
  if (rng() % 3 == 0) s += s.find('.') == std::string::npos ? ".0" : "0";
  if (mantissa == 0 && rng() % 2 == 0) s = "0.00000";
  return s;
}

std::string frame(const std::vector<Entry>& bids, const std::vector<Entry>& asks,
                  std::string_view type, std::uint64_t seq, std::mt19937_64& rng) {
  auto side = [&](const std::vector<Entry>& entries) {
    std::string s = "[";
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (i) s += ',';
      s += "[\"" + text(entries[i].price, rng) + "\",\"" + text(entries[i].size, rng) + "\"]";
    }
    return s + "]";
  };
  return R"({"topic":"update:BTC-USD_0","data":{"bids":)" + side(bids) + R"(,"asks":)" +
         side(asks) + R"(,"seqNum":)" + std::to_string(seq) + R"(,"prevSeqNum":)" +
         std::to_string(seq - 1) + R"(,"type":")" + std::string(type) +
         R"(","timestamp":1565135165600,"symbol":"BTC-USD"}})";
}

std::vector<Entry> random_side(std::size_t n, std::int64_t distinct_prices, std::mt19937_64& rng) {
  std::vector<Entry> v;
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t price = (1000 + static_cast<std::int64_t>(rng() % distinct_prices)) * 50'000'000;
    const std::int64_t size = rng() % 4 == 0 ? 0 : static_cast<std::int64_t>(1 + rng() % 100'000'000);
    v.push_back({price, size});
  }
  return v;
}

using Side = std::map<std::int64_t, std::int64_t>;

void apply_wire(Side& side, const std::vector<Entry>& entries) {
  for (const Entry& e : entries) {
    if (e.size == 0) side.erase(e.price);
    else side[e.price] = e.size;
  }
}

// Checks the part structure and returns each side's entries in emitted order.
void collect_parts(const std::vector<Event>& events, BookAction action, std::uint64_t seq,
                   std::vector<Entry>& bids, std::vector<Entry>& asks) {
  ASSERT_FALSE(events.empty());
  for (std::size_t i = 0; i < events.size(); ++i) {
    const BookUpdate& b = events[i].book;
    ASSERT_EQ(events[i].header.kind, EventKind::book);
    EXPECT_EQ(b.id, seq);
    EXPECT_EQ(b.prev_id, seq - 1);
    EXPECT_EQ(b.action, action);
    const bool last = i + 1 == events.size();
    EXPECT_EQ(b.has_more_parts(), !last) << "part " << i;
    EXPECT_EQ(b.is_continuation(), i > 0) << "part " << i;
    EXPECT_EQ((b.part_flags & kBookSnapshotResets) != 0, action == BookAction::snapshot);
    EXPECT_LE(b.bid_count, kMaxBookLevels);
    EXPECT_LE(b.ask_count, kMaxBookLevels);
    // Every part but the last is full on its longer side.
    if (!last) {
      EXPECT_EQ(std::max(b.bid_count, b.ask_count), kMaxBookLevels);
    }
    for (std::size_t k = 0; k < b.bid_count; ++k) {
      bids.push_back({b.bids[k].price.mantissa(), b.bids[k].qty.mantissa()});
    }
    for (std::size_t k = 0; k < b.ask_count; ++k) {
      asks.push_back({b.asks[k].price.mantissa(), b.asks[k].qty.mantissa()});
    }
  }
}

// One entry per price with the last wire size, deletions first, each group in the order of the
// prices' first appearance on the wire.
void expect_final_form(const std::vector<Entry>& wire, const std::vector<Entry>& emitted) {
  std::map<std::int64_t, std::int64_t> last;
  std::vector<std::int64_t> first_seen;
  for (const Entry& e : wire) {
    if (!last.count(e.price)) first_seen.push_back(e.price);
    last[e.price] = e.size;
  }
  std::vector<Entry> expected;
  for (std::int64_t p : first_seen) if (last[p] == 0) expected.push_back({p, 0});
  for (std::int64_t p : first_seen) if (last[p] != 0) expected.push_back({p, last[p]});
  ASSERT_EQ(emitted.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(emitted[i].price, expected[i].price) << i;
    EXPECT_EQ(emitted[i].size, expected[i].size) << i;
  }
}

TEST(BtseLargeDelta, TwoHundredEntriesASideTravelAsFourPartsWithTheirFlags) {
  BtseHarness h;
  std::mt19937_64 rng(1);
  std::vector<Entry> bids, asks;
  for (std::int64_t i = 0; i < 200; ++i) {
    bids.push_back({(2000 - i) * 100'000'000, i % 5 == 0 ? 0 : (i + 1) * 1'000});
    asks.push_back({(3000 + i) * 100'000'000, (i + 1) * 2'000});
  }
  ASSERT_TRUE(h.decode(frame(bids, asks, "delta", 42, rng)).ok());
  ASSERT_EQ(h.events().size(), 4u);
  const std::uint8_t counts[] = {64, 64, 64, 8};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(h.event(i).book.bid_count, counts[i]);
    EXPECT_EQ(h.event(i).book.ask_count, counts[i]);
    EXPECT_EQ(h.event(i).header.instrument, h.id("BTC-USD"));
  }
  EXPECT_EQ(h.event(0).book.part_flags, kBookPartMore);
  EXPECT_EQ(h.event(1).book.part_flags, kBookPartMore | kBookPartContinued);
  EXPECT_EQ(h.event(2).book.part_flags, kBookPartMore | kBookPartContinued);
  EXPECT_EQ(h.event(3).book.part_flags, kBookPartContinued);
  std::vector<Entry> got_bids, got_asks;
  collect_parts(h.events(), BookAction::delta, 42, got_bids, got_asks);
  expect_final_form(bids, got_bids);  // the 40 deletions lead the first part
  expect_final_form(asks, got_asks);
  EXPECT_TRUE(got_bids[39].size == 0 && got_bids[40].size != 0);
}

TEST(BtseLargeDelta, SidesOfDifferentLengthsShareTheParts) {
  BtseHarness h;
  std::mt19937_64 rng(2);
  std::vector<Entry> bids, asks;
  for (std::int64_t i = 0; i < 130; ++i) bids.push_back({(2000 - i) * 100'000'000, 1});
  asks.push_back({std::int64_t{3000} * 100'000'000, 1});
  ASSERT_TRUE(h.decode(frame(bids, asks, "delta", 9, rng)).ok());
  ASSERT_EQ(h.events().size(), 3u);
  EXPECT_EQ(h.event(0).book.ask_count, 1);
  EXPECT_EQ(h.event(1).book.ask_count, 0);
  EXPECT_EQ(h.event(2).book.bid_count, 2);
}

TEST(BtseLargeDelta, ALargeSnapshotMarksEveryPartAsResetting) {
  BtseHarness h;
  std::mt19937_64 rng(3);
  const std::vector<Entry> bids = random_side(100, 1000, rng);
  const std::vector<Entry> asks = random_side(100, 1000, rng);
  ASSERT_TRUE(h.decode(frame(bids, asks, "snapshot", 7, rng)).ok());
  std::vector<Entry> got_bids, got_asks;
  collect_parts(h.events(), BookAction::snapshot, 7, got_bids, got_asks);
  expect_final_form(bids, got_bids);
  expect_final_form(asks, got_asks);
}

TEST(BtseLargeDelta, DuplicatesKeepTheLastEntryOnBothDedupePaths) {
  BtseHarness h;
  std::mt19937_64 rng(4);
  std::vector<Entry> small = {{100, 5}, {200, 6}, {100, 0}, {300, 7}, {200, 8}, {100, 9}};
  ASSERT_TRUE(h.decode(frame(small, {}, "delta", 5, rng)).ok());
  std::vector<Entry> got, none;
  collect_parts(h.events(), BookAction::delta, 5, got, none);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_TRUE(got[0].price == 100 && got[0].size == 9);
  EXPECT_TRUE(got[1].price == 200 && got[1].size == 8);
  EXPECT_TRUE(got[2].price == 300 && got[2].size == 7);
  // Past the scan limit: the price index.
  std::vector<Entry> large = small;
  for (std::int64_t i = 0; i < 100; ++i) large.push_back({1000 + i, 1});
  large.push_back({200, 0});
  ASSERT_TRUE(h.decode(frame(large, {}, "delta", 6, rng)).ok());
  got.clear();
  collect_parts(h.events(), BookAction::delta, 6, got, none);
  expect_final_form(large, got);
  EXPECT_TRUE(got[0].price == 200 && got[0].size == 0);
}

TEST(BtseLargeDelta, RandomFramesMatchTheMapModelAndNeverGrowTheBookInBetween) {
  BtseHarness h;
  std::mt19937_64 rng(5);
  Side model_bids, model_asks;
  for (std::uint64_t seq = 2; seq < 600; ++seq) {
    // Sizes on both sides of the scan limit, prices dense enough to repeat within a frame.
    const std::size_t n = rng() % 4 == 0 ? 1 + rng() % 300 : rng() % 40;
    const std::int64_t distinct = 1 + static_cast<std::int64_t>(rng() % 200);
    const std::vector<Entry> bids = random_side(n, distinct, rng);
    const std::vector<Entry> asks = random_side(rng() % 3 == 0 ? 0 : n / 2 + 1, distinct, rng);
    ASSERT_TRUE(h.decode(frame(bids, asks, "delta", seq, rng)).ok());
    std::vector<Entry> got_bids, got_asks;
    collect_parts(h.events(), BookAction::delta, seq, got_bids, got_asks);
    expect_final_form(bids, got_bids);
    expect_final_form(asks, got_asks);

    // Apply the emitted parts in order, watching the size of each side.
    Side book_bids = model_bids;
    Side book_asks = model_asks;
    const std::size_t start_bids = book_bids.size(), start_asks = book_asks.size();
    std::size_t peak_bids = start_bids, peak_asks = start_asks;
    for (const Event& e : h.events()) {
      for (std::size_t k = 0; k < e.book.bid_count; ++k) {
        apply_wire(book_bids, {{e.book.bids[k].price.mantissa(), e.book.bids[k].qty.mantissa()}});
        peak_bids = std::max(peak_bids, book_bids.size());
      }
      for (std::size_t k = 0; k < e.book.ask_count; ++k) {
        apply_wire(book_asks, {{e.book.asks[k].price.mantissa(), e.book.asks[k].qty.mantissa()}});
        peak_asks = std::max(peak_asks, book_asks.size());
      }
    }
    apply_wire(model_bids, bids);
    apply_wire(model_asks, asks);
    ASSERT_EQ(book_bids, model_bids);
    ASSERT_EQ(book_asks, model_asks);
    EXPECT_LE(peak_bids, std::max(start_bids, model_bids.size()));
    EXPECT_LE(peak_asks, std::max(start_asks, model_asks.size()));
  }
}

}  // namespace
}  // namespace mde
