// The simulator's BTSE endpoints without sockets (protocols.md B2-B4, B6): acks, errors, the
// snapshot-then-chain contract, resubscribes, the 50-level window, the fault knobs, and that every
// frame decodes with mde's own BTSE decoder.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "mde/book/order_book.hpp"
#include "mde/core/frame.hpp"
#include "mde/feeds/btse/decoder.hpp"
#include "mde/feeds/event_sink.hpp"
#include "mde/sim/btse_endpoint.hpp"

namespace mde::sim {
namespace {

std::vector<std::string> ask(BtseEndpoint& endpoint, std::string_view request) {
  std::vector<std::string> out;
  endpoint.on_request(request, out);
  return out;
}

// Decodes rendered frames with mde's BTSE decoder into one OrderBook per market, checking the
// seqNum chain as a client would.
struct Client {
  InstrumentRegistry registry;
  btse::Decoder decoder{registry, {.add_unknown_instruments = true}};
  PaddedBuffer buffer{1 << 20};
  std::unique_ptr<ArraySink<8>> sink = std::make_unique<ArraySink<8>>();
  std::unique_ptr<OrderBook> book = std::make_unique<OrderBook>();
  std::uint64_t snapshots = 0, deltas = 0, trades = 0, controls = 0;
  std::uint64_t last_seq = 0, last_prev = 0;

  // Decodes one frame; false when the decoder rejected it.
  bool take(std::string_view text) {
    sink->clear();
    if (!buffer.assign(text) || !decoder.decode(buffer.view(), *sink).ok()) return false;
    for (std::size_t i = 0; i < sink->count; ++i) {
      const Event& e = sink->events[i];
      if (e.header.kind == EventKind::book) {
        if ((e.book.part_flags & kBookPartContinued) == 0) {  // one per frame, not per part
          (e.book.action == BookAction::snapshot ? snapshots : deltas) += 1;
        }
        last_seq = e.book.id;
        last_prev = e.book.prev_id;
        (void)book->apply(e.book);
      } else if (e.header.kind == EventKind::trade) {
        ++trades;
      } else if (e.header.kind == EventKind::control) {
        ++controls;
      }
    }
    return true;
  }
};

// Pulls `n` frames from the feed, offering each to the endpoint; every rendered frame goes to
// the client. Returns how many were rendered.
int pump(BtseMarketFeed& feed, BtseEndpoint& endpoint, Client& client, int n,
         bool check_chain = true) {
  int rendered = 0;
  std::string text;
  for (int i = 0; i < n; ++i) {
    const MarketFrame f = feed.next_frame();
    EXPECT_EQ(f.venue, Venue::btse);
    if (!endpoint.render(f, text)) continue;
    ++rendered;
    const std::uint64_t before = client.last_seq;
    EXPECT_TRUE(client.take(text)) << text;
    if (check_chain && f.channel == "update") {
      EXPECT_EQ(client.last_prev, before) << text;
      EXPECT_EQ(client.last_seq, before + 1) << text;
    }
  }
  return rendered;
}

void expect_same_book(const OrderBook& book, const BtseBookState& sim) {
  ASSERT_EQ(book.bids().size(), sim.bids.size());
  ASSERT_EQ(book.asks().size(), sim.asks.size());
  for (std::size_t i = 0; i < sim.bids.size(); ++i) {
    EXPECT_EQ(book.bids()[i].price, sim.bids[i].price) << i;
    EXPECT_EQ(book.bids()[i].qty, sim.bids[i].qty) << i;
  }
  for (std::size_t i = 0; i < sim.asks.size(); ++i) {
    EXPECT_EQ(book.asks()[i].price, sim.asks[i].price) << i;
    EXPECT_EQ(book.asks()[i].qty, sim.asks[i].qty) << i;
  }
}

TEST(SimBtseEndpoint, TheAckListsOnlyTheTopicsThatSucceededAndErrorsNameTheirTopic) {
  BtseMarketFeed feed(3);
  BtseEndpoint oss(feed, BtsePath::oss);
  const auto out = ask(oss, R"({"op":"subscribe","args":["update:BTC-USD_0","update:BTCC-USD_0","nope:BTC-USD","tradeHistoryApi:ETH-USD"]})");
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0],
            R"({"severity":"ERROR","errors":[{"arg":"update:BTCC-USD_0","error":{"code":1000,"message":"Market pair provided is currently not supported."}},{"arg":"nope:BTC-USD","error":{"code":1005,"message":"Topic provided does not exist."}}]})");
  EXPECT_EQ(out[1], R"({"event":"subscribe","channel":["update:BTC-USD_0"]})");
  EXPECT_TRUE(out[2].starts_with(R"({"topic":"update:BTC-USD_0","data":{"bids":[[)")) << out[2];
  EXPECT_EQ(oss.counters().subscribes, 1u);
  // mde's decoder reads the error frame as one error control per entry, each naming its topic.
  Client client;
  ASSERT_TRUE(client.take(out[0]));
  ASSERT_EQ(client.sink->count, 2u);
  EXPECT_EQ(client.sink->events[0].control.type, ControlType::error);
  EXPECT_EQ(client.sink->events[0].control.error_code, 1000);
  EXPECT_EQ(client.sink->events[0].control.topic.view(), "update:BTCC-USD_0");
  EXPECT_EQ(client.sink->events[1].control.error_code, 1005);
}

