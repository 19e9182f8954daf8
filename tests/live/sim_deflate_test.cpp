// permessage-deflate as the venues do it (protocols.md B2 "Compression", A1 "Message format"):
// BTSE's endpoints negotiate it when the client offers it and then compress their frames; Coinone
// never does. Checked with a client that is not Beast, so the bits on the wire are what is seen.
#include <gtest/gtest.h>

#include <string>

#include "live/sim_session_support.hpp"

namespace mde::live_test {
namespace {

constexpr const char* kOfferDeflate =
    "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";

bool names_deflate(const std::string& head) {
  return head.find("permessage-deflate") != std::string::npos;
}

class SimDeflate : public SimulatorFixture<Recorder> {
 protected:
  SimDeflate() : SimulatorFixture("deflate") {}
  void SetUp() override { start_sim({.rate = 2000}); }

  // Reads text messages until one contains `needle` (at most 200); counts the compressed ones.
  static bool read_until(RawWebSocketClient& c, const std::string& needle, int& compressed,
                         int& plain) {
    for (int i = 0; i < 200; ++i) {
      bool was_compressed = false;
      const std::optional<std::string> text = c.read_text(&was_compressed);
      if (!text) return false;
      EXPECT_EQ(text->front(), '{') << "not JSON after inflating: " << *text;
      (was_compressed ? compressed : plain) += 1;
      if (text->find(needle) != std::string::npos) return true;
    }
    return false;
  }
};

TEST_F(SimDeflate, BtseBookAndTradeEndpointsCompressWhenTheClientOffersDeflate) {
  struct Case {
    const char* path;
    const char* subscribe;
    const char* data;
  };
  for (const Case& c : {Case{"/ws/oss/spot", R"({"op":"subscribe","args":["update:BTC-USD_0"]})",
                             R"("topic":"update:BTC-USD_0")"},
                        Case{"/ws/spot", R"({"op":"subscribe","args":["tradeHistoryApi:BTC-USD"]})",
                             R"("topic":"tradeHistoryApi:BTC-USD")"}}) {
    SCOPED_TRACE(c.path);
    RawWebSocketClient client = raw_client_to(*sim_, c.path, kOfferDeflate);
    ASSERT_TRUE(client.upgraded()) << client.response_head();
    EXPECT_TRUE(names_deflate(client.response_head())) << client.response_head();
    client.send_text(c.subscribe);
    int compressed = 0, plain = 0;
    ASSERT_TRUE(read_until(client, c.data, compressed, plain));
    EXPECT_GT(compressed, 0);  // the ack and the data came compressed and inflate to the JSON
    EXPECT_EQ(plain, 0);
  }
  EXPECT_EQ(sim_->stats().deflate_connections.load(), 2u);
}

TEST_F(SimDeflate, CoinoneNeverNegotiatesDeflateEvenWhenOffered) {
  RawWebSocketClient client = raw_client_to(*sim_, "/", kOfferDeflate);
  ASSERT_TRUE(client.upgraded()) << client.response_head();
  EXPECT_FALSE(names_deflate(client.response_head())) << client.response_head();
  client.send_text(
      R"({"request_type":"SUBSCRIBE","channel":"ORDERBOOK","topic":{"quote_currency":"KRW","target_currency":"XRP"},"format":"DEFAULT"})");
  int compressed = 0, plain = 0;
  ASSERT_TRUE(read_until(client, R"("response_type":"DATA")", compressed, plain));
  EXPECT_EQ(compressed, 0);
  EXPECT_GE(plain, 3);  // CONNECTED, SUBSCRIBED, then the data
  EXPECT_EQ(sim_->stats().deflate_connections.load(), 0u);
}

TEST_F(SimDeflate, ABtseClientThatDoesNotOfferDeflateGetsPlainFrames) {
  RawWebSocketClient client = raw_client_to(*sim_, "/ws/oss/spot");
  ASSERT_TRUE(client.upgraded()) << client.response_head();
  EXPECT_FALSE(names_deflate(client.response_head())) << client.response_head();
  client.send_text(R"({"op":"subscribe","args":["update:ETH-USD_0"]})");
  int compressed = 0, plain = 0;
  ASSERT_TRUE(read_until(client, R"("topic":"update:ETH-USD_0")", compressed, plain));
  EXPECT_EQ(compressed, 0);
  EXPECT_EQ(sim_->stats().deflate_connections.load(), 0u);
}

}  // namespace
}  // namespace mde::live_test
