// Malformed BTSE frames: each is rejected with the right status (and field, where meaningful),
// emits NOTHING (a batch with one bad trade, a delta with one bad level), and the decoder decodes
// the next good frame exactly as if the bad one had never happened.
#include <gtest/gtest.h>

#include <stdexcept>
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
using test::with;

constexpr std::string_view kFile = "btse_protocol_frames.jsonl";

constexpr std::string_view kSnapshot =
    R"({"topic":"update:BTC-USD_0","data":{"bids":[["59252.5","0.06865"]],"asks":[["59292.0","0.50000"]],"seqNum":628282,"prevSeqNum":628281,"type":"snapshot","timestamp":1565135165600,"symbol":"BTC-USD"}})";
constexpr std::string_view kDelta =
    R"({"topic":"update:BTC-USD","data":{"bids":[],"asks":[["59367.5","2.15622"],["59325.5","0"]],"seqNum":628283,"prevSeqNum":628282,"type":"delta","timestamp":1565135165600,"symbol":"BTC-USD"}})";
constexpr std::string_view kTrades =
    R"({"topic":"tradeHistoryApi:BTC-USD","data":[{"symbol":"BTC-USD","side":"SELL","size":0.007,"price":5302.8,"tradeId":118974855,"timestamp":1584446020295},{"symbol":"BTC-USD","side":"BUY","size":0.5,"price":5303,"tradeId":118974856,"timestamp":1584446020296}]})";
constexpr std::string_view kAck = R"({"event":"subscribe","channel":["update:BTC-USD_0"]})";
constexpr std::string_view kError =
    R"({"severity":"ERROR","errors":[{"arg":"update:BTCC-USD_0","error":{"code":1000,"message":"m"}}]})";


// The second trade of kTrades, with `from` replaced: the first trade stays valid, so a decoder
// that emitted as it went would leak it.
std::string second_trade_with(std::string_view from, std::string_view to) {
  const std::string_view first_end = "1584446020295},";
  const std::size_t split = kTrades.find(first_end) + first_end.size();
  return std::string(kTrades.substr(0, split)) + with(kTrades.substr(split), from, to);
}

std::string entries(int n, std::string_view size = "1") {
  std::string s;
  for (int i = 0; i < n; ++i) {
    if (i) s += ',';
    s += "[\"" + std::to_string(1000 + i) + "\",\"" + std::string(size) + "\"]";
  }
  return s;
}

std::string trades(int n) {
  std::string s = R"({"topic":"tradeHistoryApi:BTC-USD","data":[)";
  for (int i = 0; i < n; ++i) {
    if (i) s += ',';
    s += R"({"symbol":"BTC-USD","side":"BUY","size":1,"price":2,"tradeId":)" +
         std::to_string(i + 1) + R"(,"timestamp":1584446020295})";
  }
  return s + "]}";
}

struct BadFrame {
  std::string name;
  std::string frame;
  DecodeStatus status;
  const char* field;  // nullptr: not meaningful for this failure
};

