// The synthetic BTSE generator: determinism, the documented frame shapes, a book model built from
// the deltas that must match every later snapshot, the seqNum chain, crosses, duplicates,
// resubscribes, trade batches and their Java-spelled numbers.
#include "mde/sample/btse_generator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "btse_generator_support.hpp"

namespace mde::sample {
namespace {

using testing::BtseBook;
using testing::BtseFrame;
using testing::decimal_e8;
using testing::java_number_e8;
using testing::parse_btse;

std::string generate_bytes(const BtseGenOptions& options, int frames) {
  BtseGenerator gen(options);
  std::string all;
  for (int i = 0; i < frames; ++i) {
    const GenFrame f = gen.next();
    all += std::to_string(f.receive_ns) + ' ' + std::to_string(f.connection) + ' ';
    all += f.text;
    all += '\n';
  }
  return all;
}

TEST(BtseGenerator, SameSeedGivesTheSameBytesAndAnotherSeedDifferent) {
  BtseGenOptions o;
  o.seed = 42;
  o.gap_ppm = o.cross_ppm = o.duplicate_ppm = 2'000;
  const std::string a = generate_bytes(o, 20'000);
  EXPECT_TRUE(a == generate_bytes(o, 20'000));
  o.seed = 43;
  EXPECT_FALSE(a == generate_bytes(o, 20'000));
}

TEST(BtseGenerator, EveryFrameHasTheDocumentedShapeOnItsConnection) {
  for (const GenKind kind : {GenKind::trade_heavy, GenKind::book_heavy, GenKind::mixed}) {
    BtseGenerator gen({.kind = kind, .seed = 7});
    std::int64_t last_ns = 0;
    int books = 0, trades = 0, acks = 0, pongs = 0;
    for (int i = 0; i < 20'000; ++i) {
      const GenFrame f = gen.next();
      ASSERT_EQ(f.venue, Venue::btse);
      ASSERT_GT(f.receive_ns, last_ns);
      last_ns = f.receive_ns;
      const BtseFrame p = parse_btse(f.text);
      switch (p.kind) {
        case BtseFrame::Kind::bad:
          FAIL() << p.why << ": " << f.text;
        case BtseFrame::Kind::pong:
          ++pongs;
          break;
        case BtseFrame::Kind::ack: {
          ++acks;
          ASSERT_EQ(p.event, "subscribe") << f.text;  // no faults: no resync unsubscribes
          for (const std::string& c : p.channels) {
            const bool book = f.connection == kBtseBookConnection;
            EXPECT_TRUE(book ? c.starts_with("update:") && c.ends_with("_0")
                             : c.starts_with("tradeHistoryApi:"))
                << f.connection << " " << c;
          }
          break;
        }
        case BtseFrame::Kind::book: {
          ++books;
          ASSERT_EQ(f.connection, kBtseBookConnection);
          const BtseBook& b = p.book;
          EXPECT_TRUE(b.topic == "update:" + b.symbol + "_0" || b.topic == "update:" + b.symbol)
              << b.topic;
          EXPECT_EQ(b.prev, b.seq - 1);
          for (const auto* side : {&b.bids, &b.asks}) {
            for (const testing::BtseLevel& l : *side) {
              ASSERT_TRUE(decimal_e8(l.price) && *decimal_e8(l.price) > 0) << l.price;
              ASSERT_TRUE(decimal_e8(l.size)) << l.size;
            }
          }
          break;
        }
        case BtseFrame::Kind::trades: {
          ++trades;
          ASSERT_EQ(f.connection, kBtseTradeConnection);
          for (const testing::BtseTrade& t : p.trades) {
            EXPECT_EQ(p.topic, "tradeHistoryApi:" + t.symbol);
            EXPECT_TRUE(t.side == "BUY" || t.side == "SELL") << t.side;
            EXPECT_TRUE(java_number_e8(t.size)) << t.size;
            EXPECT_TRUE(java_number_e8(t.price)) << t.price;
          }
          break;
        }
      }
    }
    EXPECT_GT(books, 1000);
    EXPECT_GT(trades, 1000);
    EXPECT_GE(acks, 2);
    EXPECT_GT(pongs, 0);
    EXPECT_EQ(gen.counts().total(), 20'000u);
  }
}

// ---- A client's book, kept with std::map, fed by the generated frames ---------------------------

struct ModelBook {
  std::map<std::int64_t, std::int64_t, std::greater<>> bids;
  std::map<std::int64_t, std::int64_t> asks;
  std::int64_t last_seq = 0;
  bool live = false;
  std::string last_delta;
  bool crossed = false;  // kept live through a cross (see run_books)
  bool traded = false;   // a trade batch came since this book's last frame
};

struct BookRun {
  int snapshots = 0, deltas = 0, chain_breaks = 0 /* while live */, crossed = 0, over_window = 0;
  int snapshot_mismatches = 0, checked_snapshots = 0, restored_after_fault = 0;
  int duplicates = 0, duplicate_text_mismatches = 0, unsubscribes = 0, uncrossed_next = 0;
  std::size_t max_side_entries = 0, max_transient_side = 0;
  bool topic_without_suffix = false, trailing_zero_price = false, trimmed_price = false;
  bool spelled_zero = false;
};

template <class Side>
void apply(Side& side, const std::vector<testing::BtseLevel>& levels, std::size_t& transient) {
  for (const testing::BtseLevel& l : levels) {
    const std::int64_t price = *decimal_e8(l.price);
    const std::int64_t size = *decimal_e8(l.size);
    if (size == 0)
      side.erase(price);
    else
      side[price] = size;
    transient = std::max(transient, side.size());
  }
}

template <class Side>
bool same(const Side& side, const std::vector<testing::BtseLevel>& levels) {
  if (side.size() != levels.size()) return false;
  for (const testing::BtseLevel& l : levels) {
    const auto it = side.find(*decimal_e8(l.price));
    if (it == side.end() || it->second != *decimal_e8(l.size)) return false;
  }
  return true;
}

// A crossed book goes stale (as the reference rules say) unless `keep_crossed_live`, which lets a
// test watch the next delta undo the cross.
BookRun run_books(const BtseGenOptions& options, int frames, bool keep_crossed_live = false) {
  BtseGenerator gen(options);
  std::map<std::string, ModelBook> books;
  BookRun r;
  for (int i = 0; i < frames; ++i) {
    const GenFrame f = gen.next();
    const BtseFrame p = parse_btse(f.text);
    EXPECT_NE(p.kind, BtseFrame::Kind::bad) << p.why << ": " << f.text;
    if (p.kind == BtseFrame::Kind::ack && p.event == "unsubscribe") ++r.unsubscribes;
    if (p.kind == BtseFrame::Kind::trades) books[p.trades.front().symbol].traded = true;
    if (p.kind != BtseFrame::Kind::book) continue;
    const BtseBook& b = p.book;
    ModelBook& m = books[b.symbol];
    const bool traded = std::exchange(m.traded, false);
    for (const auto* side : {&b.bids, &b.asks}) {
      for (const testing::BtseLevel& l : *side) {
        if (b.symbol == "BTC-USD" && l.price.ends_with(".0")) r.trailing_zero_price = true;
        if (b.symbol == "BTC-USD" && l.price.find('.') == std::string::npos) r.trimmed_price = true;
        if (l.size != "0" && decimal_e8(l.size) == 0) r.spelled_zero = true;
      }
    }
    if (b.type == "snapshot") {
      ++r.snapshots;
      EXPECT_LE(b.bids.size(), 50u);
      EXPECT_LE(b.asks.size(), 50u);
      for (std::size_t k = 1; k < b.bids.size(); ++k) {
        EXPECT_GT(*decimal_e8(b.bids[k - 1].price), *decimal_e8(b.bids[k].price))
            << "bids best first";
      }
      for (std::size_t k = 1; k < b.asks.size(); ++k) {
        EXPECT_GT(*decimal_e8(b.asks[k - 1].price), *decimal_e8(b.asks[k].price))
            << "asks worst first";
      }
      EXPECT_LT(*decimal_e8(b.bids.front().price), *decimal_e8(b.asks.back().price));
      EXPECT_GT(b.seq, m.last_seq) << "the chain carries on across snapshots";
      if (m.live && !traded) {
        // Deltas applied to the last snapshot rebuild exactly what the venue shows now (unless
        // trades moved the book since the last delta: the snapshot already holds their effect).
        ++r.checked_snapshots;
        if (!same(m.bids, b.bids) || !same(m.asks, b.asks)) ++r.snapshot_mismatches;
      } else if (m.last_seq != 0) {
        ++r.restored_after_fault;
      }
      m.bids.clear();
      m.asks.clear();
      std::size_t ignored = 0;
      apply(m.bids, b.bids, ignored);
      apply(m.asks, b.asks, ignored);
      m.last_seq = b.seq;
      m.live = true;
      m.last_delta.clear();
      continue;
    }
    ++r.deltas;
    if (!b.topic.ends_with("_0")) r.topic_without_suffix = true;
    r.max_side_entries = std::max({r.max_side_entries, b.bids.size(), b.asks.size()});
    if (b.seq <= m.last_seq) {  // not newer: a duplicate, dropped
      ++r.duplicates;
      if (f.text != m.last_delta) ++r.duplicate_text_mismatches;
      continue;
    }
    m.last_delta = std::string(f.text);
    if (b.prev != m.last_seq) {
      if (m.live) ++r.chain_breaks;  // further gaps while stale need no second resync
      m.live = false;
    }
    m.last_seq = b.seq;
    if (!m.live) continue;  // stale until the next snapshot
    apply(m.bids, b.bids, r.max_transient_side);
    apply(m.asks, b.asks, r.max_transient_side);
    if (m.bids.empty() || m.asks.empty()) {
      ADD_FAILURE() << "a side ran empty: " << f.text;
      return r;
    }
    const bool crossed = m.bids.begin()->first >= m.asks.begin()->first;
    if (m.crossed && !crossed) ++r.uncrossed_next;
    m.crossed = crossed;
    if (crossed) {
      ++r.crossed;
      m.live = keep_crossed_live;
      continue;
    }
    if (m.bids.size() > 50 || m.asks.size() > 50) ++r.over_window;
  }
  return r;
}

TEST(BtseGenerator, DeltasChainUnbrokenAndRebuildEverySnapshotWithoutFaultKnobs) {
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    BtseGenOptions o;
    o.seed = seed;
    o.kind = GenKind::book_heavy;
    o.resubscribe_ppm = 3'000;  // many fresh snapshots to compare against
    const BookRun r = run_books(o, 60'000);
    EXPECT_EQ(r.chain_breaks, 0);
    EXPECT_EQ(r.crossed, 0);
    EXPECT_EQ(r.duplicates, 0);
    EXPECT_EQ(r.unsubscribes, 0);
    EXPECT_EQ(r.over_window, 0) << "levels leaving the window must be sent as size 0";
    EXPECT_GT(r.checked_snapshots, 20);
    EXPECT_EQ(r.snapshot_mismatches, 0);
    EXPECT_GT(r.deltas, 40'000);
    // Re-quotes put more than 50 entries on one side, and the client's side grows past 50 while
    // applying them in wire order.
    EXPECT_GT(r.max_side_entries, 50u);
    EXPECT_GT(r.max_transient_side, 50u);
    EXPECT_TRUE(r.topic_without_suffix);
    EXPECT_TRUE(r.trailing_zero_price);
    EXPECT_TRUE(r.trimmed_price);
    EXPECT_TRUE(r.spelled_zero);
  }
}

TEST(BtseGenerator, GapKnobSkipsSeqNumsAndEachGapIsFollowedByAResyncSnapshot) {
  BtseGenOptions o;
  o.seed = 4;
  o.gap_ppm = 3'000;
  const BookRun r = run_books(o, 60'000);
  EXPECT_GT(r.chain_breaks, 10);
  EXPECT_EQ(r.crossed, 0);
  EXPECT_GE(r.unsubscribes, r.chain_breaks - 2);
  EXPECT_GE(r.restored_after_fault, r.chain_breaks - 2);
  EXPECT_EQ(r.snapshot_mismatches, 0) << "a live book between faults still matches";
}

TEST(BtseGenerator, CrossKnobCrossesBooksThatTheNextSnapshotRepairs) {
  BtseGenOptions o;
  o.seed = 5;
  o.cross_ppm = 3'000;
  const BookRun r = run_books(o, 60'000);
  EXPECT_GT(r.crossed, 10);
  EXPECT_EQ(r.chain_breaks, 0);
  EXPECT_GE(r.restored_after_fault, r.crossed - 2);
  EXPECT_EQ(r.snapshot_mismatches, 0);
}

TEST(BtseGenerator, CrossKnobWithoutResyncIsUndoneByTheNextDelta) {
  BtseGenOptions o;
  o.seed = 6;
  o.cross_ppm = 3'000;
  o.resync_after_fault = false;
  o.resubscribe_ppm = 0;
  const BookRun r = run_books(o, 60'000, true);
  EXPECT_GT(r.crossed, 10);
  EXPECT_EQ(r.uncrossed_next, r.crossed);
  EXPECT_EQ(r.unsubscribes, 0);
  EXPECT_EQ(r.snapshots, 2) << "only the first snapshots: nothing resubscribed";
  EXPECT_EQ(r.over_window, 0);
}

TEST(BtseGenerator, DuplicateKnobResendsTheSameDelta) {
  BtseGenOptions o;
  o.seed = 8;
  o.duplicate_ppm = 5'000;
  const BookRun r = run_books(o, 40'000);
  EXPECT_GT(r.duplicates, 20);
  EXPECT_EQ(r.duplicate_text_mismatches, 0);
  EXPECT_EQ(r.chain_breaks, 0);
  EXPECT_EQ(r.snapshot_mismatches, 0);
}

// ---- Trades ----------------------------------------------------------------------------------

TEST(BtseGenerator, TradeBatchesRaiseIdsAndTheFirstBatchAfterASubscribeRepeatsRecentTrades) {
  BtseGenOptions o;
  o.seed = 9;
  o.kind = GenKind::trade_heavy;
  o.resubscribe_ppm = 3'000;
  BtseGenerator gen(o);
  struct Seen {
    std::int64_t last_id = 0;
    std::map<std::int64_t, std::string> text;  // id -> "side size price"
    bool expect_repeat = true;                 // the first batch after the subscribe
  };
  std::map<std::string, Seen> seen;
  int repeats = 0, repeated_known = 0, multi = 0, buys = 0, sells = 0, exponent = 0;
  for (int i = 0; i < 60'000; ++i) {
    const GenFrame f = gen.next();
    const BtseFrame p = parse_btse(f.text);
    ASSERT_NE(p.kind, BtseFrame::Kind::bad) << p.why << ": " << f.text;
    if (p.kind == BtseFrame::Kind::ack && f.connection == kBtseTradeConnection) {
      for (const std::string& c : p.channels) seen[c.substr(c.find(':') + 1)].expect_repeat = true;
    }
    if (p.kind != BtseFrame::Kind::trades) continue;
    const std::string symbol = p.trades.front().symbol;
    Seen& s = seen[symbol];
    if (p.trades.size() > 1) ++multi;
    if (s.expect_repeat) {
      s.expect_repeat = false;
      ++repeats;
      for (const testing::BtseTrade& t : p.trades) {
        const auto known = s.text.find(t.id);
        if (s.last_id != 0) {
          ASSERT_LE(t.id, s.last_id) << "a repeat batch holds no new trade";
          ASSERT_NE(known, s.text.end());
          EXPECT_EQ(known->second, t.side + " " + t.size + " " + t.price);
          ++repeated_known;
        }
      }
    }
    for (const testing::BtseTrade& t : p.trades) {
      EXPECT_EQ(t.symbol, symbol);
      if (s.text.contains(t.id)) continue;
      EXPECT_GT(t.id, s.last_id) << "tradeId increases per market";
      s.last_id = t.id;
      s.text[t.id] = t.side + " " + t.size + " " + t.price;
      (t.side == "BUY" ? buys : sells)++;
      const auto v = java_number_e8(t.size);
      ASSERT_TRUE(v) << t.size;
      EXPECT_EQ(t.size.find('E') != std::string::npos, *v < 100'000) << t.size;
      if (t.size.find('E') != std::string::npos) ++exponent;
    }
  }
  EXPECT_GT(repeats, 20);
  EXPECT_GT(repeated_known, 50);
  EXPECT_GT(multi, 500);
  EXPECT_GT(buys, 5'000);
  EXPECT_GT(sells, 5'000);
  EXPECT_GT(exponent, 100) << "small sizes come in Java's exponent form (5.0E-4)";
}

TEST(BtseGenerator, JavaNumberSpellingsAreRecognisedExactly) {
  EXPECT_EQ(java_number_e8("5.0E-4"), 50'000);
  EXPECT_EQ(java_number_e8("1.25E-4"), 12'500);
  EXPECT_EQ(java_number_e8("0.007"), 700'000);
  EXPECT_EQ(java_number_e8("5302.8"), 530'280'000'000);
  EXPECT_EQ(java_number_e8("108015.0"), 10'801'500'000'000);
  EXPECT_FALSE(java_number_e8("0.0005"));   // Java writes 5.0E-4
  EXPECT_FALSE(java_number_e8("5302.80"));  // no trailing zeros
  EXPECT_FALSE(java_number_e8("5302"));     // always a fraction digit
  EXPECT_FALSE(java_number_e8("5.00E-4"));
}

// ---- Options ----------------------------------------------------------------------------------

TEST(BtseGenerator, ServesTheMarketsItIsGiven) {
  BtseGenOptions o;
  o.markets = {"SOL-USD", "XRP-USD", "ABC-USDT"};
  BtseGenerator gen(o);
  std::set<std::string> symbols;
  for (int i = 0; i < 5'000; ++i) {
    const BtseFrame p = parse_btse(gen.next().text);
    ASSERT_NE(p.kind, BtseFrame::Kind::bad) << p.why;
    if (p.kind == BtseFrame::Kind::book) symbols.insert(p.book.symbol);
  }
  EXPECT_EQ(symbols, (std::set<std::string>{"ABC-USDT", "SOL-USD", "XRP-USD"}));
  o.markets.clear();
  EXPECT_THROW(BtseGenerator{o}, std::invalid_argument);
  o.markets = {"BAD\"NAME"};
  EXPECT_THROW(BtseGenerator{o}, std::invalid_argument);
  o.markets = {"BTC-USD", "BTC-USD"};
  EXPECT_THROW(BtseGenerator{o}, std::invalid_argument);
}

TEST(GenOptions, ProbabilitiesParseToPartsPerMillion) {
  std::uint32_t ppm = 7;
  EXPECT_TRUE(parse_probability("0.001", ppm));
  EXPECT_EQ(ppm, 1'000u);
  EXPECT_TRUE(parse_probability("1", ppm));
  EXPECT_EQ(ppm, 1'000'000u);
  EXPECT_TRUE(parse_probability("0", ppm));
  EXPECT_EQ(ppm, 0u);
  EXPECT_TRUE(parse_probability("0.0000020", ppm));
  EXPECT_EQ(ppm, 2u);
  ppm = 7;
  for (const char* bad : {"", "1.5", "2", "-0.1", ".5", "0.", "0.0000001", "1e-3", "0.1x"}) {
    EXPECT_FALSE(parse_probability(bad, ppm)) << bad;
  }
  EXPECT_EQ(ppm, 7u);
}

}  // namespace
}  // namespace mde::sample