TEST(SimBtseEndpoint, BadRequestsGetTheDocumentedCodesAndPingGetsPlainPong) {
  BtseMarketFeed feed(3);
  BtseEndpoint oss(feed, BtsePath::oss);
  EXPECT_EQ(ask(oss, "hello"),
            std::vector<std::string>{R"({"severity":"ERROR","errors":[{"error":{"code":1002,"message":"Invalid request. Please check again your request and provide all information required."}}]})"});
  EXPECT_EQ(ask(oss, R"({"op":"subscribe"})"), std::vector<std::string>{});  // the probe's silence
  const auto bad_op = ask(oss, R"({"op":"subscrib","args":["update:BTC-USD_0"]})");
  ASSERT_EQ(bad_op.size(), 1u);
  EXPECT_NE(bad_op[0].find(R"("code":1001)"), std::string::npos) << bad_op[0];
  EXPECT_EQ(ask(oss, "ping"), std::vector<std::string>{"pong"});
  EXPECT_EQ(oss.counters().pings, 1u);
  EXPECT_EQ(oss.counters().subscribes, 0u);
}

TEST(SimBtseEndpoint, ASnapshotOfAtMostFiftyLevelsAsksWorstFirstThenAnUnbrokenChain) {
  BtseMarketFeed feed(5);
  BtseEndpoint oss(feed, BtsePath::oss);
  const auto out = ask(oss, R"({"op":"subscribe","args":["update:BTC-USD_0"]})");
  ASSERT_EQ(out.size(), 2u);
  Client client;
  ASSERT_TRUE(client.take(out[1]));
  ASSERT_EQ(client.snapshots, 1u);
  const btse::ParsedFrame& p = client.decoder.parsed();
  ASSERT_GT(p.ask_count, 1u);
  EXPECT_LE(p.ask_count, kBtseWindow);
  EXPECT_LE(p.bid_count, kBtseWindow);
  EXPECT_GT(p.asks[0].price, p.asks[p.ask_count - 1].price);  // worst first, as on the wire
  EXPECT_GT(p.bids[0].price, p.bids[p.bid_count - 1].price);  // best first
  EXPECT_EQ(client.last_seq, feed.book("BTC-USD").seq);
  EXPECT_EQ(client.book->status(), BookStatus::live);
  EXPECT_GT(pump(feed, oss, client, 3000), 100);
  EXPECT_EQ(client.book->status(), BookStatus::live);
  expect_same_book(*client.book, feed.book("BTC-USD"));
}