std::vector<BadFrame> bad_frames() {
  const std::string long_topic = "update:" + std::string(50, 'X');
  return {
      // ---- Not a frame
      {"empty input", "", DecodeStatus::empty_input, nullptr},
      {"whitespace only", " \n ", DecodeStatus::empty_input, nullptr},
      {"ping is what we send, not what we get", "ping", DecodeStatus::not_an_object, nullptr},
      {"PONG in capitals", "PONG", DecodeStatus::not_an_object, nullptr},
      {"top-level array", "[1]", DecodeStatus::not_an_object, nullptr},
      {"second object after the frame", std::string(kAck) + "{}", DecodeStatus::trailing_content,
       nullptr},
      {"client subscribe request", R"({"op":"subscribe","args":["update:BTC-USD_0"]})",
       DecodeStatus::missing_field, "topic"},
      {"client unsubscribe request", R"({"op":"unsubscribe","args":["update:BTC-USD_0"]})",
       DecodeStatus::missing_field, "topic"},

      // ---- Envelope
      {"unknown topic", with(kTrades, "tradeHistoryApi:", "tradeHistoryApiV3:"),
       DecodeStatus::unknown_channel, "topic"},
      {"L1 topic (not decoded: no sequence numbers)", with(kSnapshot, "update:", "snapshotL1:"),
       DecodeStatus::unknown_channel, "topic"},
      {"topic as number", with(kSnapshot, R"("update:BTC-USD_0")", "1"), DecodeStatus::wrong_type,
       "topic"},
      {"duplicate topic", with(kSnapshot, R"("data")", R"("topic":"update:BTC-USD_0","data")"),
       DecodeStatus::duplicate_field, "topic"},
      {"topic without data", R"({"topic":"update:BTC-USD_0"})", DecodeStatus::missing_field,
       "data"},
      {"topic with null data", R"({"topic":"update:BTC-USD_0","data":null})",
       DecodeStatus::missing_field, "data"},
      {"book data as array", R"({"topic":"update:BTC-USD_0","data":[]})",
       DecodeStatus::not_an_object, "data"},
      {"trade data as object", R"({"topic":"tradeHistoryApi:BTC-USD","data":{}})",
       DecodeStatus::wrong_type, "data"},
      {"unknown event", with(kAck, "\"subscribe\"", "\"subscribed\""),
       DecodeStatus::unknown_response_type, "event"},
      {"ack without channel", R"({"event":"subscribe"})", DecodeStatus::missing_field, "channel"},
      {"ack channel as number", with(kAck, R"(["update:BTC-USD_0"])", "5"),
       DecodeStatus::wrong_type, "channel"},
      {"ack topic as number", with(kAck, R"("update:BTC-USD_0")", "5"), DecodeStatus::wrong_type,
       "channel"},
      {"ack topic longer than its slot", with(kAck, "update:BTC-USD_0", long_topic),
       DecodeStatus::field_too_long, "channel"},
      {"login without success", R"({"event":"login"})", DecodeStatus::missing_field, "success"},
      {"login success as string", R"({"event":"login","success":"true"})",
       DecodeStatus::wrong_type, "success"},
      {"error frame without errors", R"({"severity":"ERROR"})", DecodeStatus::missing_field,
       "errors"},
      {"errors as object", R"({"severity":"ERROR","errors":{}})", DecodeStatus::wrong_type,
       "errors"},
      {"error entry without error", R"({"severity":"ERROR","errors":[{"arg":"x"}]})",
       DecodeStatus::missing_field, "errors[].error"},
      {"error without code", with(kError, R"("code":1000,)", ""), DecodeStatus::missing_field,
       "errors[].error.code"},
      {"error code as string", with(kError, "1000", "\"1000\""), DecodeStatus::wrong_type,
       "errors[].error.code"},
      {"error code fractional", with(kError, "1000", "1000.5"), DecodeStatus::bad_number,
       "errors[].error.code"},

      // ---- Book
      {"missing seqNum", with(kSnapshot, R"("seqNum":628282,)", ""), DecodeStatus::missing_field,
       "data.seqNum"},
      {"null seqNum", with(kSnapshot, "628282,", "null,"), DecodeStatus::missing_field,
       "data.seqNum"},
      {"negative seqNum", with(kSnapshot, "628282,", "-1,"), DecodeStatus::bad_number,
       "data.seqNum"},
      {"fractional seqNum", with(kSnapshot, "628282,", "1.5,"), DecodeStatus::bad_number,
       "data.seqNum"},
      {"delta without prevSeqNum", with(kDelta, R"("prevSeqNum":628282,)", ""),
       DecodeStatus::missing_field, "data.prevSeqNum"},
      {"missing type", with(kSnapshot, R"("type":"snapshot",)", ""), DecodeStatus::missing_field,
       "data.type"},
      {"unknown type", with(kSnapshot, "\"snapshot\"", "\"snapshotL1\""), DecodeStatus::bad_value,
       "data.type"},
      {"missing symbol", with(kSnapshot, R"(,"symbol":"BTC-USD")", ""),
       DecodeStatus::missing_field, "data.symbol"},
      {"unknown symbol", with(kSnapshot, R"("BTC-USD"})", R"("DOGE-USD"})"),
       DecodeStatus::unknown_instrument, "data.symbol"},
      {"empty symbol", with(kSnapshot, R"("BTC-USD"})", R"(""})"), DecodeStatus::bad_value,
       "data.symbol"},
      {"symbol longer than a market name", with(kSnapshot, R"("BTC-USD"})", "\"" + std::string(40, 'S') + "\"}"),
       DecodeStatus::field_too_long, "data.symbol"},
      {"missing timestamp", with(kSnapshot, R"("timestamp":1565135165600,)", ""),
       DecodeStatus::missing_field, "data.timestamp"},
      {"zero timestamp", with(kSnapshot, "1565135165600", "0"), DecodeStatus::missing_field,
       "data.timestamp"},
      {"bids as object", with(kSnapshot, R"([["59252.5","0.06865"]])", "{}"),
       DecodeStatus::wrong_type, "data.bids"},
      {"level as object", with(kSnapshot, R"(["59252.5","0.06865"])", R"({"p":"1"})"),
       DecodeStatus::wrong_type, "data.bids"},
      {"level with one item", with(kSnapshot, R"(["59252.5","0.06865"])", R"(["59252.5"])"),
       DecodeStatus::wrong_type, "data.bids"},
      {"level with three items",
       with(kSnapshot, R"(["59252.5","0.06865"])", R"(["59252.5","0.06865","1"])"),
       DecodeStatus::wrong_type, "data.bids"},
      {"price as bare number", with(kSnapshot, R"("59252.5")", "59252.5"),
       DecodeStatus::wrong_type, "data.bids[].price"},
      {"size as bool", with(kSnapshot, R"("0.06865")", "true"), DecodeStatus::wrong_type,
       "data.bids[].size"},
      {"null price", with(kSnapshot, R"("59292.0")", "null"), DecodeStatus::missing_field,
       "data.asks[].price"},
      {"zero price", with(kSnapshot, R"("59252.5")", R"("0")"), DecodeStatus::bad_number,
       "data.bids[].price"},
      {"zero price spelled 0.000", with(kSnapshot, R"("59292.0")", R"("0.000")"),
       DecodeStatus::bad_number, "data.asks[].price"},
      {"negative price", with(kSnapshot, R"("59292.0")", R"("-59292.0")"),
       DecodeStatus::bad_number, "data.asks[].price"},
      {"negative size", with(kDelta, R"("2.15622")", R"("-2.15622")"), DecodeStatus::bad_number,
       "data.asks[].size"},
      {"price with exponent", with(kSnapshot, R"("59252.5")", R"("5.92525E4")"),
       DecodeStatus::bad_number, "data.bids[].price"},
      {"price too precise", with(kSnapshot, R"("59252.5")", R"("59252.500000001")"),
       DecodeStatus::bad_number, "data.bids[].price"},
      {"size out of range", with(kSnapshot, R"("0.06865")", R"("92233720369")"),
       DecodeStatus::bad_number, "data.bids[].size"},
      {"price with escape", with(kSnapshot, R"("59252.5")", R"("5925\u0032.5")"),
       DecodeStatus::bad_number, "data.bids[].price"},
      {"1025 entries on one side", with(kDelta, "\"bids\":[]", "\"bids\":[" + entries(1025) + "]"),
       DecodeStatus::too_many_levels, "data.bids"},
      {"one bad level among many",
       with(kDelta, "\"bids\":[]", "\"bids\":[" + entries(100) + R"(,["1","x"]])"),
       DecodeStatus::bad_number, "data.bids[].size"},

      // ---- Trades
      {"bad size in the second trade", second_trade_with("0.5", "1E-9"), DecodeStatus::bad_number,
       "data[].size"},
      {"size as string", second_trade_with("0.5", "\"0.5\""), DecodeStatus::wrong_type,
       "data[].size"},
      {"size too precise", second_trade_with("0.5", "0.000000001"), DecodeStatus::bad_number,
       "data[].size"},
      {"size out of range", second_trade_with("0.5", "1E11"), DecodeStatus::bad_number,
       "data[].size"},
      {"negative size", second_trade_with("0.5", "-0.5"), DecodeStatus::bad_number, "data[].size"},
      {"zero price", second_trade_with("5303", "0.0E0"), DecodeStatus::bad_number, "data[].price"},
      {"negative price", second_trade_with("5303", "-5303"), DecodeStatus::bad_number,
       "data[].price"},
      {"not a JSON number", second_trade_with("5303", "05303"), DecodeStatus::malformed_json,
       nullptr},
      {"side in lower case", second_trade_with("\"BUY\"", "\"buy\""), DecodeStatus::bad_value,
       "data[].side"},
      {"missing side", second_trade_with(R"("side":"BUY",)", ""), DecodeStatus::missing_field,
       "data[].side"},
      {"missing tradeId", second_trade_with(R"("tradeId":118974856,)", ""),
       DecodeStatus::missing_field, "data[].tradeId"},
      {"tradeId as string", second_trade_with("118974856", "\"118974856\""),
       DecodeStatus::wrong_type, "data[].tradeId"},
      {"negative tradeId", second_trade_with("118974856", "-118974856"), DecodeStatus::bad_number,
       "data[].tradeId"},
      {"fractional tradeId", second_trade_with("118974856", "1.5"), DecodeStatus::bad_number,
       "data[].tradeId"},
      {"tradeId past uint64", second_trade_with("118974856", "18446744073709551616"),
       DecodeStatus::bad_number, "data[].tradeId"},
      {"missing timestamp", second_trade_with(R"(,"timestamp":1584446020296)", ""),
       DecodeStatus::missing_field, "data[].timestamp"},
      {"unknown symbol", second_trade_with("BTC-USD", "DOGE-USD"),
       DecodeStatus::unknown_instrument, "data[].symbol"},
      {"trade as number", R"({"topic":"tradeHistoryApi:BTC-USD","data":[1]})",
       DecodeStatus::not_an_object, "data[]"},
      {"duplicate key in a trade", second_trade_with(R"("side":"BUY")", R"("side":"BUY","side":"BUY")"),
       DecodeStatus::duplicate_field, "data[].side"},
      {"1025 trades", trades(1025), DecodeStatus::too_many_events, "data"},
  };
}

