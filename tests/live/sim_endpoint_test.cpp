// The simulator's Coinone endpoint without sockets: answers, formats, errors (protocols.md A1-A3).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mde/core/frame.hpp"
#include "mde/feeds/coinone/decoder.hpp"
#include "mde/sim/coinone_endpoint.hpp"

namespace mde::sim {
namespace {

// The venue's documented TRADE examples (protocols.md A3): the same trade in both formats.
constexpr std::string_view kTradeDefault =
    R"({"response_type":"DATA","channel":"TRADE","data":{"quote_currency":"KRW","target_currency":"XRP","id":"1693560450996001","timestamp":1693560450996,"price":"688.3","qty":"5000","is_seller_maker":true}})";
constexpr std::string_view kTradeShort =
    R"({"r":"DATA","c":"TRADE","d":{"qc":"KRW","tc":"XRP","i":"1693560450996001","t":1693560450996,"p":"688.3","q":"5000","sm":true}})";

std::vector<std::string> ask(CoinoneEndpoint& endpoint, const CoinoneMarketFeed& feed,
                             std::string_view request) {
  std::vector<std::string> out;
  endpoint.on_request(request, feed, out);
  return out;
}

// Makes the feed produce frames until every market has a book.
void warm_up(CoinoneMarketFeed& feed) {
  for (int i = 0; i < 2000; ++i) (void)feed.next();
  for (const std::string& m : coinone_markets()) ASSERT_FALSE(feed.latest_book(m).empty()) << m;
}

TEST(SimCoinoneKeys, DefaultAndShortTranslateIntoEachOther) {
  EXPECT_EQ(translate_coinone_keys(kTradeDefault, CoinoneFormat::short_format), kTradeShort);
  EXPECT_EQ(translate_coinone_keys(kTradeShort, CoinoneFormat::default_format), kTradeDefault);
}

TEST(SimCoinoneEndpoint, ShortSubscribeIsAckedWithLongKeysThenTheBookInShort) {
  CoinoneMarketFeed feed(7);
  warm_up(feed);
  CoinoneEndpoint endpoint;
  const auto out = ask(endpoint, feed,
                       R"({"request_type":"SUBSCRIBE","channel":"ORDERBOOK","topic":{"quote_currency":"KRW","target_currency":"xrp"},"format":"SHORT"})");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0],
            R"({"response_type":"SUBSCRIBED","channel":"ORDERBOOK","data":{"quote_currency":"KRW","target_currency":"xrp"}})");
  EXPECT_TRUE(out[1].starts_with(R"({"r":"DATA","c":"ORDERBOOK","d":{)")) << out[1];
  EXPECT_NE(out[1].find(R"("tc":"XRP")"), std::string::npos);
  EXPECT_EQ(endpoint.counters().subscribes, 1u);
}

TEST(SimCoinoneEndpoint, DataFramesComeOnlyForSubscribedMarketsInTheirFormat) {
  CoinoneMarketFeed feed(7);
  CoinoneEndpoint endpoint;
  (void)ask(endpoint, feed,
            R"({"request_type":"SUBSCRIBE","channel":"TRADE","topic":{"quote_currency":"KRW","target_currency":"BTC"}})");
  InstrumentRegistry registry;
  coinone::Decoder decoder(registry, {.add_unknown_instruments = true});
  PaddedBuffer buf(1 << 16);
  int rendered = 0;
  std::string text;
  for (int i = 0; i < 5000; ++i) {
    const CoinoneDataFrame f = feed.next();
    const bool wanted = f.channel == "TRADE" && f.target == "BTC";
    ASSERT_EQ(endpoint.render(f, text), wanted);
    if (!wanted) continue;
    ++rendered;
    EXPECT_TRUE(text.starts_with(R"({"response_type":"DATA","channel":"TRADE")")) << text;
    ASSERT_TRUE(buf.assign(text));
    Event e;
    ASSERT_TRUE(decoder.decode(buf.view(), e).ok()) << text;
    EXPECT_EQ(e.header.kind, EventKind::trade);
  }
  EXPECT_GT(rendered, 0);
}

TEST(SimCoinoneEndpoint, UnknownMarketIsAckedThenRefusedWith160012) {
  CoinoneMarketFeed feed(1);
  CoinoneEndpoint endpoint;
  const auto out = ask(endpoint, feed,
                       R"({"request_type":"SUBSCRIBE","channel":"TRADE","topic":{"quote_currency":"KRW","target_currency":"NOPE"}})");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(out[0].starts_with(R"({"response_type":"SUBSCRIBED")"));
  EXPECT_EQ(out[1], R"({"response_type":"ERROR","error_code":160012,"message":"Invalid Topic"})");
  EXPECT_EQ(endpoint.counters().subscribes, 0u);
}

TEST(SimCoinoneEndpoint, BadValuesGet160011NamingTheField) {
  CoinoneMarketFeed feed(1);
  CoinoneEndpoint endpoint;
  EXPECT_EQ(ask(endpoint, feed, R"({"request_type":"subscribe","channel":"TRADE","topic":{"quote_currency":"KRW","target_currency":"XRP"}})"),
            std::vector<std::string>{R"({"response_type":"ERROR","error_code":160011,"message":"Invalid Type","field":"request_type"})"});
  EXPECT_EQ(ask(endpoint, feed, R"({"request_type":"SUBSCRIBE","channel":"TRADES","topic":{"quote_currency":"KRW","target_currency":"XRP"}})"),
            std::vector<std::string>{R"({"response_type":"ERROR","error_code":160011,"message":"Invalid Type","field":"channel"})"});
  EXPECT_EQ(ask(endpoint, feed, R"({"request_type":"SUBSCRIBE","channel":"TRADE","topic":{"quote_currency":"KRW","target_currency":"XRP"},"format":"short"})"),
            std::vector<std::string>{R"({"response_type":"ERROR","error_code":160011,"message":"Invalid Type","field":"format"})"});
}

TEST(SimCoinoneEndpoint, NonJsonGets160010AndPingGetsPong) {
  CoinoneMarketFeed feed(1);
  CoinoneEndpoint endpoint;
  EXPECT_EQ(ask(endpoint, feed, "hello"),
            std::vector<std::string>{R"({"response_type":"ERROR","error_code":160010,"message":"Invalid Request"})"});
  EXPECT_EQ(ask(endpoint, feed, R"({"request_type":"PING"})"),
            std::vector<std::string>{R"({"response_type":"PONG"})"});
}

TEST(SimCoinoneMarketFeed, TheSameSeedGivesTheSameFrames) {
  CoinoneMarketFeed a(42, SimClock::fixed), b(42, SimClock::fixed), c(43, SimClock::fixed);
  bool differs = false;
  for (int i = 0; i < 500; ++i) {
    const std::string fa(a.next().text);
    ASSERT_EQ(fa, b.next().text);
    differs = differs || fa != c.next().text;
  }
  EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace mde::sim
