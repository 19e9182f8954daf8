// The simulator's Coinone CHART channel without sockets (protocols.md A6): the interval in the
// topic, the ack, and candles in both formats that follow the market's trades.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "frame_shape.hpp"
#include "live/live_test_support.hpp"
#include "mde/core/decimal.hpp"
#include "mde/sim/capture_frames.hpp"
#include "mde/sim/coinone_endpoint.hpp"

namespace mde::sim {
namespace {

using test::dec;
using test::keys_of;

// A6's example frame (DEFAULT keys).
constexpr std::string_view kChartExample =
    R"({"response_type":"DATA","channel":"CHART","data":{"quote_currency":"KRW","target_currency":"XRP","interval":"1m","timestamp":1693560360010,"id":"1693560360010001","candle_timestamp":1693560360000,"high":"699.5","low":"683.9","first":"698.7","last":"687.9","quote_volume":"55904975548.1528","target_volume":"80021677.1681579"}})";
// A6's SHORT keys, in the same order.
const std::vector<std::string> kShortKeys{"r",  "c",  "d",  "qc", "tc", "iv", "t", "i",
                                          "ct", "hi", "lo", "fi", "la", "qv", "tv"};

// The test's own interval lengths (A6), ms; weeks from Monday 1970-01-05 00:00 UTC.
constexpr std::array<std::int64_t, 11> kLengthMs{60'000,     180'000,    300'000,    900'000,
                                                 1'800'000,  3'600'000,  7'200'000,  14'400'000,
                                                 21'600'000, 86'400'000, 604'800'000};
constexpr std::int64_t kWeekOrigin = 4 * 86'400'000;

std::int64_t origin_of(std::size_t i) {
  return i == 10 ? kWeekOrigin : 0;
}

std::vector<std::string> ask(CoinoneEndpoint& endpoint, const CoinoneMarketFeed& feed,
                             std::string_view request) {
  std::vector<std::string> out;
  endpoint.on_request(request, feed, out);
  return out;
}

std::string subscribe(std::string_view type, std::string_view target, std::string_view interval,
                      std::string_view format = "DEFAULT") {
  return std::string(R"({"request_type":")") + std::string(type) +
         R"(","channel":"CHART","topic":{"quote_currency":"KRW","target_currency":")" +
         std::string(target) + R"(","interval":")" + std::string(interval) + R"("},"format":")" +
         std::string(format) + R"("})";
}

Notional notional(std::string_view s) {
  Notional n{};
  EXPECT_EQ(Notional::parse(s, n), DecimalError::ok) << s;
  return n;
}

// One trade or candle, read from a frame in DEFAULT keys.
struct Trade {
  std::int64_t timestamp = 0;
  std::string id;
  Decimal price{}, qty{};
};

Trade read_trade(simdjson::dom::parser& parser, const std::string& text) {
  Trade t;
  simdjson::dom::element d;
  std::string_view price, qty, id;
  EXPECT_EQ(parser.parse(text).at_key("data").get(d), simdjson::SUCCESS) << text;
  EXPECT_EQ(d["timestamp"].get(t.timestamp), simdjson::SUCCESS) << text;
  EXPECT_EQ(d["id"].get(id), simdjson::SUCCESS) << text;
  EXPECT_EQ(d["price"].get(price), simdjson::SUCCESS) << text;
  EXPECT_EQ(d["qty"].get(qty), simdjson::SUCCESS) << text;
  t.id = id;
  t.price = dec(price);
  t.qty = dec(qty);
  return t;
}

// The candles the test expects, folded from the same trades by its own rules: a trade starts a
// new candle at its interval boundary; one older than the current candle changes nothing.
struct ModelCandle {
  bool open = false;
  std::int64_t start = 0, timestamp = 0;
  std::string id;
  Decimal high{}, low{}, first{}, last{}, target_volume{};
  Notional quote_volume{};
};