TEST(BtseMalformed, EveryBadFrameIsRejectedWithItsReasonAndEmitsNothing) {
  BtseHarness h;
  for (const BadFrame& bad : bad_frames()) {
    SCOPED_TRACE(bad.name);
    const DecodeResult r = h.decode(bad.frame);
    EXPECT_EQ(r.status, bad.status) << to_string(r.status) << " (" << r.field << ")";
    if (bad.field != nullptr) {
      EXPECT_STREQ(r.field, bad.field);
    }
    EXPECT_TRUE(h.events().empty());
    EXPECT_EQ(h.decoder().parsed().kind, btse::FrameKind::none);
  }
}

TEST(BtseMalformed, TheLimitsThemselvesAreAccepted) {
  BtseHarness h;
  ASSERT_TRUE(h.decode(with(kDelta, "\"bids\":[]", "\"bids\":[" + entries(1024) + "]")).ok());
  EXPECT_EQ(h.events().size(), 1024u / kMaxBookLevels);
  ASSERT_TRUE(h.decode(trades(1024)).ok());
  EXPECT_EQ(h.events().size(), 1024u);
}

TEST(BtseMalformed, ZeroSizeInAnySpellingDeletes) {
  BtseHarness h;
  for (const char* zero : {"0", "0.0", "0.00000", "0.000000000000", "-0"}) {
    SCOPED_TRACE(zero);
    ASSERT_TRUE(h.decode(with(kDelta, R"("2.15622")", std::string("\"") + zero + "\"")).ok());
    ASSERT_EQ(h.event().book.ask_count, 2);
    EXPECT_TRUE(h.event().book.asks[0].qty.is_zero());
    EXPECT_TRUE(h.event().book.asks[1].qty.is_zero());
  }
}

