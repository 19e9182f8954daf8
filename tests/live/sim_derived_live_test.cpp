// CHART (protocols.md A6) and snapshotL1 (B5) over real sockets: the simulator's tick loop sends
// the frames each connection derives from the market frames, as a third-party client sees them.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>

#include "live/sim_session_support.hpp"

namespace mde::live_test {
namespace {

class SimDerivedLive : public SimulatorFixture<Recorder> {
 protected:
  SimDerivedLive() : SimulatorFixture("derived") {}
  void SetUp() override {
    sim::SimOptions o;
    o.rate = 2000;
    start_sim(std::move(o));
  }

  // How many of the next text messages (at most `limit`, until `wanted` are seen) hold `needle`.
  static int count(RawWebSocketClient& c, const std::string& needle, int wanted, int limit = 3000) {
    int seen = 0;
    for (int i = 0; i < limit && seen < wanted; ++i) {
      const std::optional<std::string> text = c.read_text();
      if (!text) break;
      if (text->find(needle) != std::string::npos) ++seen;
    }
    return seen;
  }
};

TEST_F(SimDerivedLive, CoinoneChartCandlesArriveInTheSubscriptionsFormat) {
  RawWebSocketClient client = raw_client_to(*sim_, "/");
  ASSERT_TRUE(client.upgraded()) << client.response_head();
  client.send_text(
      R"({"request_type":"SUBSCRIBE","channel":"CHART","topic":{"quote_currency":"KRW","target_currency":"XRP","interval":"1m"},"format":"SHORT"})");
  EXPECT_EQ(count(client, R"("response_type":"SUBSCRIBED","channel":"CHART")", 1, 10), 1);
  // At most one candle comes with the ack; the rest come from the tick loop, one per trade.
  EXPECT_EQ(count(client, R"({"r":"DATA","c":"CHART","d":{"qc":"KRW","tc":"XRP","iv":"1m",)", 3),
            3);
}

TEST_F(SimDerivedLive, BtseSnapshotL1FramesArriveOnOss) {
  RawWebSocketClient client = raw_client_to(*sim_, "/ws/oss/spot");
  ASSERT_TRUE(client.upgraded()) << client.response_head();
  client.send_text(R"({"op":"subscribe","args":["snapshotL1:BTC-USD"]})");
  EXPECT_EQ(count(client, R"({"event":"subscribe","channel":["snapshotL1:BTC-USD"]})", 1, 10), 1);
  // One comes with the ack; the rest after book deltas that moved the top.
  EXPECT_EQ(count(client, R"({"topic":"snapshotL1:BTC-USD","data":{"bids":[[")", 3), 3);
}

}  // namespace
}  // namespace mde::live_test