struct Model {
  std::array<ModelCandle, 11> candles;
  // Folds one trade; which intervals it updated.
  std::array<bool, 11> fold(const Trade& t) {
    std::array<bool, 11> updated{};
    Notional value{};
    EXPECT_TRUE(checked_multiply(t.price, t.qty, value));
    for (std::size_t i = 0; i < candles.size(); ++i) {
      ModelCandle& c = candles[i];
      const std::int64_t rel = t.timestamp - origin_of(i);
      const std::int64_t start = origin_of(i) + (rel / kLengthMs[i]) * kLengthMs[i];  // rel > 0
      if (c.open && start < c.start) continue;
      if (!c.open || start > c.start) {
        c = ModelCandle{true, start, 0, {}, t.price, t.price, t.price, t.price, t.qty, value};
      } else {
        c.high = std::max(c.high, t.price);
        c.low = std::min(c.low, t.price);
        EXPECT_TRUE(checked_add(c.target_volume, t.qty, c.target_volume));
        EXPECT_TRUE(checked_add(c.quote_volume, value, c.quote_volume));
      }
      c.last = t.price;
      c.timestamp = t.timestamp;
      c.id = t.id;
      updated[i] = true;
    }
    return updated;
  }
};

// Checks one CHART frame against the format asked for and the model's candle; returns its
// candle_timestamp.
std::int64_t check_candle(simdjson::dom::parser& parser, const std::string& frame,
                          CoinoneFormat format, std::size_t interval, const Model& model) {
  if (format == CoinoneFormat::short_format) {
    EXPECT_EQ(keys_of(frame), kShortKeys) << frame;
    EXPECT_TRUE(frame.starts_with(R"({"r":"DATA","c":"CHART","d":{)")) << frame;
  } else {
    EXPECT_EQ(keys_of(frame), keys_of(kChartExample)) << frame;
    EXPECT_TRUE(frame.starts_with(R"({"response_type":"DATA","channel":"CHART","data":{)"))
        << frame;
  }
  const std::string text = translate_coinone_keys(frame, CoinoneFormat::default_format);
  simdjson::dom::element d;
  EXPECT_EQ(parser.parse(text).at_key("data").get(d), simdjson::SUCCESS) << text;
  std::string_view qc, tc, iv, id, hi, lo, fi, la, qv, tv;
  std::int64_t t = 0, ct = 0;
  EXPECT_EQ(d["quote_currency"].get(qc), simdjson::SUCCESS);
  EXPECT_EQ(d["target_currency"].get(tc), simdjson::SUCCESS);
  EXPECT_EQ(d["interval"].get(iv), simdjson::SUCCESS);
  EXPECT_EQ(d["timestamp"].get(t), simdjson::SUCCESS);
  EXPECT_EQ(d["id"].get(id), simdjson::SUCCESS);
  EXPECT_EQ(d["candle_timestamp"].get(ct), simdjson::SUCCESS);
  // Prices and volumes are decimal strings, never numbers.
  EXPECT_EQ(d["high"].get(hi), simdjson::SUCCESS);
  EXPECT_EQ(d["low"].get(lo), simdjson::SUCCESS);
  EXPECT_EQ(d["first"].get(fi), simdjson::SUCCESS);
  EXPECT_EQ(d["last"].get(la), simdjson::SUCCESS);
  EXPECT_EQ(d["quote_volume"].get(qv), simdjson::SUCCESS);
  EXPECT_EQ(d["target_volume"].get(tv), simdjson::SUCCESS);
  EXPECT_EQ(qc, "KRW");
  EXPECT_EQ(tc, "XRP");
  EXPECT_EQ(iv, kCoinoneChartIntervals[interval]);
  // Internally consistent ...
  const Decimal high = dec(hi), low = dec(lo), first = dec(fi), last = dec(la);
  EXPECT_GE(high, std::max(first, last)) << text;
  EXPECT_LE(low, std::min(first, last)) << text;
  EXPECT_GT(dec(tv), Decimal{}) << text;
  EXPECT_GT(notional(qv), Notional{}) << text;
  EXPECT_EQ((ct - origin_of(interval)) % kLengthMs[interval], 0) << text;
  EXPECT_LE(ct, t) << text;
  EXPECT_LT(t, ct + kLengthMs[interval]) << text;
  // ... and the candle of the trades sent.
  const ModelCandle& c = model.candles[interval];
  EXPECT_EQ(ct, c.start) << text;
  EXPECT_EQ(t, c.timestamp) << text;
  EXPECT_EQ(id, c.id) << text;
  EXPECT_EQ(high, c.high) << text;
  EXPECT_EQ(low, c.low) << text;
  EXPECT_EQ(first, c.first) << text;
  EXPECT_EQ(last, c.last) << text;
  EXPECT_EQ(dec(tv), c.target_volume) << text;
  EXPECT_EQ(notional(qv), c.quote_volume) << text;
  return ct;
}

