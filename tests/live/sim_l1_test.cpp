// The simulator's BTSE `snapshotL1:` topic without sockets (protocols.md B3, B5): acked on OSS
// only, B5's frame shape with no seqNum, and always the best bid and ask of the book the `update:`
// topic carries at the same point.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "frame_shape.hpp"
#include "mde/core/decimal.hpp"
#include "mde/sim/btse_endpoint.hpp"

namespace mde::sim {
namespace {

using test::dec;
using test::keys_of;

// B5's example frame.
constexpr std::string_view kL1Example =
    R"({"topic":"snapshotL1:BTC-USD","data":{"bids":[["28016.7","1.48063"]],"asks":[["28033.6","1.34133"]],"type":"snapshotL1","symbol":"BTC-USD","timestamp":1680750154232}})";

std::vector<std::string> ask(BtseEndpoint& endpoint, std::string_view request) {
  std::vector<std::string> out;
  endpoint.on_request(request, out);
  return out;
}

// The client's view: a book kept from the `update:` frames, and the L1 frames checked against it.
struct Client {
  simdjson::dom::parser parser;
  std::map<Decimal, Decimal, std::greater<>> bids;
  std::map<Decimal, Decimal> asks;
  std::int64_t book_timestamp = 0;

  void take_book(const std::string& frame) {
    simdjson::dom::element d;
    std::string_view type;
    ASSERT_EQ(parser.parse(frame).at_key("data").get(d), simdjson::SUCCESS) << frame;
    ASSERT_EQ(d["type"].get(type), simdjson::SUCCESS);
    ASSERT_EQ(d["timestamp"].get(book_timestamp), simdjson::SUCCESS);
    if (type == "snapshot") {
      bids.clear();
      asks.clear();
    }
    auto apply = [&](auto& side, simdjson::dom::array levels) {
      for (simdjson::dom::element level : levels) {
        std::string_view p, s;
        ASSERT_EQ(level.at(0).get(p), simdjson::SUCCESS);
        ASSERT_EQ(level.at(1).get(s), simdjson::SUCCESS);
        if (dec(s).is_zero()) {
          side.erase(dec(p));
        } else {
          side[dec(p)] = dec(s);
        }
      }
    };
    apply(bids, d["bids"].get_array().value());
    apply(asks, d["asks"].get_array().value());
  }

  // One L1 frame: B5's shape, strings, no seqNum, and this client's best bid and ask.
  void check_l1(const std::string& frame, std::string_view symbol) {
    EXPECT_EQ(keys_of(frame), keys_of(kL1Example)) << frame;
    EXPECT_EQ(frame.find("seqNum"), std::string::npos) << frame;
    EXPECT_EQ(frame.find("prevSeqNum"), std::string::npos) << frame;
    simdjson::dom::element root, d;
    ASSERT_EQ(parser.parse(frame).get(root), simdjson::SUCCESS) << frame;
    std::string_view topic, type, sym;
    std::int64_t ts = 0;
    ASSERT_EQ(root["topic"].get(topic), simdjson::SUCCESS);
    EXPECT_EQ(topic, "snapshotL1:" + std::string(symbol));
    ASSERT_EQ(root["data"].get(d), simdjson::SUCCESS);
    ASSERT_EQ(d["type"].get(type), simdjson::SUCCESS);
    ASSERT_EQ(d["symbol"].get(sym), simdjson::SUCCESS);
    ASSERT_EQ(d["timestamp"].get(ts), simdjson::SUCCESS);
    EXPECT_EQ(type, "snapshotL1");
    EXPECT_EQ(sym, symbol);
    EXPECT_EQ(ts, book_timestamp) << frame;  // the delta that changed the top
    auto check_side = [&](simdjson::dom::array levels, const auto& side) {
      if (side.empty()) {
        EXPECT_EQ(levels.size(), 0u) << frame;
        return;
      }
      ASSERT_EQ(levels.size(), 1u) << frame;
      std::string_view p, s;  // strings, as B5's example (numbers would fail here)
      ASSERT_EQ(levels.at(0).at(0).get(p), simdjson::SUCCESS) << frame;
      ASSERT_EQ(levels.at(0).at(1).get(s), simdjson::SUCCESS) << frame;
      EXPECT_EQ(dec(p), side.begin()->first) << frame;
      EXPECT_EQ(dec(s), side.begin()->second) << frame;
    };
    check_side(d["bids"].get_array().value(), bids);
    check_side(d["asks"].get_array().value(), asks);
  }