TEST(SimBtseEndpoint, LevelsLeavingTheWindowAreSentAsSizeZeroSoTheBookStaysWithinFifty) {
  BtseMarketFeed feed(9);
  BtseEndpoint oss(feed, BtsePath::oss);
  const auto out = ask(oss, R"({"op":"subscribe","args":["update:ETH-USD_0"]})");
  Client client;
  ASSERT_TRUE(client.take(out.back()));
  std::string text;
  bool saw_zero = false;
  for (int i = 0; i < 20000; ++i) {
    const MarketFrame f = feed.next_frame();
    if (!oss.render(f, text)) continue;
    saw_zero = saw_zero || text.find(R"(","0"])") != std::string::npos;
    ASSERT_TRUE(client.take(text));
    ASSERT_LE(client.book->bids().size(), kBtseWindow);
    ASSERT_LE(client.book->asks().size(), kBtseWindow);
  }
  EXPECT_TRUE(saw_zero);
  EXPECT_EQ(client.book->status(), BookStatus::live);
  expect_same_book(*client.book, feed.book("ETH-USD"));
}

TEST(SimBtseEndpoint, AResubscribeGivesAFreshSnapshotAndTheChainCarriesOn) {
  BtseMarketFeed feed(5);
  BtseEndpoint oss(feed, BtsePath::oss);
  Client client;
  ASSERT_TRUE(client.take(ask(oss, R"({"op":"subscribe","args":["update:BTC-USD_0"]})").back()));
  ASSERT_GT(pump(feed, oss, client, 500), 10);
  const std::uint64_t seq = client.last_seq;
  const auto unsub = ask(oss, R"({"op":"unsubscribe","args":["update:BTC-USD_0"]})");
  EXPECT_EQ(unsub, std::vector<std::string>{R"({"event":"unsubscribe","channel":["update:BTC-USD_0"]})"});
  EXPECT_EQ(pump(feed, oss, client, 500), 0);  // nothing while unsubscribed
  const auto again = ask(oss, R"({"op":"subscribe","args":["update:BTC-USD_0"]})");
  ASSERT_EQ(again.size(), 2u);
  ASSERT_TRUE(client.take(again[1]));
  EXPECT_EQ(client.snapshots, 2u);
  EXPECT_GT(client.last_seq, seq);  // the chain went on while we were away: no reset
  EXPECT_EQ(client.last_seq, feed.book("BTC-USD").seq);
  ASSERT_GT(pump(feed, oss, client, 500), 10);
  EXPECT_EQ(client.book->status(), BookStatus::live);
}

TEST(SimBtseEndpoint, ATopicWithoutGroupingIsTheZeroChainAndDataCarriesTheTopicAsSent) {
  BtseMarketFeed feed(5);
  BtseEndpoint oss(feed, BtsePath::oss);
  const auto out = ask(oss, R"({"op":"subscribe","args":["update:BTC-USD"]})");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], R"({"event":"subscribe","channel":["update:BTC-USD"]})");
  EXPECT_TRUE(out[1].starts_with(R"({"topic":"update:BTC-USD","data")"));
  Client client;
  ASSERT_TRUE(client.take(out[1]));
  EXPECT_GT(pump(feed, oss, client, 500), 10);
}

TEST(SimBtseEndpoint, AnotherGroupingIsAckedThenStaysSilent) {
  BtseMarketFeed feed(5);
  BtseEndpoint oss(feed, BtsePath::oss);
  EXPECT_EQ(ask(oss, R"({"op":"subscribe","args":["update:BTC-USD_5"]})"),
            std::vector<std::string>{R"({"event":"subscribe","channel":["update:BTC-USD_5"]})"});
  Client client;
  EXPECT_EQ(pump(feed, oss, client, 500), 0);
}

TEST(SimBtseEndpoint, BookTopicsOnTheMainPathAreLeftOutOfTheAckAndNeverDelivered) {
  BtseMarketFeed feed(5);
  BtseEndpoint main(feed, BtsePath::main);
  Client client;
  for (int i = 0; i < 200; ++i) (void)feed.next_frame();  // some trades exist
  const auto out = ask(main, R"({"op":"subscribe","args":["update:BTC-USD_0","tradeHistoryApi:BTC-USD"]})");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], R"({"event":"subscribe","channel":["tradeHistoryApi:BTC-USD"]})");
  EXPECT_TRUE(out[1].starts_with(R"({"topic":"tradeHistoryApi:BTC-USD","data":[)"));  // recent
  std::string text;
  int trades = 0;
  for (int i = 0; i < 2000; ++i) {
    const MarketFrame f = feed.next_frame();
    if (!main.render(f, text)) continue;
    EXPECT_EQ(f.channel, "tradeHistoryApi");
    EXPECT_EQ(f.market, "BTC-USD");
    ASSERT_TRUE(client.take(text)) << text;
    ++trades;
  }
  EXPECT_GT(trades, 0);
  EXPECT_GE(client.trades, static_cast<std::uint64_t>(trades));
  EXPECT_EQ(client.snapshots + client.deltas, 0u);
}