TEST(SimCoinoneChart, TheExampleCarriesTheA6Keys) {
  // The shape the endpoint's frames are compared with: the sheet's field list.
  EXPECT_TRUE(translate_coinone_keys(kChartExample, CoinoneFormat::short_format)
                  .starts_with(R"({"r":"DATA","c":"CHART","d":{"qc":"KRW","tc":"XRP","iv":"1m",)"));
  EXPECT_EQ(keys_of(translate_coinone_keys(kChartExample, CoinoneFormat::short_format)),
            kShortKeys);
}

TEST(SimCoinoneChart, EveryDocumentedIntervalIsAckedWithLongKeysEchoingTheTopic) {
  CoinoneMarketFeed feed(7);  // no frame yet: no candle to send with the ack
  CoinoneEndpoint endpoint;
  for (const std::string_view interval : kCoinoneChartIntervals) {
    EXPECT_EQ(
        ask(endpoint, feed, subscribe("SUBSCRIBE", "xrp", interval, "SHORT")),
        std::vector<std::string>{
            R"({"response_type":"SUBSCRIBED","channel":"CHART","data":{"quote_currency":"KRW","target_currency":"xrp","interval":")" +
            std::string(interval) + R"("}})"})
        << interval;
  }
  EXPECT_EQ(endpoint.counters().subscribes, kCoinoneChartIntervals.size());
  EXPECT_EQ(endpoint.counters().errors, 0u);
}

TEST(SimCoinoneChart, AnUndocumentedIntervalIsRefusedWith160011AndAMissingOneWith160012) {
  CoinoneMarketFeed feed(7);
  CoinoneEndpoint endpoint;
  const std::vector<std::string> bad_value{
      R"({"response_type":"ERROR","error_code":160011,"message":"Invalid Type","field":"interval"})"};
  EXPECT_EQ(ask(endpoint, feed, subscribe("SUBSCRIBE", "XRP", "2m")), bad_value);
  EXPECT_EQ(ask(endpoint, feed, subscribe("SUBSCRIBE", "XRP", "1M")), bad_value);  // exact case
  EXPECT_EQ(ask(endpoint, feed, subscribe("SUBSCRIBE", "XRP", "")), bad_value);
  EXPECT_EQ(
      ask(endpoint, feed,
          R"({"request_type":"SUBSCRIBE","channel":"CHART","topic":{"quote_currency":"KRW","target_currency":"XRP"}})"),
      std::vector<std::string>{
          R"({"response_type":"ERROR","error_code":160012,"message":"Invalid Topic"})"});
  // An unknown market with a good interval: SUBSCRIBED then 160012, as for the other channels.
  const auto unknown = ask(endpoint, feed, subscribe("SUBSCRIBE", "NOPE", "1m"));
  ASSERT_EQ(unknown.size(), 2u);
  EXPECT_TRUE(unknown[0].starts_with(R"({"response_type":"SUBSCRIBED","channel":"CHART")"));
  EXPECT_EQ(unknown[1],
            R"({"response_type":"ERROR","error_code":160012,"message":"Invalid Topic"})");
  EXPECT_EQ(endpoint.counters().subscribes, 0u);
  EXPECT_EQ(endpoint.counters().errors, 5u);
  // Nothing was subscribed: trades give this connection no candles.
  std::vector<std::string> out;
  for (int i = 0; i < 3000; ++i) endpoint.render_derived(feed.next(), feed, out);
  EXPECT_TRUE(out.empty());
}

