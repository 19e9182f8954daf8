// The BTSE cross-book fault keeps the 50-level window (protocols.md B4: a level that leaves the
// top 50 arrives as size 0, so a gap-free client's book stays within 50 levels). The crossing
// bid enters the window, so the window's last bid leaves it; the next delta deletes the crossing
// bid and puts that bid back. Found by an independent Node client's book model, which held 51
// bids after the crossing delta. The client here applies frames as the sheet's reference
// algorithm does and does not resubscribe, so it sees the whole fault.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "mde/core/decimal.hpp"
#include "mde/sim/btse_endpoint.hpp"

namespace mde::sim {
namespace {

// One market's book from `update:` frames: price -> size text; a size of 0 deletes.
struct WindowClient {
  std::map<Decimal, std::string, std::greater<>> bids;
  std::map<Decimal, std::string> asks;
  simdjson::dom::parser parser;

  template <class Side>
  static void apply(Side& side, simdjson::dom::array levels) {
    for (simdjson::dom::element l : levels) {
      std::string_view price, size;
      ASSERT_EQ(l.at(0).get(price), simdjson::SUCCESS);
      ASSERT_EQ(l.at(1).get(size), simdjson::SUCCESS);
      Decimal p{}, s{};
      ASSERT_EQ(Decimal::parse(price, p), DecimalError::ok);
      ASSERT_EQ(Decimal::parse(size, s), DecimalError::ok);
      if (s.is_zero()) side.erase(p);
      else side[p] = std::string(size);
    }
  }
  void take(std::string_view text) {
    simdjson::dom::element root, data;
    ASSERT_EQ(parser.parse(text.data(), text.size()).get(root), simdjson::SUCCESS) << text;
    ASSERT_EQ(root["data"].get(data), simdjson::SUCCESS) << text;
    std::string_view type;
    ASSERT_EQ(data["type"].get(type), simdjson::SUCCESS);
    if (type == "snapshot") {
      bids.clear();
      asks.clear();
    }
    apply(bids, data["bids"].get_array().value());
    apply(asks, data["asks"].get_array().value());
  }
  [[nodiscard]] bool crossed() const {
    return !bids.empty() && !asks.empty() && bids.begin()->first >= asks.begin()->first;
  }
};

std::vector<std::string> ask(BtseEndpoint& endpoint, std::string_view request) {
  std::vector<std::string> out;
  endpoint.on_request(request, out);
  return out;
}

// The next book frame the endpoint renders for its subscriber.
std::string next_book_frame(BtseMarketFeed& feed, BtseEndpoint& oss) {
  std::string text;
  for (int i = 0; i < 1000; ++i) {
    const MarketFrame f = feed.next_frame();
    if (f.channel == "update" && oss.render(f, text)) return text;
  }
  return {};
}

TEST(SimBtseCrossWindow, TheCrossingDeltaKeepsTheBookWithinFiftyLevelsAndTheNextRestoresIt) {
  BtseMarketFeed feed(5, {"BTC-USD"});
  BtseEndpoint oss(feed, BtsePath::oss);
  WindowClient client;
  client.take(ask(oss, R"({"op":"subscribe","args":["update:BTC-USD_0"]})").back());
  for (int i = 0; i < 50; ++i) client.take(next_book_frame(feed, oss));
  ASSERT_EQ(client.bids.size(), kBtseWindow);  // a full window: the crossing bid pushes one out
  const auto pushed_out = std::prev(client.bids.end())->first;

  ASSERT_TRUE(feed.cross_book("BTC-USD"));
  client.take(next_book_frame(feed, oss));
  EXPECT_TRUE(client.crossed());
  EXPECT_LE(client.bids.size(), kBtseWindow);
  EXPECT_FALSE(client.bids.contains(pushed_out));

  client.take(next_book_frame(feed, oss));  // deletes the crossing bid, puts the last one back
  EXPECT_FALSE(client.crossed());
  EXPECT_LE(client.bids.size(), kBtseWindow);
  // The client's book is the simulator's again, level for level.
  const BtseBookState sim = feed.book("BTC-USD");
  ASSERT_EQ(client.bids.size(), std::min(sim.bids.size(), kBtseWindow));
  std::size_t k = 0;
  for (const auto& [price, size] : client.bids) EXPECT_TRUE(price == sim.bids[k++].price);
  for (int i = 0; i < 200; ++i) {
    client.take(next_book_frame(feed, oss));
    ASSERT_LE(client.bids.size(), kBtseWindow);
    ASSERT_FALSE(client.crossed());
  }
}

}  // namespace
}  // namespace mde::sim