TEST(SimBtseMarketFeed, TheSameSeedGivesTheSameFrames) {
  BtseMarketFeed a(42, btse_markets(), SimClock::fixed), b(42, btse_markets(), SimClock::fixed),
      c(43, btse_markets(), SimClock::fixed);
  bool differs = false;
  for (int i = 0; i < 500; ++i) {
    const std::string fa(a.next_frame().text);
    ASSERT_EQ(fa, b.next_frame().text);
    differs = differs || fa != c.next_frame().text;
  }
  EXPECT_TRUE(differs);
  EXPECT_EQ(a.snapshot_data("BTC-USD"), b.snapshot_data("BTC-USD"));
}

TEST(SimBtseMarketFeed, SkipSequenceMakesTheNextDeltaAGapThenTheChainGoesOn) {
  BtseMarketFeed feed(5);
  BtseEndpoint oss(feed, BtsePath::oss);
  Client client;
  ASSERT_TRUE(client.take(ask(oss, R"({"op":"subscribe","args":["update:BTC-USD_0"]})").back()));
  ASSERT_GT(pump(feed, oss, client, 200), 5);
  const std::uint64_t last = client.last_seq;
  ASSERT_TRUE(feed.skip_sequence("BTC-USD"));
  EXPECT_FALSE(feed.skip_sequence("BTCC-USD"));
  std::string text;
  while (!oss.render(feed.next_frame(), text)) {
  }
  ASSERT_TRUE(client.take(text));
  EXPECT_NE(client.last_prev, last);
  EXPECT_EQ(client.book->status(), BookStatus::stale);
  EXPECT_EQ(client.book->stale_reason(), StaleReason::gap);
  // A resubscribe recovers: fresh snapshot, then an unbroken chain again.
  ASSERT_TRUE(client.take(ask(oss, R"({"op":"subscribe","args":["update:BTC-USD_0"]})").back()));
  EXPECT_EQ(client.book->status(), BookStatus::live);
  EXPECT_GT(pump(feed, oss, client, 500), 10);
  EXPECT_EQ(client.book->status(), BookStatus::live);
}

TEST(SimBtseMarketFeed, CrossBookSendsADeltaThatCrossesAndTheNextDeltaUndoesIt) {
  BtseMarketFeed feed(5);
  BtseEndpoint oss(feed, BtsePath::oss);
  Client client;
  ASSERT_TRUE(client.take(ask(oss, R"({"op":"subscribe","args":["update:BTC-USD_0"]})").back()));
  ASSERT_GT(pump(feed, oss, client, 200), 5);
  ASSERT_TRUE(feed.cross_book("BTC-USD"));
  std::string text;
  ASSERT_TRUE(oss.render(feed.next_frame(), text));  // the crossing delta comes next
  ASSERT_TRUE(client.take(text));
  EXPECT_EQ(client.book->status(), BookStatus::stale);
  EXPECT_EQ(client.book->stale_reason(), StaleReason::crossed);
  // The simulator's own book never crossed; a resubscribe recovers.
  const BtseBookState sim = feed.book("BTC-USD");
  EXPECT_LT(sim.bids.front().price, sim.asks.front().price);
  ASSERT_TRUE(client.take(ask(oss, R"({"op":"subscribe","args":["update:BTC-USD_0"]})").back()));
  EXPECT_EQ(client.book->status(), BookStatus::live);
  EXPECT_GT(pump(feed, oss, client, 1000), 10);  // the next delta deletes the crossing bid
  EXPECT_EQ(client.book->status(), BookStatus::live);
  expect_same_book(*client.book, feed.book("BTC-USD"));
}

}  // namespace
}  // namespace mde::sim