TEST(SimCoinoneChart, CandlesFollowTheMarketsTradesInEachSubscriptionsFormat) {
  CoinoneMarketFeed feed(11);
  // Connection a: 1m DEFAULT, 1h SHORT, 1w DEFAULT; connection b: 1m SHORT, and XRP TRADE (a
  // CHART subscription does not change what the TRADE subscription gets).
  struct Sub {
    std::size_t interval;
    CoinoneFormat format;
  };
  CoinoneEndpoint a, b;
  const std::vector<Sub> subs_a{{0, CoinoneFormat::default_format},
                                {5, CoinoneFormat::short_format},
                                {10, CoinoneFormat::default_format}};
  const std::vector<Sub> subs_b{{0, CoinoneFormat::short_format}};
  for (const Sub& s : subs_a) {
    ASSERT_EQ(ask(a, feed,
                  subscribe("SUBSCRIBE", "XRP", kCoinoneChartIntervals[s.interval],
                            s.format == CoinoneFormat::short_format ? "SHORT" : "DEFAULT"))
                  .size(),
              1u);
  }
  ASSERT_EQ(ask(b, feed, subscribe("SUBSCRIBE", "XRP", "1m", "SHORT")).size(), 1u);
  ASSERT_EQ(
      ask(b, feed,
          R"({"request_type":"SUBSCRIBE","channel":"TRADE","topic":{"quote_currency":"KRW","target_currency":"XRP"}})")
          .size(),
      1u);

  simdjson::dom::parser parser;
  Model model;
  std::set<std::int64_t> minute_candles;
  std::uint64_t trades = 0, candles = 0;
  std::int64_t first_ts = 0, last_ts = 0;
  std::string text;
  for (int i = 0; i < 40000; ++i) {
    const CoinoneDataFrame f = feed.next();
    std::array<bool, 11> updated{};
    const bool xrp_trade = f.channel == "TRADE" && f.target == "XRP";
    if (xrp_trade) {
      ++trades;
      const Trade t =
          read_trade(parser, translate_coinone_keys(f.text, CoinoneFormat::default_format));
      updated = model.fold(t);
      if (first_ts == 0) first_ts = t.timestamp;
      last_ts = t.timestamp;
    }
    EXPECT_EQ(b.render(f, text), xrp_trade);  // the TRADE subscription as before
    if (xrp_trade) {
      EXPECT_NE(text.find(R"("TRADE")"), std::string::npos) << text;
    }
    for (auto [endpoint, subs] : {std::pair{&a, &subs_a}, std::pair{&b, &subs_b}}) {
      std::vector<std::string> out;
      endpoint->render_derived(f, feed, out);
      std::size_t k = 0;
      for (const Sub& s : *subs) {
        if (!updated[s.interval]) continue;  // a non-trade, another market, or a late trade
        ASSERT_LT(k, out.size()) << "no candle for interval " << s.interval;
        const std::int64_t ct = check_candle(parser, out[k++], s.format, s.interval, model);
        if (s.interval == 0) minute_candles.insert(ct);
        ++candles;
      }
      EXPECT_EQ(k, out.size());
    }
  }
  std::printf("XRP trades %llu over %lld ms, candle frames %llu, 1m candles %zu\n",
              static_cast<unsigned long long>(trades), static_cast<long long>(last_ts - first_ts),
              static_cast<unsigned long long>(candles), minute_candles.size());
  EXPECT_GT(trades, 20u);
  EXPECT_GE(candles, 4 * trades - 4);  // (a trade older than its 1m candle may update fewer)
  // A late subscriber gets the current candle at once, then follows.
  CoinoneEndpoint late;
  const auto out = ask(late, feed, subscribe("SUBSCRIBE", "XRP", "5m", "SHORT"));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(
      out[0],
      R"({"response_type":"SUBSCRIBED","channel":"CHART","data":{"quote_currency":"KRW","target_currency":"XRP","interval":"5m"}})");
  (void)check_candle(parser, out[1], CoinoneFormat::short_format, 2, model);
}