  [[nodiscard]] bool has_top() const { return !bids.empty() && !asks.empty(); }
};

// A side's best level, (0, 0) when empty.
template <class Side>
std::pair<Decimal, Decimal> top(const Side& side) {
  return side.empty() ? std::pair<Decimal, Decimal>{} : std::pair<Decimal, Decimal>(*side.begin());
}

TEST(SimBtseL1, TheExampleHasTheB5Shape) {
  EXPECT_EQ(keys_of(kL1Example), (std::vector<std::string>{"topic", "data", "bids", "asks", "type",
                                                           "symbol", "timestamp"}));
}

TEST(SimBtseL1, OssAcksItThenSendsTheBestBidAndAskOnEveryChangeOfTheUpdateBook) {
  BtseMarketFeed feed(3);
  BtseEndpoint oss(feed, BtsePath::oss);
  const auto out =
      ask(oss, R"({"op":"subscribe","args":["update:BTC-USD_0","snapshotL1:BTC-USD"]})");
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0], R"({"event":"subscribe","channel":["update:BTC-USD_0","snapshotL1:BTC-USD"]})");
  Client client;
  client.take_book(out[1]);  // the update: snapshot
  ASSERT_TRUE(client.has_top());
  ASSERT_TRUE(out[2].starts_with(R"({"topic":"snapshotL1:BTC-USD","data":{"bids":[[")")) << out[2];
  // The L1 at subscribe time: the top of the book as of its last change, which the snapshot shows.
  {
    Client at_subscribe;
    at_subscribe.take_book(out[1]);
    at_subscribe.book_timestamp = 0;
    std::int64_t ts = 0;
    ASSERT_EQ(at_subscribe.parser.parse(out[2]).at_key("data").at_key("timestamp").get(ts),
              simdjson::SUCCESS);
    at_subscribe.book_timestamp = ts;
    at_subscribe.check_l1(out[2], "BTC-USD");
  }

  int deltas = 0, l1_frames = 0, top_changes = 0;
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    const MarketFrame f = feed.next_frame();
    const bool book = oss.render(f, text);
    const auto bid_before = top(client.bids), ask_before = top(client.asks);
    if (book) {
      ++deltas;
      client.take_book(text);
    }
    const bool changed = book && (top(client.bids) != bid_before || top(client.asks) != ask_before);
    std::vector<std::string> derived;
    oss.render_derived(f, derived);
    // One L1 frame exactly when this delta changed the best bid or ask (price or size).
    ASSERT_EQ(derived.size(), changed ? 1u : 0u) << text;
    top_changes += changed ? 1 : 0;
    for (const std::string& l1 : derived) {
      ++l1_frames;
      client.check_l1(l1, f.market);
      // The feed's own book model agrees.
      const BtseBookState model = feed.book("BTC-USD");
      ASSERT_FALSE(model.bids.empty());
      ASSERT_FALSE(model.asks.empty());
      EXPECT_EQ(model.bids.front().price, client.bids.begin()->first);
      EXPECT_EQ(model.asks.front().price, client.asks.begin()->first);
    }
  }
  std::printf("BTC-USD deltas %d, L1 frames %d\n", deltas, l1_frames);
  EXPECT_GT(deltas, 100);
  EXPECT_GT(l1_frames, 10);
  EXPECT_LT(l1_frames, deltas);  // not every delta touches the top
  EXPECT_EQ(l1_frames, top_changes);
}

TEST(SimBtseL1, AloneItFollowsTheTopAndUnsubscribeStopsIt) {
  BtseMarketFeed feed(9);
  BtseEndpoint l1_only(feed, BtsePath::oss);
  BtseEndpoint books(feed, BtsePath::oss);  // the update: book, on another connection
  const auto out = ask(l1_only, R"({"op":"subscribe","args":["snapshotL1:ETH-USD"]})");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], R"({"event":"subscribe","channel":["snapshotL1:ETH-USD"]})");
  const auto book_out = ask(books, R"({"op":"subscribe","args":["update:ETH-USD_0"]})");
  ASSERT_EQ(book_out.size(), 2u);
  Client client;
  client.take_book(book_out[1]);
  std::string text;
  int l1_frames = 0;
  for (int i = 0; i < 10000; ++i) {
    const MarketFrame f = feed.next_frame();
    EXPECT_FALSE(l1_only.render(f, text));  // the L1 topic gets no update: frames
    if (books.render(f, text)) client.take_book(text);
    std::vector<std::string> derived;
    l1_only.render_derived(f, derived);
    books.render_derived(f, derived);  // no L1 subscription there: nothing
    for (const std::string& l1 : derived) {
      client.check_l1(l1, "ETH-USD");
      ++l1_frames;
    }
  }
  EXPECT_GT(l1_frames, 0);
  EXPECT_EQ(
      ask(l1_only, R"({"op":"unsubscribe","args":["snapshotL1:ETH-USD"]})"),
      std::vector<std::string>{R"({"event":"unsubscribe","channel":["snapshotL1:ETH-USD"]})"});
  EXPECT_EQ(l1_only.counters().unsubscribes, 1u);
  int books_after = 0;
  for (int i = 0; i < 10000; ++i) {
    const MarketFrame f = feed.next_frame();
    books_after += books.render(f, text) ? 1 : 0;
    std::vector<std::string> derived;
    l1_only.render_derived(f, derived);
    EXPECT_TRUE(derived.empty());
  }
  EXPECT_GT(books_after, 0);  // the book kept moving
}

TEST(SimBtseL1, OnTheMainPathItIsLeftOutOfTheAckAndNeverDelivered) {
  BtseMarketFeed feed(3);
  BtseEndpoint main_path(feed, BtsePath::main);
  EXPECT_EQ(ask(main_path, R"({"op":"subscribe","args":["snapshotL1:BTC-USD"]})"),
            std::vector<std::string>{R"({"event":"subscribe","channel":[]})"});
  std::string text;
  for (int i = 0; i < 3000; ++i) {
    const MarketFrame f = feed.next_frame();
    EXPECT_FALSE(main_path.render(f, text));
    std::vector<std::string> derived;
    main_path.render_derived(f, derived);
    EXPECT_TRUE(derived.empty());
  }
}

TEST(SimBtseL1, AnUnknownMarketIsRefusedWith1000) {
  BtseMarketFeed feed(3);
  BtseEndpoint oss(feed, BtsePath::oss);
  EXPECT_EQ(
      ask(oss, R"({"op":"subscribe","args":["snapshotL1:BTCC-USD"]})"),
      (std::vector<std::string>{
          R"({"severity":"ERROR","errors":[{"arg":"snapshotL1:BTCC-USD","error":{"code":1000,"message":"Market pair provided is currently not supported."}}]})",
          R"({"event":"subscribe","channel":[]})"}));
}

}  // namespace
}  // namespace mde::sim
