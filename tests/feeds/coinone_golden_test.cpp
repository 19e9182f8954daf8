// Golden frames: every example frame of seed 001 and protocols.md (tests/data/*.jsonl) decodes to
// the exact values written out below, and the same event decodes identically whatever the wire
// format (DEFAULT or SHORT), key order, whitespace or unknown keys around it.
//
// Expected values are written as raw mantissas (scale 8, with a digit separator where the decimal
// point goes) so these tests do not trust Decimal::parse. Values below one are written without the
// leading 0 (a leading 0 would make the literal octal).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mde/core/events.hpp"
#include "mde/feeds/coinone/decoder.hpp"
#include "support/coinone_harness.hpp"
#include "support/event_compare.hpp"
#include "support/json_rewrite.hpp"

namespace mde {
namespace {

using test::CoinoneHarness;
using test::events_equal;
using test::frame_containing;
using test::moved_last;
using test::reversed;
using test::with_unknown_keys;
using Json = nlohmann::ordered_json;

constexpr std::string_view kProtocol = "coinone_protocol_frames.jsonl";
constexpr std::string_view kSeed = "coinone_seed_myorder.jsonl";

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kMilli = 1'000'000;

Decimal dec(std::int64_t mantissa) { return Decimal::from_mantissa(mantissa); }
// integer + fraction / 10^16, for values beyond Decimal's int64 mantissa.
Notional notional(std::int64_t integer, std::int64_t fraction_e16) {
  return Notional::from_mantissa(static_cast<__int128>(integer) * 10'000'000'000'000'000LL +
                                 fraction_e16);
}

::testing::AssertionResult decodes(CoinoneHarness& h, std::string_view frame) {
  const DecodeResult r = h.decode(frame);
  if (r.ok() && h.event().header.kind != EventKind::none) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "rejected: " << to_string(r.status) << " (" << r.field << ")\n  frame: " << frame;
}

// Decodes `frame` and returns a copy of the event (kind none when rejected).
Event decoded(CoinoneHarness& h, std::string_view frame) {
  EXPECT_TRUE(decodes(h, frame));
  return h.event();
}

// ---- Frame rewriting (tests only): SHORT keys, key order, whitespace, unknown keys ------------

using KeyMap = std::map<std::string, std::string>;

const KeyMap kShortBook = {{"quote_currency", "qc"}, {"target_currency", "tc"},
                           {"timestamp", "t"},       {"id", "i"},
                           {"asks", "a"},            {"bids", "b"},
                           {"price", "p"},           {"qty", "q"}};
const KeyMap kShortTrade = {{"quote_currency", "qc"}, {"target_currency", "tc"}, {"id", "i"},
                            {"timestamp", "t"},       {"price", "p"},           {"qty", "q"},
                            {"is_seller_maker", "sm"}};
const KeyMap kShortTicker = {
    {"quote_currency", "qc"},  {"target_currency", "tc"}, {"timestamp", "t"},
    {"quote_volume", "qv"},    {"target_volume", "tv"},   {"high", "hi"},
    {"low", "lo"},             {"first", "fi"},           {"last", "la"},
    {"volume_power", "vp"},    {"ask_best_price", "abp"}, {"ask_best_qty", "abq"},
    {"bid_best_price", "bbp"}, {"bid_best_qty", "bbq"},   {"id", "i"},
    {"yesterday_high", "yhi"}, {"yesterday_low", "ylo"},  {"yesterday_first", "yfi"},
    {"yesterday_last", "yla"}, {"yesterday_quote_volume", "yqv"},
    {"yesterday_target_volume", "ytv"}};

Json rename_keys(const Json& j, const KeyMap& keys) {
  if (j.is_array()) {
    Json out = Json::array();
    for (const Json& e : j) out.push_back(rename_keys(e, keys));
    return out;
  }
  if (!j.is_object()) return j;
  Json out = Json::object();
  for (auto it = j.begin(); it != j.end(); ++it) {
    const auto k = keys.find(it.key());
    out[k == keys.end() ? it.key() : k->second] = rename_keys(it.value(), keys);
  }
  return out;
}

// The SHORT form of a DEFAULT DATA frame.
std::string to_short(const std::string& frame, const KeyMap& data_keys) {
  const Json j = Json::parse(frame);
  Json out = Json::object();
  out["r"] = j.at("response_type");
  out["c"] = j.at("channel");
  out["d"] = rename_keys(j.at("data"), data_keys);
  return out.dump();
}

std::vector<std::string> all_golden_frames() {
  std::vector<std::string> frames = test::read_jsonl(kProtocol);
  for (std::string& f : test::read_jsonl(kSeed)) frames.push_back(std::move(f));
  return frames;
}

bool is_chart(const std::string& frame) {
  return frame.find(R"("channel":"CHART")") != std::string::npos;
}

// ---- ORDERBOOK -------------------------------------------------------------------------------

struct Level {
  std::int64_t price;
  std::int64_t qty;
};

void expect_levels(const PriceLevel* got, std::size_t got_count, const std::vector<Level>& want,
                   const char* side) {
  ASSERT_EQ(got_count, want.size()) << side;
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].price.mantissa(), want[i].price) << side << "[" << i << "].price";
    EXPECT_EQ(got[i].qty.mantissa(), want[i].qty) << side << "[" << i << "].qty";
  }
}

TEST(CoinoneGolden, DefaultOrderbookDecodesAllSixteenLevelsOfBothSides) {
  CoinoneHarness h;
  const std::string frame =
      frame_containing(kProtocol, {R"("response_type":"DATA")", R"("channel":"ORDERBOOK")"});
  ASSERT_TRUE(decodes(h, frame));
  const Event& e = h.event();
  EXPECT_EQ(e.header.kind, EventKind::book);
  EXPECT_EQ(e.header.venue, Venue::coinone);
  EXPECT_EQ(e.header.instrument, h.id("XRP-KRW"));
  EXPECT_EQ(e.header.exchange_ns, 1693560155038 * kMilli);
  EXPECT_EQ(e.header.receive_ns, 0);
  EXPECT_EQ(e.header.connection, 0u);
  EXPECT_EQ(e.book.id, 1693560155038001u);
  EXPECT_EQ(e.book.prev_id, 0u);
  EXPECT_EQ(e.book.action, BookAction::snapshot);
  // Asks in wire order: worst (highest) first.
  expect_levels(e.book.asks, e.book.ask_count,
                {{695'50000000, 5000'00000000},   {692'10000000, 15000'00000000},
                 {690'90000000, 118063'74750000}, {690'30000000, 148087'17390000},
                 {689'60000000, 68224'24570000},  {689'50000000, 186287'99310000},
                 {689'40000000, 71662'51130000},  {688'90000000, 76424'66260000},
                 {688'70000000, 186287'99310000}, {688'60000000, 52112'00620000},
                 {688'30000000, 84992'94480000},  {687'90000000, 8934'56170000},
                 {687'80000000, 89196'01330000},  {687'70000000, 40036'81930000},
                 {687'60000000, 85887'73960000},  {687'50000000, 47022'88030000}},
                "asks");
  expect_levels(e.book.bids, e.book.bid_count,
                {{687'40000000, 6704'09940000},  {687'30000000, 4542'96110000},
                 {687'20000000, 71156'78279601}, {687'10000000, 53780'71460000},
                 {686'90000000, 70626'70820000}, {686'70000000, 21916'40000000},
                 {686'20000000, 83681'55660000}, {686'10000000, 68713'99380000},
                 {686'00000000, 40924'25910000}, {685'90000000, 50582'56080000},
                 {685'80000000, 76424'66260000}, {685'70000000, 15156'05630000},
                 {685'50000000, 2217'41750000},  {685'40000000, 53224'16300000},
                 {685'30000000, 71617'02630000}, {685'20000000, 39610'42400000}},
                "bids");
}