TEST(SimCoinoneChart, UnsubscribeStopsThatIntervalOnly) {
  CoinoneMarketFeed feed(5);
  CoinoneEndpoint endpoint;
  (void)ask(endpoint, feed, subscribe("SUBSCRIBE", "BTC", "1m"));
  (void)ask(endpoint, feed, subscribe("SUBSCRIBE", "BTC", "15m", "SHORT"));
  auto pump = [&](int n) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) endpoint.render_derived(feed.next(), feed, out);
    return out;
  };
  auto count = [](const std::vector<std::string>& frames, std::string_view needle) {
    return std::count_if(frames.begin(), frames.end(),
                         [&](const std::string& f) { return f.find(needle) != std::string::npos; });
  };
  const auto before = pump(20000);
  EXPECT_GT(count(before, R"("interval":"1m")"), 0);
  EXPECT_GT(count(before, R"("iv":"15m")"), 0);
  EXPECT_EQ(
      ask(endpoint, feed, subscribe("UNSUBSCRIBE", "BTC", "1m")),
      std::vector<std::string>{
          R"({"response_type":"UNSUBSCRIBED","channel":"CHART","data":{"quote_currency":"KRW","target_currency":"BTC","interval":"1m"}})"});
  EXPECT_EQ(endpoint.counters().unsubscribes, 1u);
  const auto after = pump(20000);
  EXPECT_EQ(count(after, R"("interval":"1m")"), 0);
  EXPECT_EQ(count(after, R"("iv":"15m")"), static_cast<std::ptrdiff_t>(after.size()));
  EXPECT_GT(after.size(), 0u);
  (void)ask(endpoint, feed, subscribe("UNSUBSCRIBE", "BTC", "15m"));
  EXPECT_TRUE(pump(20000).empty());
}