TEST(BtseMalformed, EveryTruncationOfEveryGoldenFrameIsRejected) {
  BtseHarness h;
  std::size_t cases = 0;
  for (const std::string& frame : test::read_jsonl(kFile)) {
    for (std::size_t n = 0; n < frame.size(); ++n) {
      const std::string cut = frame.substr(0, n);
      const DecodeResult r = h.decode(cut);
      EXPECT_FALSE(r.ok()) << cut;
      EXPECT_TRUE(h.events().empty()) << cut;
      ++cases;
    }
  }
  EXPECT_GT(cases, 1000u);
}

TEST(BtseMalformed, ARejectedFrameLeavesNoTraceInTheNextDecode) {
  const std::string goods[] = {std::string(kSnapshot), std::string(kDelta), std::string(kTrades),
                               std::string(kAck), std::string(kError), "pong"};
  BtseHarness reference;
  BtseHarness h;
  for (const std::string& good : goods) {
    ASSERT_TRUE(reference.decode(good).ok());
    const std::vector<Event> expected = reference.events();
    for (const BadFrame& bad : bad_frames()) {
      SCOPED_TRACE(bad.name);
      (void)h.decode(bad.frame);
      ASSERT_TRUE(h.decode(good).ok());
      ASSERT_EQ(h.events().size(), expected.size());
      for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_TRUE(events_equal(h.event(i), expected[i]));
      }
    }
  }
}

TEST(BtseMalformed, ErrorEntriesWithoutArgOrMessageAreStillErrors) {
  BtseHarness h;
  ASSERT_TRUE(h.decode(
                   R"({"severity":"ERROR","errors":[{"error":{"code":1001}},{"arg":"tradeHistoryApi:ETH-USD","error":{"code":1005,"message":"Topic provided does not exist."}}]})")
                  .ok());
  ASSERT_EQ(h.events().size(), 2u);
  EXPECT_EQ(h.event(0).control.type, ControlType::error);
  EXPECT_EQ(h.event(0).control.error_code, 1001);
  EXPECT_TRUE(h.event(0).control.topic.empty());
  EXPECT_TRUE(h.event(0).control.message.empty());
  EXPECT_EQ(h.event(0).control.channel, Channel::none);
  EXPECT_EQ(h.event(0).header.instrument, kNoInstrument);
  EXPECT_EQ(h.event(1).control.error_code, 1005);
  EXPECT_EQ(h.event(1).control.topic, "tradeHistoryApi:ETH-USD");
  EXPECT_EQ(h.event(1).control.channel, Channel::trade);
  EXPECT_EQ(h.event(1).header.instrument, h.id("ETH-USD"));
}

TEST(BtseMalformed, AnAckListingNoTopicIsAcceptedAndEmitsNothing) {
  // The ack lists only the topics that succeeded: all failed, nothing to say.
  BtseHarness h;
  ASSERT_TRUE(h.decode(R"({"event":"subscribe","channel":[]})").ok());
  EXPECT_TRUE(h.events().empty());
}

}  // namespace
}  // namespace mde