TEST(CoinoneGolden, ShortOrderbookDecodesAllSixteenLevelsOfBothSides) {
  CoinoneHarness h;
  const std::string frame = frame_containing(kProtocol, {R"("r":"DATA")", R"("c":"ORDERBOOK")"});
  ASSERT_TRUE(decodes(h, frame));
  const Event& e = h.event();
  EXPECT_EQ(e.header.kind, EventKind::book);
  EXPECT_EQ(e.header.instrument, h.id("XRP-KRW"));
  EXPECT_EQ(e.header.exchange_ns, 1693560323040 * kMilli);
  EXPECT_EQ(e.book.id, 1693560323040001u);
  EXPECT_EQ(e.book.prev_id, 0u);
  EXPECT_EQ(e.book.action, BookAction::snapshot);
  expect_levels(e.book.asks, e.book.ask_count,
                {{692'10000000, 15000'00000000},  {692'00000000, 33963'74670000},
                 {690'90000000, 118063'74750000}, {690'30000000, 148087'17390000},
                 {690'10000000, 76424'66260000},  {690'00000000, 186287'99310000},
                 {689'60000000, 186287'99310000}, {689'50000000, 186287'99310000},
                 {689'40000000, 152849'32520000}, {689'00000000, 23990'19800000},
                 {688'90000000, 81424'66260000},  {688'70000000, 186287'99310000},
                 {688'60000000, 85010'54640000},  {688'30000000, 84992'94480000},
                 {687'90000000, 8046'22010000},   {687'80000000, 5541'73430000}},
                "asks");
  expect_levels(e.book.bids, e.book.bid_count,
                {{687'70000000, 26178'98390000}, {687'60000000, 17821'38160000},
                 {687'50000000, 53004'63120000}, {687'40000000, 15639'97280000},
                 {687'30000000, 62504'62750000}, {687'20000000, 71156'78279601},
                 {686'90000000, 39772'09210000}, {686'80000000, 22095'41790000},
                 {686'70000000, 10100'00000000}, {686'20000000, 88681'55660000},
                 {686'10000000, 68713'99380000}, {686'00000000, 40924'25910000},
                 {685'90000000, 50582'56080000}, {685'80000000, 16883'25910000},
                 {685'70000000, 15156'05630000}, {685'50000000, 2217'41750000}},
                "bids");
}