TEST(SimCoinoneChart, CandlesFromKnownTradesAreExactAcrossACandleBoundary) {
  // Four XRP trades (a capture, so the timestamps are the test's): two in the 09:25 minute, one
  // at 09:26:00.010, then one stamped back in 09:25 (late). All four lie in the 09:24 3m candle.
  live_test::TempDir dir("chart-capture");
  const std::string path = (dir.path() / "trades.jsonl").string();
  {
    std::ofstream out(path);
    out << "1000000000\t"
        << R"({"response_type":"DATA","channel":"TRADE","data":{"quote_currency":"KRW","target_currency":"XRP","id":"1693560359000001","timestamp":1693560359000,"price":"688.3","qty":"5000","is_seller_maker":true}})"
        << "\n1000100000\t"
        << R"({"r":"DATA","c":"TRADE","d":{"qc":"KRW","tc":"XRP","i":"1693560359500001","t":1693560359500,"p":"690","q":"10","sm":false}})"
        << "\n1000200000\t"
        << R"({"response_type":"DATA","channel":"TRADE","data":{"quote_currency":"KRW","target_currency":"XRP","id":"1693560360010001","timestamp":1693560360010,"price":"687.9","qty":"2.5","is_seller_maker":true}})"
        << "\n1000300000\t"
        << R"({"r":"DATA","c":"TRADE","d":{"qc":"KRW","tc":"XRP","i":"1693560359900001","t":1693560359900,"p":"700","q":"1","sm":false}})"
        << "\n";
  }
  CoinoneMarketFeed feed(std::make_unique<CaptureFrames>(path, Venue::coinone));
  CoinoneEndpoint endpoint;
  ASSERT_EQ(ask(endpoint, feed, subscribe("SUBSCRIBE", "XRP", "1m", "SHORT")).size(), 1u);
  ASSERT_EQ(ask(endpoint, feed, subscribe("SUBSCRIBE", "XRP", "3m")).size(), 1u);
  const std::vector<std::vector<std::string>> expected{
      {R"({"r":"DATA","c":"CHART","d":{"qc":"KRW","tc":"XRP","iv":"1m","t":1693560359000,"i":"1693560359000001","ct":1693560300000,"hi":"688.3","lo":"688.3","fi":"688.3","la":"688.3","qv":"3441500","tv":"5000"}})",
       R"({"response_type":"DATA","channel":"CHART","data":{"quote_currency":"KRW","target_currency":"XRP","interval":"3m","timestamp":1693560359000,"id":"1693560359000001","candle_timestamp":1693560240000,"high":"688.3","low":"688.3","first":"688.3","last":"688.3","quote_volume":"3441500","target_volume":"5000"}})"},
      {R"({"r":"DATA","c":"CHART","d":{"qc":"KRW","tc":"XRP","iv":"1m","t":1693560359500,"i":"1693560359500001","ct":1693560300000,"hi":"690","lo":"688.3","fi":"688.3","la":"690","qv":"3448400","tv":"5010"}})",
       R"({"response_type":"DATA","channel":"CHART","data":{"quote_currency":"KRW","target_currency":"XRP","interval":"3m","timestamp":1693560359500,"id":"1693560359500001","candle_timestamp":1693560240000,"high":"690","low":"688.3","first":"688.3","last":"690","quote_volume":"3448400","target_volume":"5010"}})"},
      // A new minute: the 1m candle starts again; the 3m one goes on.
      {R"({"r":"DATA","c":"CHART","d":{"qc":"KRW","tc":"XRP","iv":"1m","t":1693560360010,"i":"1693560360010001","ct":1693560360000,"hi":"687.9","lo":"687.9","fi":"687.9","la":"687.9","qv":"1719.75","tv":"2.5"}})",
       R"({"response_type":"DATA","channel":"CHART","data":{"quote_currency":"KRW","target_currency":"XRP","interval":"3m","timestamp":1693560360010,"id":"1693560360010001","candle_timestamp":1693560240000,"high":"690","low":"687.9","first":"688.3","last":"687.9","quote_volume":"3450119.75","target_volume":"5012.5"}})"},
      // The late trade: its minute has closed (no 1m frame); it is in the current 3m candle.
      {R"({"response_type":"DATA","channel":"CHART","data":{"quote_currency":"KRW","target_currency":"XRP","interval":"3m","timestamp":1693560359900,"id":"1693560359900001","candle_timestamp":1693560240000,"high":"700","low":"687.9","first":"688.3","last":"700","quote_volume":"3450819.75","target_volume":"5013.5"}})"},
  };
  for (const std::vector<std::string>& want : expected) {
    const CoinoneDataFrame f = feed.next();
    ASSERT_EQ(f.channel, "TRADE");
    std::vector<std::string> out;
    endpoint.render_derived(f, feed, out);
    EXPECT_EQ(out, want);
  }
  // A subscriber after the last trade gets the current 1m candle (09:26) with its ack.
  CoinoneEndpoint late;
  EXPECT_EQ(
      ask(late, feed, subscribe("SUBSCRIBE", "XRP", "1m")),
      (std::vector<std::string>{
          R"({"response_type":"SUBSCRIBED","channel":"CHART","data":{"quote_currency":"KRW","target_currency":"XRP","interval":"1m"}})",
          R"({"response_type":"DATA","channel":"CHART","data":{"quote_currency":"KRW","target_currency":"XRP","interval":"1m","timestamp":1693560360010,"id":"1693560360010001","candle_timestamp":1693560360000,"high":"687.9","low":"687.9","first":"687.9","last":"687.9","quote_volume":"1719.75","target_volume":"2.5"}})"}));
}

TEST(SimCoinoneChart, CandleStartsAreAlignedToTheInterval) {
  // 2023-09-01 09:26:00.010 UTC, a Friday (the A6 example's timestamp).
  const std::int64_t ts = 1693560360010;
  EXPECT_EQ(coinone_candle_start(ts, coinone_chart_interval("1m")), 1693560360000);
  EXPECT_EQ(coinone_candle_start(ts, coinone_chart_interval("15m")), 1693559700000);
  EXPECT_EQ(coinone_candle_start(ts, coinone_chart_interval("4h")), 1693555200000);
  EXPECT_EQ(coinone_candle_start(ts, coinone_chart_interval("1d")), 1693526400000);
  EXPECT_EQ(coinone_candle_start(ts, coinone_chart_interval("1w")), 1693180800000);  // Mon 08-28
  EXPECT_EQ(coinone_chart_interval("2m"), kCoinoneChartIntervals.size());
}

}  // namespace
}  // namespace mde::sim
