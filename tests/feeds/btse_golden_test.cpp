// Golden frames: every BTSE server frame of protocols.md B3, B4 and B6 (plus the B2 `pong` and
// the B7 login reply), copied into tests/data/btse_protocol_frames.jsonl, decodes to the exact
// events written out below, and decodes the same whatever the key order, spacing or unknown keys
// around it.
//
// Expected values are raw mantissas (scale 8, a digit separator where the decimal point goes), so
// these tests do not trust Decimal::parse. Values below one are written without the leading 0.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mde/core/events.hpp"
#include "mde/feeds/btse/decoder.hpp"
#include "support/btse_harness.hpp"
#include "support/coinone_harness.hpp"
#include "support/event_compare.hpp"
#include "support/json_rewrite.hpp"

namespace mde {
namespace {

using test::BtseHarness;
using test::events_equal;
using test::frame_containing;
using test::Json;

constexpr std::string_view kFile = "btse_protocol_frames.jsonl";
constexpr std::int64_t kMilli = 1'000'000;

Decimal dec(std::int64_t mantissa) { return Decimal::from_mantissa(mantissa); }

::testing::AssertionResult decodes(BtseHarness& h, std::string_view frame, std::size_t events) {
  const DecodeResult r = h.decode(frame);
  if (!r.ok()) {
    return ::testing::AssertionFailure()
           << "rejected: " << to_string(r.status) << " (" << r.field << ")\n  frame: " << frame;
  }
  if (h.events().size() != events) {
    return ::testing::AssertionFailure() << h.events().size() << " events, expected " << events;
  }
  return ::testing::AssertionSuccess();
}

void expect_header(const Event& e, EventKind kind, InstrumentId instrument, std::int64_t ns) {
  EXPECT_EQ(e.header.kind, kind);
  EXPECT_EQ(e.header.venue, Venue::btse);
  EXPECT_EQ(e.header.instrument, instrument);
  EXPECT_EQ(e.header.exchange_ns, ns);
  EXPECT_EQ(e.header.receive_ns, 0);
  EXPECT_EQ(e.header.enqueue_tsc, 0u);
  EXPECT_EQ(e.header.connection, 7u);
}

void expect_level(const PriceLevel& l, std::int64_t price, std::int64_t qty) {
  EXPECT_EQ(l.price, dec(price));
  EXPECT_EQ(l.qty, dec(qty));
}

void expect_control(const Event& e, ControlType type, Channel channel, std::string_view topic,
                    InstrumentId instrument) {
  expect_header(e, EventKind::control, instrument, 0);
  const Control& c = e.control;
  EXPECT_EQ(c.type, type);
  EXPECT_EQ(c.channel, channel);
  EXPECT_EQ(c.topic, topic);
  EXPECT_EQ(c.topic_count, topic.empty() ? 0 : 1);
  EXPECT_TRUE(c.session_id.empty());
  EXPECT_TRUE(c.field.empty());
}

BtseHarness harness() { return BtseHarness(btse::DecoderOptions{.connection = 7}); }

TEST(BtseGolden, SnapshotKeepsEveryLevelInWireOrderAndResetsTheBook) {
  BtseHarness h = harness();
  ASSERT_TRUE(decodes(h, frame_containing(kFile, {R"("type":"snapshot")"}), 1));
  const Event& e = h.event();
  expect_header(e, EventKind::book, h.id("BTC-USD"), 1565135165600 * kMilli);
  const BookUpdate& b = e.book;
  EXPECT_EQ(b.id, 628282u);
  EXPECT_EQ(b.prev_id, 628281u);
  EXPECT_EQ(b.action, BookAction::snapshot);
  EXPECT_EQ(b.part_flags, kBookSnapshotResets);
  ASSERT_EQ(b.bid_count, 5);
  ASSERT_EQ(b.ask_count, 5);
  expect_level(b.bids[0], 59252'50000000, 6865000);
  expect_level(b.bids[1], 59249'00000000, 24000000);  // "59249.0": trailing zeros kept on the wire
  expect_level(b.bids[2], 59235'50000000, 16073000);
  expect_level(b.bids[3], 59235'00000000, 26626000);
  expect_level(b.bids[4], 59233'00000000, 50000000);
  expect_level(b.asks[0], 59292'00000000, 50000000);  // asks worst-first, as sent
  expect_level(b.asks[1], 59285'50000000, 24000000);
  expect_level(b.asks[2], 59285'00000000, 15598000);
  expect_level(b.asks[3], 59282'50000000, 6829000);
  expect_level(b.asks[4], 59278'50000000, 1472000);
}

TEST(BtseGolden, DeltaWithoutTheGroupingSuffixRoutesOnTheSymbolAndPutsDeletionsFirst) {
  BtseHarness h = harness();
  ASSERT_TRUE(decodes(h, frame_containing(kFile, {R"("topic":"update:BTC-USD",)"}), 1));
  const Event& e = h.event();
  expect_header(e, EventKind::book, h.id("BTC-USD"), 1565135165600 * kMilli);
  const BookUpdate& b = e.book;
  EXPECT_EQ(b.id, 628283u);
  EXPECT_EQ(b.prev_id, 628282u);
  EXPECT_EQ(b.action, BookAction::delta);
  EXPECT_EQ(b.part_flags, 0);
  EXPECT_EQ(b.bid_count, 0);
  ASSERT_EQ(b.ask_count, 2);
  expect_level(b.asks[0], 59325'50000000, 0);  // the deletion, listed second on the wire
  expect_level(b.asks[1], 59367'50000000, 2'15622000);
}

TEST(BtseGolden, FuturesWireDeltaDecodesItsIntegerSizes) {
  BtseHarness h = harness();
  ASSERT_TRUE(decodes(h, frame_containing(kFile, {"BTC-PERP_0"}), 1));
  const Event& e = h.event();
  expect_header(e, EventKind::book, h.id("BTC-PERP"), 1790133628076 * kMilli);
  const BookUpdate& b = e.book;
  EXPECT_EQ(b.id, 86511210u);
  EXPECT_EQ(b.prev_id, 86511209u);
  EXPECT_EQ(b.action, BookAction::delta);
  EXPECT_EQ(b.part_flags, 0);
  ASSERT_EQ(b.bid_count, 2);
  EXPECT_EQ(b.ask_count, 0);
  expect_level(b.bids[0], 86540'60000000, 60672'00000000);
  expect_level(b.bids[1], 86540'50000000, 4400'00000000);
}

TEST(BtseGolden, TradeBatchOfOneParsesItsBareNumbersExactly) {
  BtseHarness h = harness();
  ASSERT_TRUE(decodes(h, frame_containing(kFile, {"tradeHistoryApi:BTC-USD\",\"data"}), 1));
  const Event& e = h.event();
  expect_header(e, EventKind::trade, h.id("BTC-USD"), 1584446020295 * kMilli);
  EXPECT_EQ(e.trade.id, "118974855");
  EXPECT_EQ(e.trade.price, dec(5302'80000000));
  EXPECT_EQ(e.trade.qty, dec(700000));
  EXPECT_EQ(e.trade.taker_side, Side::sell);
}

TEST(BtseGolden, SubscribeAckIsOneControlPerTopic) {
  BtseHarness h = harness();
  ASSERT_TRUE(decodes(h, frame_containing(kFile, {R"("event":"subscribe")", "snapshotL1"}), 2));
  expect_control(h.event(0), ControlType::subscribed, Channel::book, "update:BTC-USD_0",
                 h.id("BTC-USD"));
  expect_control(h.event(1), ControlType::subscribed, Channel::book, "snapshotL1:ETH-USD",
                 h.id("ETH-USD"));
  EXPECT_EQ(h.event(0).control.error_code, 0);
  EXPECT_TRUE(h.event(0).control.message.empty());
}

TEST(BtseGolden, UnsubscribeAckNamesItsTopic) {
  BtseHarness h = harness();
  ASSERT_TRUE(decodes(h, frame_containing(kFile, {R"("event":"unsubscribe")"}), 1));
  expect_control(h.event(), ControlType::unsubscribed, Channel::book, "update:BTC-USD_0",
                 h.id("BTC-USD"));
}

TEST(BtseGolden, TradeSubscribeAckIsOnTheTradeChannel) {
  BtseHarness h = harness();
  ASSERT_TRUE(
      decodes(h, frame_containing(kFile, {R"("channel":["tradeHistoryApi:BTC-USD"])"}), 1));
  expect_control(h.event(), ControlType::subscribed, Channel::trade, "tradeHistoryApi:BTC-USD",
                 h.id("BTC-USD"));
}

TEST(BtseGolden, ErrorFrameNamesTopicCodeAndMessage) {
  BtseHarness h = harness();
  ASSERT_TRUE(decodes(h, frame_containing(kFile, {R"("severity":"ERROR")"}), 1));
  // BTCC-USD is not a market: no instrument, and the decoder did not register it.
  expect_control(h.event(), ControlType::error, Channel::book, "update:BTCC-USD_0",
                 kNoInstrument);
  EXPECT_EQ(h.event().control.error_code, 1000);
  EXPECT_EQ(h.event().control.message, "Market pair provided is currently not supported.");
  EXPECT_FALSE(h.registry().find(Venue::btse, "BTCC-USD"));
}

TEST(BtseGolden, PlainTextPongIsAControl) {
  BtseHarness h = harness();
  ASSERT_TRUE(decodes(h, "pong", 1));
  expect_control(h.event(), ControlType::pong, Channel::none, "", kNoInstrument);
  EXPECT_EQ(h.event().control.error_code, 0);
  ASSERT_TRUE(decodes(h, " pong\r\n", 1));  // as a text capture may keep it
  EXPECT_EQ(h.event().control.type, ControlType::pong);
}

TEST(BtseGolden, LoginReplyConnectsTheOrderStream) {
  BtseHarness h = harness();
  ASSERT_TRUE(decodes(h, frame_containing(kFile, {R"("event":"login")"}), 1));
  expect_control(h.event(), ControlType::connected, Channel::orders, "", kNoInstrument);
  ASSERT_TRUE(decodes(h, R"({"event":"login","success":false})", 1));
  expect_control(h.event(), ControlType::error, Channel::orders, "", kNoInstrument);
  EXPECT_EQ(h.event().control.message, "login failed");
}

TEST(BtseGolden, EveryFrameOfTheFileIsCheckedAbove) {
  // A frame added to the file without a check above would go untested.
  EXPECT_EQ(test::read_jsonl(kFile).size(), 10u);
}

// ---- The same frames, rewritten -------------------------------------------------------------

std::vector<Event> decode_all(BtseHarness& h, const std::string& frame) {
  EXPECT_TRUE(h.decode(frame).ok()) << frame;
  return h.events();
}

::testing::AssertionResult same_events(const std::vector<Event>& a, const std::vector<Event>& b) {
  if (a.size() != b.size()) {
    return ::testing::AssertionFailure() << a.size() << " vs " << b.size() << " events";
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (auto r = events_equal(a[i], b[i]); !r) return r << " (event " << i << ")";
  }
  return ::testing::AssertionSuccess();
}

TEST(BtseGolden, KeyOrderSpacingAndUnknownKeysDoNotChangeTheEvents) {
  BtseHarness h = harness();
  for (const std::string& frame : test::read_jsonl(kFile)) {
    if (frame == "pong") continue;
    SCOPED_TRACE(frame);
    const std::vector<Event> expected = decode_all(h, frame);
    ASSERT_FALSE(expected.empty());
    const Json j = Json::parse(frame);
    EXPECT_TRUE(same_events(expected, decode_all(h, test::reversed(j).dump())));
    EXPECT_TRUE(same_events(expected, decode_all(h, j.dump(2))));
    EXPECT_TRUE(same_events(expected, decode_all(h, test::with_unknown_keys(j).dump())));
    EXPECT_TRUE(same_events(expected, decode_all(h, test::moved_last(frame, "topic"))));
  }
}

TEST(BtseGolden, LegacyTradeTopicDecodesLikeTheCurrentOne) {
  BtseHarness h = harness();
  const std::string current = frame_containing(kFile, {"tradeHistoryApi:BTC-USD\",\"data"});
  std::string legacy = current;
  legacy.replace(legacy.find("tradeHistoryApi:"), 16, "tradeHistory:");
  EXPECT_TRUE(same_events(decode_all(h, current), decode_all(h, legacy)));
}

TEST(BtseGolden, UnknownMarketsAreAddedWhenAllowed) {
  BtseHarness h(btse::DecoderOptions{.add_unknown_instruments = true, .connection = 7}, {});
  ASSERT_TRUE(decodes(h, frame_containing(kFile, {R"("type":"snapshot")"}), 1));
  EXPECT_EQ(h.event().header.instrument, h.id("BTC-USD"));
  EXPECT_EQ(h.registry().venue(h.id("BTC-USD")), Venue::btse);
  // BTC-USD on another venue is another instrument.
  ASSERT_TRUE(h.registry().add(Venue::coinone, "BTC-USD"));
  EXPECT_NE(*h.registry().find(Venue::coinone, "BTC-USD"), h.id("BTC-USD"));
}

TEST(BtseGolden, ABatchIsEmittedInWireOrderWithEachTradesOwnFields) {
  BtseHarness h = harness();
  const std::string batch =
      R"({"topic":"tradeHistoryApi:BTC-USD","data":[)"
      R"({"symbol":"BTC-USD","side":"BUY","size":5.0E-4,"price":5302.8,"tradeId":3,"timestamp":1584446020295},)"
      R"({"symbol":"ETH-USD","side":"SELL","size":1.25E-3,"price":1E+2,"tradeId":1,"timestamp":1584446020296},)"
      R"({"symbol":"BTC-USD","side":"BUY","size":2.5e3,"price":0.5,"tradeId":9223372036854775808,"timestamp":1584446020297}]})";
  ASSERT_TRUE(decodes(h, batch, 3));
  expect_header(h.event(0), EventKind::trade, h.id("BTC-USD"), 1584446020295 * kMilli);
  EXPECT_EQ(h.event(0).trade.id, "3");
  EXPECT_EQ(h.event(0).trade.qty, dec(50000));
  EXPECT_EQ(h.event(0).trade.taker_side, Side::buy);
  expect_header(h.event(1), EventKind::trade, h.id("ETH-USD"), 1584446020296 * kMilli);
  EXPECT_EQ(h.event(1).trade.qty, dec(125000));
  EXPECT_EQ(h.event(1).trade.price, dec(100'00000000));
  EXPECT_EQ(h.event(1).trade.taker_side, Side::sell);
  expect_header(h.event(2), EventKind::trade, h.id("BTC-USD"), 1584446020297 * kMilli);
  EXPECT_EQ(h.event(2).trade.qty, dec(2500'00000000));
  EXPECT_EQ(h.event(2).trade.price, dec(50000000));
  EXPECT_EQ(h.event(2).trade.id, "9223372036854775808");
}

}  // namespace
}  // namespace mde