TEST(CoinoneGolden, OrderbookWithEmptySidesHasZeroCounts) {
  CoinoneHarness h;
  ASSERT_TRUE(decodes(h, R"({"response_type":"DATA","channel":"ORDERBOOK","data":{"quote_currency":"KRW","target_currency":"XRP","timestamp":1693560155038,"id":"1693560155038002","asks":[],"bids":[{"price":"687.4","qty":"1"}]}})"));
  EXPECT_EQ(h.event().book.ask_count, 0);
  ASSERT_EQ(h.event().book.bid_count, 1);
  EXPECT_EQ(h.event().book.bids[0].price, dec(687'40000000));
}

// ---- TRADE -----------------------------------------------------------------------------------

TEST(CoinoneGolden, DefaultTradeSellerMakerMeansTakerBuy) {
  CoinoneHarness h;
  const std::string frame = frame_containing(
      kProtocol, {R"("channel":"TRADE")", R"("response_type":"DATA")", R"("target_currency":"XRP")"});
  ASSERT_TRUE(decodes(h, frame));
  const Event& e = h.event();
  EXPECT_EQ(e.header.kind, EventKind::trade);
  EXPECT_EQ(e.header.venue, Venue::coinone);
  EXPECT_EQ(e.header.instrument, h.id("XRP-KRW"));
  EXPECT_EQ(e.header.exchange_ns, 1693560450996 * kMilli);
  EXPECT_EQ(e.trade.id, "1693560450996001");
  EXPECT_EQ(e.trade.price, dec(688'30000000));
  EXPECT_EQ(e.trade.qty, dec(5000'00000000));
  EXPECT_EQ(e.trade.taker_side, Side::buy);  // is_seller_maker: true
}

TEST(CoinoneGolden, ShortTradeSellerTakerMeansTakerSell) {
  CoinoneHarness h;
  const std::string frame = frame_containing(kProtocol, {R"("c":"TRADE")"});
  ASSERT_TRUE(decodes(h, frame));
  const Event& e = h.event();
  EXPECT_EQ(e.header.kind, EventKind::trade);
  EXPECT_EQ(e.header.instrument, h.id("XRP-KRW"));
  EXPECT_EQ(e.header.exchange_ns, 1693560563084 * kMilli);
  EXPECT_EQ(e.trade.id, "1693560563084003");
  EXPECT_EQ(e.trade.price, dec(688'30000000));
  EXPECT_EQ(e.trade.qty, dec(290'74500000));
  EXPECT_EQ(e.trade.taker_side, Side::sell);  // sm: false
}

TEST(CoinoneGolden, WireCaptureTradeOnBtc) {
  CoinoneHarness h;
  const std::string frame = frame_containing(kProtocol, {R"("channel":"TRADE")", R"("BTC")"});
  ASSERT_TRUE(decodes(h, frame));
  const Event& e = h.event();
  EXPECT_EQ(e.header.instrument, h.id("BTC-KRW"));
  EXPECT_EQ(e.header.exchange_ns, 1790134177835 * kMilli);
  EXPECT_EQ(e.trade.id, "1790134177835001");
  EXPECT_EQ(e.trade.price, dec(116460000'00000000));
  EXPECT_EQ(e.trade.qty, dec(483595));  // 0.00483595
  EXPECT_EQ(e.trade.taker_side, Side::buy);
}

// ---- TICKER ----------------------------------------------------------------------------------

constexpr std::uint32_t kAllBest =
    kTickerAskBestPrice | kTickerAskBestQty | kTickerBidBestPrice | kTickerBidBestQty;

TEST(CoinoneGolden, DefaultTickerDecodesEveryValue) {
  CoinoneHarness h;
  const std::string frame =
      frame_containing(kProtocol, {R"("response_type":"DATA")", R"("channel":"TICKER")"});
  ASSERT_TRUE(decodes(h, frame));
  const Event& e = h.event();
  const Ticker& t = e.ticker;
  EXPECT_EQ(e.header.kind, EventKind::ticker);
  EXPECT_EQ(e.header.instrument, h.id("XRP-KRW"));
  EXPECT_EQ(e.header.exchange_ns, 1693560360010 * kMilli);
  EXPECT_EQ(t.id, 1693560360010001u);
  EXPECT_EQ(t.quote_volume, notional(55904975548, 1528'000000000000));
  EXPECT_EQ(t.target_volume, notional(80021677, 1681579'000000000));
  EXPECT_EQ(t.high, dec(699'50000000));
  EXPECT_EQ(t.low, dec(683'90000000));
  EXPECT_EQ(t.first, dec(698'70000000));
  EXPECT_EQ(t.last, dec(687'90000000));
  EXPECT_EQ(t.volume_power, dec(100'00000000));
  EXPECT_EQ(t.present, kAllBest);
  EXPECT_EQ(t.ask_best_price, dec(687'90000000));
  EXPECT_EQ(t.ask_best_qty, dec(7594'18420000));
  EXPECT_EQ(t.bid_best_price, dec(687'80000000));
  EXPECT_EQ(t.bid_best_qty, dec(13861'61790000));
  EXPECT_EQ(t.yesterday_high, dec(717'50000000));
  EXPECT_EQ(t.yesterday_low, dec(690'40000000));
  EXPECT_EQ(t.yesterday_first, dec(716'90000000));
  EXPECT_EQ(t.yesterday_last, dec(698'70000000));
  EXPECT_EQ(t.yesterday_quote_volume, notional(41578655254, 7044'000000000000));
  EXPECT_EQ(t.yesterday_target_volume, notional(58194911, 41691376'00000000));
}

TEST(CoinoneGolden, ShortTickerInItsOwnKeyOrderDecodesEveryValue) {
  CoinoneHarness h;
  const std::string frame = frame_containing(kProtocol, {R"("c":"TICKER")"});
  ASSERT_TRUE(decodes(h, frame));
  const Event& e = h.event();
  const Ticker& t = e.ticker;
  EXPECT_EQ(e.header.kind, EventKind::ticker);
  EXPECT_EQ(e.header.instrument, h.id("XRP-KRW"));
  EXPECT_EQ(e.header.exchange_ns, 1693560378928 * kMilli);
  EXPECT_EQ(t.id, 1693560378928001u);
  EXPECT_EQ(t.quote_volume, notional(55827441390, 8456'000000000000));
  EXPECT_EQ(t.target_volume, notional(79912892, 7741579'000000000));
  EXPECT_EQ(t.first, dec(698'70000000));
  EXPECT_EQ(t.low, dec(683'90000000));
  EXPECT_EQ(t.high, dec(699'50000000));
  EXPECT_EQ(t.last, dec(687'90000000));
  EXPECT_EQ(t.volume_power, dec(100'00000000));
  EXPECT_EQ(t.present, kAllBest);
  EXPECT_EQ(t.ask_best_price, dec(688'30000000));
  EXPECT_EQ(t.ask_best_qty, dec(84992'94480000));
  EXPECT_EQ(t.bid_best_price, dec(687'80000000));
  EXPECT_EQ(t.bid_best_qty, dec(13861'61790000));
  EXPECT_EQ(t.yesterday_first, dec(716'90000000));
  EXPECT_EQ(t.yesterday_low, dec(690'40000000));
  EXPECT_EQ(t.yesterday_high, dec(717'50000000));
  EXPECT_EQ(t.yesterday_last, dec(698'70000000));
  EXPECT_EQ(t.yesterday_quote_volume, notional(41616318229, 6505'000000000000));
  EXPECT_EQ(t.yesterday_target_volume, notional(58248252, 35151376'00000000));
}

TEST(CoinoneGolden, TickerNullBestPricesAreAbsentNotZero) {
  CoinoneHarness h;
  Json j = Json::parse(
      frame_containing(kProtocol, {R"("response_type":"DATA")", R"("channel":"TICKER")"}));
  j["data"]["ask_best_price"] = nullptr;  // empty ask side
  j["data"]["ask_best_qty"] = nullptr;
  ASSERT_TRUE(decodes(h, j.dump()));
  EXPECT_EQ(h.event().ticker.present, kTickerBidBestPrice | kTickerBidBestQty);
  EXPECT_EQ(h.event().ticker.bid_best_price, dec(687'80000000));
  EXPECT_EQ(h.event().ticker.last, dec(687'90000000));

  j["data"]["bid_best_price"] = nullptr;  // both sides empty; the qty still sent
  ASSERT_TRUE(decodes(h, j.dump()));
  EXPECT_EQ(h.event().ticker.present, kTickerBidBestQty);

  j["data"].erase("bid_best_qty");  // absent is the same as null
  j["data"].erase("ask_best_qty");
  ASSERT_TRUE(decodes(h, j.dump()));
  EXPECT_EQ(h.event().ticker.present, 0u);
}

// ---- MYORDER ---------------------------------------------------------------------------------

constexpr std::uint16_t kFillFields = kExecutedPrice | kExecutedQty | kExecutedFee | kRemainQty |
                                      kRemainAmount | kTradeId | kClientOrderId;

void expect_eth_order_header(const CoinoneHarness& h, const Event& e, std::int64_t ts_seconds) {
  EXPECT_EQ(e.header.kind, EventKind::order);
  EXPECT_EQ(e.header.venue, Venue::coinone);
  EXPECT_EQ(e.header.instrument, h.id("ETH-KRW"));
  EXPECT_EQ(e.header.exchange_ns, ts_seconds * kSecond);  // seconds on the wire
  EXPECT_EQ(e.order.order_type, OrderType::limit);
}

TEST(CoinoneGolden, MyOrderWaitIsOpenWithOrderPriceAndQty) {
  CoinoneHarness h;
  const Event e = decoded(h, frame_containing(kProtocol, {R"("status":"wait")"}));
  expect_eth_order_header(h, e, 1761017305);
  const OrderEvent& o = e.order;
  EXPECT_EQ(o.type, OrderEventType::open);
  EXPECT_EQ(o.venue_status, "wait");
  EXPECT_EQ(o.side, Side::buy);
  EXPECT_EQ(o.order_id, "1b48b023-1e4d-11e9-9ec7-00e04c3600d7");
  EXPECT_EQ(o.present, kOrderPrice | kOrderQty | kClientOrderId);
  EXPECT_EQ(o.order_price, dec(6000000'00000000));
  EXPECT_EQ(o.order_qty, dec(1'00000000));
  EXPECT_EQ(o.client_order_id, "74cd2974-b006-4773-a462-717b026f2778");
  EXPECT_TRUE(o.trade_id.empty());
  EXPECT_EQ(o.is_maker, Tristate::unknown);
  EXPECT_EQ(o.executed_ns, 0);  // null
  EXPECT_EQ(o.order_ns, 1761017305 * kSecond);
}

TEST(CoinoneGolden, MyOrderWatchIsPendingTrigger) {
  CoinoneHarness h;
  const Event e = decoded(h, frame_containing(kProtocol, {R"("status":"watch")"}));
  expect_eth_order_header(h, e, 1761022828);
  const OrderEvent& o = e.order;
  EXPECT_EQ(o.type, OrderEventType::pending_trigger);
  EXPECT_EQ(o.venue_status, "watch");
  EXPECT_EQ(o.side, Side::buy);
  EXPECT_EQ(o.order_id, "1b48b028-1e4d-11e9-9ec7-00e04c3600d7");
  EXPECT_EQ(o.present, kOrderPrice | kOrderQty | kClientOrderId);
  EXPECT_EQ(o.order_price, dec(6234000'00000000));
  EXPECT_EQ(o.order_qty, dec(1'00000000));
  EXPECT_EQ(o.client_order_id, "80744d42-6c89-4ab4-ac7a-1f46e2c7a04b");
  EXPECT_EQ(o.is_maker, Tristate::unknown);
  EXPECT_EQ(o.executed_ns, 1761022828 * kSecond);
  EXPECT_EQ(o.order_ns, 0);  // null
}

TEST(CoinoneGolden, MyOrderNotTriggeredIsPendingTriggerToo) {
  CoinoneHarness h;
  Json j = Json::parse(frame_containing(kProtocol, {R"("status":"watch")"}));
  j["data"]["status"] = "not_triggered";
  const Event e = decoded(h, j.dump());
  EXPECT_EQ(e.order.type, OrderEventType::pending_trigger);
  EXPECT_EQ(e.order.venue_status, "not_triggered");
}

void expect_the_seed_fill(const CoinoneHarness& h, const Event& e) {
  expect_eth_order_header(h, e, 1761024907);
  const OrderEvent& o = e.order;
  EXPECT_EQ(o.side, Side::buy);
  EXPECT_EQ(o.order_id, "1b48b02b-1e4d-11e9-9ec7-00e04c3600d7");
  EXPECT_EQ(o.present, kFillFields);
  EXPECT_EQ(o.trade_id, "1e9c062e-1e4d-11e9-9ec7-00e04c3600d7");
  EXPECT_EQ(o.is_maker, Tristate::no);
  EXPECT_EQ(o.executed_price, dec(6244000'00000000));
  EXPECT_EQ(o.executed_qty, dec(1000000));  // 0.01
  EXPECT_EQ(o.executed_fee, dec(0));
  EXPECT_EQ(o.remain_qty, dec(0));
  EXPECT_EQ(o.remain_amount, dec(0));
  EXPECT_EQ(o.client_order_id, "80744d42-6c89-4ab4-ac7a-1f46e2c7a041");
  EXPECT_EQ(o.executed_ns, 1761024895 * kSecond);
  EXPECT_EQ(o.order_ns, 1761024895 * kSecond);
}

TEST(CoinoneGolden, MyOrderTradeIsAFill) {
  CoinoneHarness h;
  const Event e = decoded(h, frame_containing(kProtocol, {R"("status":"trade")"}));
  expect_the_seed_fill(h, e);
  EXPECT_EQ(e.order.type, OrderEventType::fill);
  EXPECT_EQ(e.order.venue_status, "trade");
}

TEST(CoinoneGolden, SeedDoneStatusIsAFill) {
  CoinoneHarness h;
  const Event e = decoded(h, frame_containing(kSeed, {R"("status":"done")"}));
  expect_the_seed_fill(h, e);
  EXPECT_EQ(e.order.type, OrderEventType::fill);
  EXPECT_EQ(e.order.venue_status, "done");
}

TEST(CoinoneGolden, MyOrderTradeDoneIsFilled) {
  CoinoneHarness h;
  const Event e = decoded(h, frame_containing(kProtocol, {R"("status":"trade_done")"}));
  expect_the_seed_fill(h, e);
  EXPECT_EQ(e.order.type, OrderEventType::filled);
  EXPECT_EQ(e.order.venue_status, "trade_done");
}

TEST(CoinoneGolden, SeedDoneAndTradeDoneShareTheTradeId) {
  // The terminal event repeats the last fill; the engine dedupes fills by trade id.
  CoinoneHarness h;
  const Event done = decoded(h, frame_containing(kSeed, {R"("status":"done")"}));
  const Event trade_done = decoded(h, frame_containing(kSeed, {R"("status":"trade_done")"}));
  EXPECT_EQ(done.order.type, OrderEventType::fill);
  EXPECT_EQ(trade_done.order.type, OrderEventType::filled);
  ASSERT_TRUE(done.order.has(kTradeId));
  ASSERT_TRUE(trade_done.order.has(kTradeId));
  EXPECT_FALSE(done.order.trade_id.empty());
  EXPECT_EQ(done.order.trade_id, trade_done.order.trade_id);
  EXPECT_EQ(done.order.order_id, trade_done.order.order_id);
  EXPECT_EQ(done.order.executed_qty, trade_done.order.executed_qty);
}

TEST(CoinoneGolden, MyOrderCancelCarriesTheCancelledQty) {
  CoinoneHarness h;
  const Event e = decoded(h, frame_containing(kProtocol, {R"("status":"cancel")"}));
  expect_eth_order_header(h, e, 1761025545);
  const OrderEvent& o = e.order;
  EXPECT_EQ(o.type, OrderEventType::cancelled);
  EXPECT_EQ(o.venue_status, "cancel");
  EXPECT_EQ(o.side, Side::sell);
  EXPECT_EQ(o.order_id, "1b48b029-1e4d-11e9-9ec7-00e04c3600d7");
  EXPECT_EQ(o.present, kExecutedQty | kRemainQty);  // user_order_id null: absent
  EXPECT_EQ(o.executed_qty, dec(7520000));  // 0.0752
  EXPECT_EQ(o.remain_qty, dec(0));
  EXPECT_TRUE(o.client_order_id.empty());
  EXPECT_TRUE(o.trade_id.empty());
  EXPECT_EQ(o.is_maker, Tristate::unknown);
  EXPECT_EQ(o.executed_ns, 1761023061 * kSecond);
  EXPECT_EQ(o.order_ns, 0);
}

TEST(CoinoneGolden, MyOrderCancelPostOnlyWithZeroExecutedTimestampMeansAbsent) {
  CoinoneHarness h;
  const Event e = decoded(h, frame_containing(kProtocol, {R"("status":"cancel_post_only")"}));
  expect_eth_order_header(h, e, 1761025685);
  const OrderEvent& o = e.order;
  EXPECT_EQ(o.type, OrderEventType::cancelled_post_only);
  EXPECT_EQ(o.venue_status, "cancel_post_only");
  EXPECT_EQ(o.side, Side::buy);
  EXPECT_EQ(o.order_id, "1b48b02c-1e4d-11e9-9ec7-00e04c3600d7");
  EXPECT_EQ(o.present, kExecutedQty | kClientOrderId);
  EXPECT_EQ(o.executed_qty, dec(1000000));  // 0.01
  EXPECT_EQ(o.client_order_id, "80744d42-6c89-4ab4-ac7a-1f46e2c7a042");
  EXPECT_EQ(o.executed_ns, 0);  // "executed_timestamp": 0
  EXPECT_EQ(o.order_ns, 0);
}

TEST(CoinoneGolden, MyOrderOtherTypesAndPreventedQtyAndMaker) {
  CoinoneHarness h;
  Json j = Json::parse(frame_containing(kProtocol, {R"("status":"trade")"}));
  j["data"]["type"] = "MARKET";
  j["data"]["order_amount"] = "10000";
  j["data"]["prevented_qty"] = "0.5";
  j["data"]["is_maker"] = true;
  Event e = decoded(h, j.dump());
  EXPECT_EQ(e.order.order_type, OrderType::market);
  EXPECT_EQ(e.order.present, kFillFields | kOrderAmount | kPreventedQty);
  EXPECT_EQ(e.order.order_amount, dec(10000'00000000));
  EXPECT_EQ(e.order.prevented_qty, dec(50000000));  // 0.5
  EXPECT_EQ(e.order.is_maker, Tristate::yes);

  j["data"]["type"] = "STOP_LIMIT";
  EXPECT_EQ(decoded(h, j.dump()).order.order_type, OrderType::stop_limit);
}

TEST(CoinoneGolden, MyOrderUnknownTypeIsKeptAsUnknownNotRejected) {
  CoinoneHarness h;
  Json j = Json::parse(frame_containing(kProtocol, {R"("status":"trade")"}));
  j["data"]["type"] = "TRAILING_STOP";
  const Event e = decoded(h, j.dump());
  EXPECT_EQ(e.order.order_type, OrderType::unknown);
  EXPECT_EQ(e.order.type, OrderEventType::fill);  // the fill itself still counts
  EXPECT_EQ(e.order.executed_qty, dec(1000000));  // 0.01
}

TEST(CoinoneGolden, MyOrderWithoutTypeIsUnknownOrderType) {
  CoinoneHarness h;
  Json j = Json::parse(frame_containing(kProtocol, {R"("status":"wait")"}));
  j["data"].erase("type");
  EXPECT_EQ(decoded(h, j.dump()).order.order_type, OrderType::unknown);
}

TEST(CoinoneGolden, MyOrderUnknownStatusIsKeptWithItsText) {
  CoinoneHarness h;
  Json j = Json::parse(frame_containing(kProtocol, {R"("status":"wait")"}));
  j["data"]["status"] = "expired";
  const Event e = decoded(h, j.dump());
  EXPECT_EQ(e.order.type, OrderEventType::unknown);
  EXPECT_EQ(e.order.venue_status, "expired");
}

TEST(CoinoneGolden, MyOrderMillisecondTimestampsAreNormalisedToo) {
  CoinoneHarness h;
  Json j = Json::parse(frame_containing(kProtocol, {R"("status":"trade")"}));
  j["data"]["timestamp"] = 1761024907123;
  j["data"]["executed_timestamp"] = 1761024895001;
  const Event e = decoded(h, j.dump());
  EXPECT_EQ(e.header.exchange_ns, 1761024907123 * kMilli);
  EXPECT_EQ(e.order.executed_ns, 1761024895001 * kMilli);
}

TEST(CoinoneGolden, SeedMyOrderFramesMatchTheProtocolSheetExceptTheDoneStatus) {
  // The seed's six DEFAULT and six SHORT events are the sheet's, with "done" where the sheet
  // says "trade": decoded, they differ only in venue_status.
  CoinoneHarness h;
  const auto seed = test::read_jsonl(kSeed);
  const auto sheet = test::read_jsonl(kProtocol);
  int compared = 0;
  for (const std::string& s : seed) {
    if (s.find("MYORDER") == std::string::npos || s.find("SUBSCRIBED") != std::string::npos) continue;
    std::string as_sheet = s;
    const std::pair<std::string_view, std::string_view> renames[] = {
        {R"("status":"done")", R"("status":"trade")"}, {R"("st":"done")", R"("st":"trade")"}};
    for (const auto& [from, to] : renames) {
      if (const auto at = as_sheet.find(from); at != std::string::npos) {
        as_sheet.replace(at, from.size(), to);
      }
    }
    bool in_sheet = false;
    for (const std::string& line : sheet) in_sheet = in_sheet || line == as_sheet;
    EXPECT_TRUE(in_sheet) << s;
    Event a = decoded(h, s);
    const Event b = decoded(h, as_sheet);
    a.order.venue_status = b.order.venue_status;
    EXPECT_TRUE(events_equal(a, b)) << s;
    ++compared;
  }
  EXPECT_EQ(compared, 12);
}

// ---- MYASSET ---------------------------------------------------------------------------------

struct Balance {
  std::string_view currency;
  std::int64_t available;
  std::int64_t locked;
};

void expect_assets(const CoinoneHarness&, const Event& e, AssetChangeReason reason,
                   std::int64_t ts_seconds, const std::vector<Balance>& want) {
  EXPECT_EQ(e.header.kind, EventKind::asset);
  EXPECT_EQ(e.header.venue, Venue::coinone);
  EXPECT_EQ(e.header.instrument, kNoInstrument);
  EXPECT_EQ(e.header.exchange_ns, ts_seconds * kSecond);
  EXPECT_EQ(e.asset.reason, reason);
  EXPECT_TRUE(e.asset.order_id.empty());
  EXPECT_TRUE(e.asset.trade_id.empty());
  EXPECT_TRUE(e.asset.client_order_id.empty());
  ASSERT_EQ(e.asset.count, want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(e.asset.assets[i].currency, want[i].currency) << i;
    EXPECT_EQ(e.asset.assets[i].available.mantissa(), want[i].available) << i;
    EXPECT_EQ(e.asset.assets[i].locked.mantissa(), want[i].locked) << i;
  }
}

TEST(CoinoneGolden, MyAssetEveryDocumentedReasonInBothFormats) {
  CoinoneHarness h;
  for (std::string_view c : {R"("channel":"MYASSET")", R"("c":"MYASSET")"}) {
    const bool is_short = c[1] == 'c' && c[2] == '"';
    auto frame = [&](std::string_view reason) {
      const std::string needle = std::string(is_short ? R"("t":")" : R"("type":")") +
                                 std::string(reason) + "\"";
      return frame_containing(kProtocol, {c, needle});
    };
    SCOPED_TRACE(c);
    expect_assets(h, decoded(h, frame("deposit")), AssetChangeReason::deposit, 1760939843,
                  {{"KRW", 205620364'50290000, 8400'00000000}});
    expect_assets(h, decoded(h, frame("withdrawal")), AssetChangeReason::withdrawal, 1760940999,
                  {{"KRW", 205619364'50290000, 8400'00000000}});
    expect_assets(h, decoded(h, frame("cancel_withdrawal")), AssetChangeReason::cancel_withdrawal,
                  1760941808, {{"KRW", 205611364'50290000, 8400'00000000}});
    expect_assets(h, decoded(h, frame("order")), AssetChangeReason::order, 1760937483,
                  {{"ETH", 55'64169518, 1'00000000}});
    expect_assets(h, decoded(h, frame("trade")), AssetChangeReason::trade, 1760937483,
                  {{"KRW", 154902734'00290000, 8400'00000000}, {"ETH", 55'64169518, 9890000 /* 0.0989 */}});
    expect_assets(h, decoded(h, frame("cancel")), AssetChangeReason::cancel, 1760938364,
                  {{"KRW", 155520364'50290000, 8400'00000000}});
  }
}

TEST(CoinoneGolden, MyAssetCancelPostOnlyAndUnknownReasons) {
  CoinoneHarness h;
  Json j = Json::parse(frame_containing(kProtocol, {R"("channel":"MYASSET")", R"("type":"cancel")"}));
  j["data"]["type"] = "cancel_post_only";
  EXPECT_EQ(decoded(h, j.dump()).asset.reason, AssetChangeReason::cancel_post_only);
  j["data"]["type"] = "airdrop";
  EXPECT_EQ(decoded(h, j.dump()).asset.reason, AssetChangeReason::unknown);
  j["data"].erase("type");
  EXPECT_EQ(decoded(h, j.dump()).asset.reason, AssetChangeReason::unknown);
}

TEST(CoinoneGolden, MyAssetTypeAndTimestampNestedInTheAssetAsTheTableSays) {
  CoinoneHarness h;
  const Event e = decoded(h, R"({"response_type":"DATA","channel":"MYASSET","data":{"assets":[{"currency":"KRW","available":"1.5","limit":"2","type":"deposit","timestamp":1760939843}]}})");
  expect_assets(h, e, AssetChangeReason::deposit, 1760939843, {{"KRW", 1'50000000, 2'00000000}});
}

TEST(CoinoneGolden, MyAssetOptionalIdsAndEightAssets) {
  CoinoneHarness h;
  // (Strings built with += : GCC 12 -O3 warns falsely on "literal" + std::string.)
  auto currency = [](int i) {
    std::string c = "C";
    c += std::to_string(i);
    return c;
  };
  std::string assets;
  for (int i = 0; i < 8; ++i) {
    if (i) assets += ',';
    assets += R"({"c":")";
    assets += currency(i);
    assets += R"(","a":")";
    assets += std::to_string(i);
    assets += R"(.5","l":"0"})";
  }
  const Event e = decoded(h, R"({"r":"DATA","c":"MYASSET","d":{"as":[)" + assets +
                                 R"(],"t":"trade","ts":1760937483,"oi":"order-1","ti":"trade-1","ui":"client-1"}})");
  ASSERT_EQ(e.asset.count, 8);
  EXPECT_EQ(e.asset.reason, AssetChangeReason::trade);
  EXPECT_EQ(e.asset.order_id, "order-1");
  EXPECT_EQ(e.asset.trade_id, "trade-1");
  EXPECT_EQ(e.asset.client_order_id, "client-1");
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(e.asset.assets[i].currency, currency(i));
    EXPECT_EQ(e.asset.assets[i].available, dec(i * 1'00000000 + 50000000));
    EXPECT_EQ(e.asset.assets[i].locked, dec(0));
  }
  // null ids are absent
  const Event n = decoded(h, R"({"response_type":"DATA","channel":"MYASSET","data":{"assets":[],"type":"trade","timestamp":1760937483,"order_id":null,"trade_id":null,"user_order_id":null}})");
  EXPECT_EQ(n.asset.count, 0);
  EXPECT_TRUE(n.asset.order_id.empty());
  EXPECT_TRUE(n.asset.trade_id.empty());
  EXPECT_TRUE(n.asset.client_order_id.empty());
}

// ---- Control frames --------------------------------------------------------------------------

void expect_control(const Event& e, ControlType type, Channel channel, InstrumentId instrument,
                    std::uint8_t topics) {
  EXPECT_EQ(e.header.kind, EventKind::control);
  EXPECT_EQ(e.header.venue, Venue::coinone);
  EXPECT_EQ(e.header.exchange_ns, 0);
  EXPECT_EQ(e.header.instrument, instrument);
  EXPECT_EQ(e.control.type, type);
  EXPECT_EQ(e.control.channel, channel);
  EXPECT_EQ(e.control.topic_count, topics);
}

TEST(CoinoneGolden, ConnectedCarriesTheSessionId) {
  CoinoneHarness h;
  const Event e = decoded(h, frame_containing(kProtocol, {"CONNECTED"}));
  expect_control(e, ControlType::connected, Channel::none, kNoInstrument, 0);
  EXPECT_EQ(e.control.session_id, "57a97041-a6ee-aa86-fb6d-6f51f626dc4c");
  EXPECT_EQ(e.control.error_code, 0);
  EXPECT_TRUE(e.control.message.empty());
  EXPECT_TRUE(e.control.field.empty());
}

TEST(CoinoneGolden, ConnectedWithoutSessionIdHasAnEmptyOne) {
  CoinoneHarness h;
  for (std::string_view frame : {R"({"response_type":"CONNECTED"})",
                                 R"({"response_type":"CONNECTED","data":{}})",
                                 R"({"response_type":"CONNECTED","data":null})",
                                 R"({"response_type":"CONNECTED","data":{"session_id":null}})",
                                 R"({"data":null,"response_type":"CONNECTED"})"}) {
    // A session id decoded just before must not leak into this event.
    ASSERT_TRUE(decodes(h, frame_containing(kProtocol, {"CONNECTED"})));
    const Event e = decoded(h, frame);
    expect_control(e, ControlType::connected, Channel::none, kNoInstrument, 0);
    EXPECT_TRUE(e.control.session_id.empty()) << frame;
  }
}

TEST(CoinoneGolden, SubscribedEchoesOnePublicTopic) {
  CoinoneHarness h;
  for (std::string_view channel : {"ORDERBOOK", "TRADE", "TICKER"}) {
    const Event e = decoded(h, frame_containing(kProtocol, {R"("response_type":"SUBSCRIBED")",
                                                            "\"channel\":\"" + std::string(channel) + "\""}));
    expect_control(e, ControlType::subscribed,
                   channel == "ORDERBOOK" ? Channel::book
                   : channel == "TRADE"   ? Channel::trade
                                          : Channel::ticker,
                   h.id("XRP-KRW"), 1);
    EXPECT_EQ(e.control.error_code, 0);
    EXPECT_TRUE(e.control.session_id.empty());
  }
}

TEST(CoinoneGolden, SubscribedMyOrderAcceptsArrayAndObjectData) {
  CoinoneHarness h;
  expect_control(decoded(h, frame_containing(kProtocol, {R"("SUBSCRIBED","channel":"MYORDER")"})),
                 ControlType::subscribed, Channel::orders, h.id("XRP-KRW"), 1);
  // The seed's SHORT-format ack sends a single object.
  expect_control(decoded(h, frame_containing(kSeed, {R"("SUBSCRIBED")", R"("data":{)"})),
                 ControlType::subscribed, Channel::orders, h.id("XRP-KRW"), 1);
  expect_control(decoded(h, frame_containing(kSeed, {R"("SUBSCRIBED")", R"("data":[)"})),
                 ControlType::subscribed, Channel::orders, h.id("XRP-KRW"), 1);
  // Several topics: the first names the instrument, all are counted.
  expect_control(decoded(h, R"({"response_type":"SUBSCRIBED","channel":"MYORDER","data":[{"quote_currency":"KRW","target_currency":"ETH"},{"quote_currency":"KRW","target_currency":"XRP"},{"quote_currency":"KRW","target_currency":"BTC"}]})"),
                 ControlType::subscribed, Channel::orders, h.id("ETH-KRW"), 3);
  expect_control(decoded(h, R"({"response_type":"SUBSCRIBED","channel":"MYORDER","data":[]})"),
                 ControlType::subscribed, Channel::orders, kNoInstrument, 0);
}

TEST(CoinoneGolden, SubscribedMyAssetWithoutData) {
  CoinoneHarness h;
  expect_control(decoded(h, frame_containing(kProtocol, {R"("channel":"MYASSET"})"})),
                 ControlType::subscribed, Channel::assets, kNoInstrument, 0);
}

TEST(CoinoneGolden, SubscribedTopicEchoedInLowerCaseResolvesToTheMarket) {
  CoinoneHarness h;
  expect_control(decoded(h, R"({"response_type":"SUBSCRIBED","channel":"TRADE","data":{"quote_currency":"krw","target_currency":"xrp"}})"),
                 ControlType::subscribed, Channel::trade, h.id("XRP-KRW"), 1);
}

TEST(CoinoneGolden, SubscribedToAnUnknownMarketIsAnAckWithoutInstrument) {
  // The venue acks a bad market before its ERROR 160012; the ack must not be lost.
  CoinoneHarness h;
  expect_control(decoded(h, R"({"response_type":"SUBSCRIBED","channel":"ORDERBOOK","data":{"quote_currency":"KRW","target_currency":"NOPE"}})"),
                 ControlType::subscribed, Channel::book, kNoInstrument, 1);
  EXPECT_FALSE(h.registry().find(Venue::coinone, "NOPE-KRW"));
}

TEST(CoinoneGolden, UnsubscribedEchoesTheTopic) {
  CoinoneHarness h;
  expect_control(decoded(h, frame_containing(kProtocol, {"UNSUBSCRIBED"})),
                 ControlType::unsubscribed, Channel::book, h.id("XRP-KRW"), 1);
}

TEST(CoinoneGolden, Pong) {
  CoinoneHarness h;
  const Event e = decoded(h, frame_containing(kProtocol, {"PONG"}));
  expect_control(e, ControlType::pong, Channel::none, kNoInstrument, 0);
  EXPECT_EQ(e.control.error_code, 0);
  EXPECT_TRUE(e.control.message.empty());
  EXPECT_TRUE(e.control.session_id.empty());
}

TEST(CoinoneGolden, ErrorCarriesCodeAndMessage) {
  CoinoneHarness h;
  const Event e = decoded(h, frame_containing(kProtocol, {R"("response_type":"ERROR")"}));
  expect_control(e, ControlType::error, Channel::none, kNoInstrument, 0);
  EXPECT_EQ(e.control.error_code, 160012);
  EXPECT_EQ(e.control.message, "Invalid Topic");
  EXPECT_TRUE(e.control.field.empty());
}

TEST(CoinoneGolden, ErrorCarriesTheBadRequestField) {
  CoinoneHarness h;
  const Event e = decoded(h, R"({"response_type":"ERROR","error_code":160011,"message":"Invalid Type","field":"channel"})");
  expect_control(e, ControlType::error, Channel::none, kNoInstrument, 0);
  EXPECT_EQ(e.control.error_code, 160011);
  EXPECT_EQ(e.control.message, "Invalid Type");
  EXPECT_EQ(e.control.field, "channel");
  // Field order does not matter, and a null field is an absent one.
  const Event f = decoded(h, R"({"field":null,"message":"Invalid Request","error_code":160010,"response_type":"ERROR"})");
  EXPECT_EQ(f.control.error_code, 160010);
  EXPECT_EQ(f.control.message, "Invalid Request");
  EXPECT_TRUE(f.control.field.empty());
}

TEST(CoinoneGolden, ErrorMessageLongerThanItsSlotIsCutNotRejected) {
  CoinoneHarness h;
  const std::string long_message(200, 'm');
  const Event e = decoded(h, R"({"response_type":"ERROR","error_code":160010,"message":")" +
                                 long_message + "\"}");
  EXPECT_EQ(e.control.message, long_message.substr(0, e.control.message.kCapacity));
}

// ---- The same event in DEFAULT and SHORT formats ---------------------------------------------

TEST(CoinoneGolden, DefaultAndShortMyOrderAndMyAssetExamplesDecodeEqual) {
  // The sheet and the seed list the same events in both formats, in the same order.
  for (std::string_view file : {kProtocol, kSeed}) {
    for (std::string_view channel : {"MYORDER", "MYASSET"}) {
      std::vector<std::string> long_frames, short_frames;
      for (const std::string& f : test::read_jsonl(file)) {
        const auto starts = [&](std::string_view prefix) {
          return f.rfind(std::string(prefix) + std::string(channel) + "\"", 0) == 0;
        };
        if (starts(R"({"response_type":"DATA","channel":")")) long_frames.push_back(f);
        if (starts(R"({"r":"DATA","c":")")) short_frames.push_back(f);
      }
      if (file == kSeed && channel == "MYASSET") continue;
      ASSERT_EQ(long_frames.size(), 6u) << file << " " << channel;
      ASSERT_EQ(short_frames.size(), 6u) << file << " " << channel;
      CoinoneHarness h;
      for (std::size_t i = 0; i < long_frames.size(); ++i) {
        const Event a = decoded(h, long_frames[i]);
        const Event b = decoded(h, short_frames[i]);
        EXPECT_TRUE(events_equal(a, b)) << long_frames[i] << "\n" << short_frames[i];
      }
    }
  }
}

TEST(CoinoneGolden, DefaultAndShortPublicFramesDecodeEqual) {
  CoinoneHarness h;
  const std::pair<std::vector<std::string_view>, const KeyMap*> cases[] = {
      {{R"("response_type":"DATA")", R"("channel":"ORDERBOOK")"}, &kShortBook},
      {{R"("channel":"TRADE")", R"("response_type":"DATA")", "XRP"}, &kShortTrade},
      {{R"("channel":"TRADE")", R"("response_type":"DATA")", "BTC"}, &kShortTrade},
      {{R"("response_type":"DATA")", R"("channel":"TICKER")"}, &kShortTicker},
  };
  for (const auto& [needles, keys] : cases) {
    std::string frame;
    if (needles.size() == 2) frame = frame_containing(kProtocol, {needles[0], needles[1]});
    else frame = frame_containing(kProtocol, {needles[0], needles[1], needles[2]});
    const std::string short_frame = to_short(frame, *keys);
    ASSERT_EQ(short_frame.find("_currency"), std::string::npos) << short_frame;
    const Event a = decoded(h, frame);
    const Event b = decoded(h, short_frame);
    EXPECT_TRUE(events_equal(a, b)) << frame << "\n" << short_frame;
  }
}

TEST(CoinoneGolden, EqualityHelperSeesADifference) {
  // The helper must be able to fail, or the tests above prove nothing.
  CoinoneHarness h;
  const Event a = decoded(h, frame_containing(kProtocol, {R"("status":"trade")"}));
  const Event b = decoded(h, frame_containing(kProtocol, {R"("status":"trade_done")"}));
  EXPECT_FALSE(events_equal(a, b));
  const Event c = decoded(h, frame_containing(kProtocol, {R"("response_type":"DATA")", R"("channel":"ORDERBOOK")"}));
  Json j = Json::parse(frame_containing(kProtocol, {R"("response_type":"DATA")", R"("channel":"ORDERBOOK")"}));
  j["data"]["bids"][15]["qty"] = "39610.4241";
  EXPECT_FALSE(events_equal(c, decoded(h, j.dump())));
}

// ---- Key order, unknown keys, whitespace -------------------------------------------------------

TEST(CoinoneGolden, KeyOrderDoesNotMatterAnywhere) {
  CoinoneHarness h;
  int compared = 0;
  for (const std::string& frame : all_golden_frames()) {
    if (is_chart(frame)) continue;
    const Event want = decoded(h, frame);
    const std::string rev = reversed(Json::parse(frame)).dump();
    EXPECT_TRUE(events_equal(want, decoded(h, rev))) << rev;
    // response_type last: `data` arrives with the channel known but not the response type.
    for (const char* key : {"response_type", "r"}) {
      const std::string moved = moved_last(frame, key);
      EXPECT_TRUE(events_equal(want, decoded(h, moved))) << moved;
    }
    ++compared;
  }
  EXPECT_GE(compared, 50);
}

TEST(CoinoneGolden, DataBeforeChannelAtTopLevel) {
  CoinoneHarness h;
  const Event want = decoded(h, frame_containing(kProtocol, {R"("c":"TRADE")"}));
  const Event got = decoded(h, R"({"d":{"qc":"KRW","tc":"XRP","i":"1693560563084003","t":1693560563084,"p":"688.3","q":"290.745","sm":false},"c":"TRADE","r":"DATA"})");
  EXPECT_TRUE(events_equal(want, got));
  EXPECT_EQ(got.trade.taker_side, Side::sell);
}

TEST(CoinoneGolden, UnknownKeysOfEveryTypeAreSkipped) {
  CoinoneHarness h;
  for (const std::string& frame : all_golden_frames()) {
    if (is_chart(frame)) continue;
    const Event want = decoded(h, frame);
    const std::string noisy = with_unknown_keys(Json::parse(frame)).dump();
    EXPECT_TRUE(events_equal(want, decoded(h, noisy))) << noisy;
  }
}

TEST(CoinoneGolden, PrettyPrintedFramesDecodeLikeCompactOnes) {
  CoinoneHarness h;
  for (const std::string& frame : all_golden_frames()) {
    if (is_chart(frame)) continue;
    const Event want = decoded(h, frame);
    const std::string pretty = Json::parse(frame).dump(2);
    EXPECT_TRUE(events_equal(want, decoded(h, pretty))) << pretty;
    const std::string tabs = "\r\n\t " + Json::parse(frame).dump(1, '\t') + "\r\n \t";
    EXPECT_TRUE(events_equal(want, decoded(h, tabs))) << tabs;
  }
}

TEST(CoinoneGolden, WhitespaceAroundEveryToken) {
  CoinoneHarness h;
  const Event want = decoded(h, frame_containing(kProtocol, {R"("c":"TRADE")"}));
  const Event got = decoded(h, " \n{ \"r\" :\t\"DATA\" ,\r\n \"c\" : \"TRADE\" , \"d\" : { \"qc\" : \"KRW\" , "
                               "\"tc\" : \"XRP\" , \"i\" : \"1693560563084003\" , \"t\" : 1693560563084 \n, "
                               "\"p\" : 688.3 \t, \"q\" : \"290.745\" , \"sm\" : false \r\n} \n} \n");
  EXPECT_TRUE(events_equal(want, got));
}

TEST(CoinoneGolden, SeedFileMultiLineFramesDecodeLikeTheCompactedOnes) {
  // The seed itself, as written (seed 001, copied verbatim into tests/data): multi-line frames
  // with spaces after colons.
  const std::string seed_text =
      test::read_file(std::string(MDE_TEST_DATA_DIR) + "/coinone_seed_myorder.txt");
  const std::vector<std::string> objects = test::extract_json_objects(seed_text);
  const std::vector<std::string> compact = test::read_jsonl(kSeed);
  CoinoneHarness h;
  std::size_t responses = 0;
  for (const std::string& text : objects) {
    if (text.find("request_type") != std::string::npos) {
      // Requests are client-to-server frames: not something the decoder accepts.
      EXPECT_EQ(h.decode(text).status, DecodeStatus::missing_field);
      continue;
    }
    ASSERT_LT(responses, compact.size());
    EXPECT_NE(text.find('\n'), std::string::npos);
    EXPECT_EQ(Json::parse(text).dump(), compact[responses]) << "seed and jsonl disagree";
    const Event want = decoded(h, compact[responses]);
    EXPECT_TRUE(events_equal(want, decoded(h, text))) << text;
    ++responses;
  }
  EXPECT_EQ(responses, compact.size());
}

TEST(CoinoneGolden, DecimalsAsBareJsonNumbersEqualDecimalsAsStrings) {
  CoinoneHarness h;
  const Event want = decoded(h, frame_containing(kProtocol, {R"("status":"trade")"}));
  const Event got = decoded(h, R"({"response_type":"DATA","channel":"MYORDER","data":{"quote_currency":"KRW","target_currency":"ETH","order_id":"1b48b02b-1e4d-11e9-9ec7-00e04c3600d7","type":"LIMIT","status":"trade","side":"BID","order_price":null,"order_qty":null,"order_amount":null,"trade_id":"1e9c062e-1e4d-11e9-9ec7-00e04c3600d7","is_maker":false,"executed_price":6244000,"executed_qty":0.01,"executed_fee":0.00000000,"remain_qty":0.00000000,"remain_amount":0,"user_order_id":"80744d42-6c89-4ab4-ac7a-1f46e2c7a041","prevented_qty":null,"executed_timestamp":1761024895,"order_timestamp":1761024895,"timestamp":1761024907}})");
  EXPECT_TRUE(events_equal(want, got));
}

TEST(CoinoneGolden, NullOptionalsEqualAbsentOptionals) {
  CoinoneHarness h;
  Json j = Json::parse(frame_containing(kProtocol, {R"("status":"cancel")"}));
  const Event want = decoded(h, j.dump());
  Json stripped = Json::object();
  for (auto it = j["data"].begin(); it != j["data"].end(); ++it) {
    if (!it.value().is_null()) stripped[it.key()] = it.value();
  }
  j["data"] = stripped;
  EXPECT_TRUE(events_equal(want, decoded(h, j.dump()))) << j.dump();
}

TEST(CoinoneGolden, ConnectionIdIsCopiedIntoEveryEvent) {
  CoinoneHarness h({.connection = 7});
  for (const std::string& frame : all_golden_frames()) {
    if (is_chart(frame)) continue;
    EXPECT_EQ(decoded(h, frame).header.connection, 7u) << frame;
  }
}

TEST(CoinoneGolden, EveryGoldenFrameDecodesExceptChart) {
  CoinoneHarness h;
  for (const std::string& frame : all_golden_frames()) {
    const DecodeResult r = h.decode(frame);
    if (is_chart(frame)) {
      // CHART is a real channel the engine does not consume: rejected, by name.
      EXPECT_EQ(r.status, DecodeStatus::unknown_channel);
      EXPECT_STREQ(r.field, "channel");
      EXPECT_EQ(h.event().header.kind, EventKind::none);
    } else {
      EXPECT_EQ(r.status, DecodeStatus::ok) << r.field << "\n" << frame;
      EXPECT_NE(h.event().header.kind, EventKind::none);
    }
  }
}

// ---- Instrument registry ---------------------------------------------------------------------

TEST(CoinoneGolden, UnknownMarketIsRejectedUnlessTheDecoderMayAddIt) {
  const std::string book =
      frame_containing(kProtocol, {R"("response_type":"DATA")", R"("channel":"ORDERBOOK")"});
  const std::string order = frame_containing(kProtocol, {R"("status":"wait")"});
  {
    CoinoneHarness strict({}, {"BTC-KRW"});
    for (const std::string& f : {book, order}) {
      const DecodeResult r = strict.decode(f);
      EXPECT_EQ(r.status, DecodeStatus::unknown_instrument);
      EXPECT_STREQ(r.field, "data.target_currency");
      EXPECT_EQ(strict.event().header.kind, EventKind::none);
    }
    EXPECT_EQ(strict.registry().size(), 1u);
    // Account-wide events need no market.
    EXPECT_TRUE(decodes(strict, frame_containing(kProtocol, {R"("channel":"MYASSET")", "deposit"})));
  }
  {
    CoinoneHarness adding({.add_unknown_instruments = true}, {"BTC-KRW"});
    ASSERT_TRUE(decodes(adding, book));
    const auto xrp = adding.registry().find(Venue::coinone, "XRP-KRW");
    ASSERT_TRUE(xrp);
    EXPECT_EQ(adding.event().header.instrument, *xrp);
    ASSERT_TRUE(decodes(adding, order));
    const auto eth = adding.registry().find(Venue::coinone, "ETH-KRW");
    ASSERT_TRUE(eth);
    EXPECT_EQ(adding.event().header.instrument, *eth);
    EXPECT_EQ(adding.registry().size(), 3u);
    ASSERT_TRUE(decodes(adding, book));  // found again, not added twice
    EXPECT_EQ(adding.event().header.instrument, *xrp);
    EXPECT_EQ(adding.registry().size(), 3u);
  }
}

TEST(CoinoneGolden, LowerCaseCurrenciesInDataMapToTheUpperCaseMarket) {
  CoinoneHarness h;
  const Event e = decoded(h, R"({"response_type":"DATA","channel":"TRADE","data":{"quote_currency":"krw","target_currency":"xrp","id":"1","timestamp":1693560450996,"price":"688.3","qty":"1","is_seller_maker":true}})");
  EXPECT_EQ(e.header.instrument, h.id("XRP-KRW"));
}

}  // namespace
}  // namespace mde
