// The real Coinone frames of tests/data, decoded by the real decoder, applied to the book, the
// order tracker and the balances: the path the engine runs, minus the queue.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "book/book_test_util.hpp"
#include "mde/book/balances.hpp"
#include "mde/book/order_book.hpp"
#include "mde/book/order_tracker.hpp"
#include "mde/core/frame.hpp"
#include "mde/feeds/coinone/decoder.hpp"

namespace mde {
namespace {

using test::dec;

std::vector<std::string> read_lines(const std::string& name) {
  std::ifstream in(std::string(MDE_TEST_DATA_DIR) + "/" + name);
  if (!in) throw std::runtime_error("cannot read " + name);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// Decodes every frame of a file and hands each DATA event to the matching consumer.
struct Pipeline {
  InstrumentRegistry registry;
  coinone::Decoder decoder{registry, coinone::DecoderOptions{.add_unknown_instruments = true}};
  PaddedBuffer buffer{1 << 16};
  std::map<InstrumentId, OrderBook> books;
  OrderTracker orders{64};
  Balances balances;
  std::vector<BookApply> book_results;
  std::vector<OrderUpdate> order_results;
  int refused = 0;

  void run(const std::string& file) {
    std::int64_t now = 1;
    for (const std::string& line : read_lines(file)) {
      ASSERT_TRUE(buffer.assign(line));
      Event e;
      // Frames this engine does not consume (CHART) are refused; the counts below catch a
      // refusal of anything the consumers need.
      if (!decoder.decode(buffer.view(), e).ok()) {
        ++refused;
        continue;
      }
      e.header.receive_ns = now++;
      switch (e.header.kind) {
        case EventKind::book: book_results.push_back(books[e.header.instrument].apply(e.book)); break;
        case EventKind::order: order_results.push_back(orders.apply(e.header, e.order)); break;
        case EventKind::asset: (void)balances.apply(e.header, e.asset); break;
        default: break;
      }
    }
  }
};

TEST(CoinonePipeline, ProtocolBookFramesGiveSortedLiveBook) {
  Pipeline p;
  p.run("coinone_protocol_frames.jsonl");
  ASSERT_EQ(p.book_results,
            (std::vector<BookApply>{BookApply::applied, BookApply::applied}));  // DEFAULT, SHORT
  const auto xrp = p.registry.find(Venue::coinone, "XRP-KRW");
  ASSERT_TRUE(xrp);
  const OrderBook& b = p.books[*xrp];
  EXPECT_EQ(b.status(), BookStatus::live);
  EXPECT_EQ(b.last_id(), 1693560323040001u);  // the SHORT frame is the newer one
  ASSERT_EQ(b.bids().size(), 16u);
  ASSERT_EQ(b.asks().size(), 16u);
  EXPECT_EQ(b.best_bid()->price, dec("687.7"));
  EXPECT_EQ(b.best_bid()->qty, dec("26178.9839"));
  EXPECT_EQ(b.best_ask()->price, dec("687.8"));
  EXPECT_EQ(b.best_ask()->qty, dec("5541.7343"));
  EXPECT_EQ(b.asks().back().price, dec("692.1"));
  EXPECT_EQ(b.bids().back().price, dec("685.5"));
}

TEST(CoinonePipeline, ReplayedOlderBookFrameIsDropped) {
  Pipeline p;
  p.run("coinone_protocol_frames.jsonl");
  p.run("coinone_protocol_frames.jsonl");  // a reconnect replaying both frames
  ASSERT_EQ(p.book_results.size(), 4u);
  EXPECT_EQ(p.book_results[2], BookApply::dropped_old_id);
  EXPECT_EQ(p.book_results[3], BookApply::dropped_old_id);
}

TEST(CoinonePipeline, SeedOrderFramesGiveOneFillAndFinalStates) {
  Pipeline p;
  // DEFAULT then SHORT renditions of the same six events, with seed 001's `done` fill.
  p.run("coinone_seed_myorder.jsonl");
  ASSERT_EQ(p.order_results.size(), 12u);
  const Order* filled = p.orders.find(Venue::coinone, "1b48b02b-1e4d-11e9-9ec7-00e04c3600d7");
  ASSERT_NE(filled, nullptr);
  EXPECT_EQ(filled->state, OrderState::filled);
  EXPECT_EQ(filled->filled_qty, dec("0.01"));
  EXPECT_EQ(filled->filled_notional, test::notional("62440"));
  EXPECT_EQ(filled->fill_count, 1u);
  EXPECT_EQ(filled->client_order_id, "80744d42-6c89-4ab4-ac7a-1f46e2c7a041");
  EXPECT_EQ(p.orders.counters().fills_counted, 1u);
  EXPECT_EQ(p.orders.counters().duplicate_fills, 3u);  // trade_done, SHORT done, SHORT trade_done

  EXPECT_EQ(p.orders.find(Venue::coinone, "1b48b023-1e4d-11e9-9ec7-00e04c3600d7")->state, OrderState::open);
  EXPECT_EQ(p.orders.find(Venue::coinone, "1b48b028-1e4d-11e9-9ec7-00e04c3600d7")->state,
            OrderState::pending_trigger);
  const Order* cancelled = p.orders.find(Venue::coinone, "1b48b029-1e4d-11e9-9ec7-00e04c3600d7");
  EXPECT_EQ(cancelled->state, OrderState::cancelled);
  EXPECT_EQ(cancelled->cancel_reason, CancelReason::user);
  EXPECT_EQ(cancelled->side, Side::sell);
  EXPECT_TRUE(cancelled->filled_qty.is_zero());  // the cancelled remainder is not a fill
  EXPECT_EQ(p.orders.find(Venue::coinone, "1b48b02c-1e4d-11e9-9ec7-00e04c3600d7")->cancel_reason,
            CancelReason::post_only);
  EXPECT_EQ(p.orders.size(), 5u);
}

TEST(CoinonePipeline, ProtocolAssetFramesLeaveLatestBalances) {
  Pipeline p;
  p.run("coinone_protocol_frames.jsonl");
  EXPECT_EQ(p.balances.counters().events, 12u);  // six examples, DEFAULT and SHORT
  ASSERT_EQ(p.balances.size(), 2u);
  EXPECT_EQ(p.balances.all()[0].currency, "KRW");
  EXPECT_EQ(p.balances.find(Venue::coinone, "KRW")->available, dec("155520364.5029"));
  EXPECT_EQ(p.balances.find(Venue::coinone, "KRW")->locked, dec("8400"));
  EXPECT_EQ(p.balances.find(Venue::coinone, "ETH")->available, dec("55.64169518"));
  EXPECT_EQ(p.balances.find(Venue::coinone, "ETH")->locked, dec("0.0989"));
}

}  // namespace
}  // namespace mde
