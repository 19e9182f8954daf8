// What a rejected frame was about (DecodeResult::subject): a rejected ORDERBOOK or BTSE book frame
// is a lost update for that market's book, a rejected MYORDER / MYASSET one for the order or
// balance stream. The producer turns the subject into a `rejected` control so the core thread
// marks that book or stream stale instead of letting it look right (found by an independent book
// reference model: a Coinone market sending 9 fractional digits kept its old book live forever).
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "support/btse_harness.hpp"
#include "support/coinone_harness.hpp"
#include "support/json_rewrite.hpp"

namespace mde {
namespace {

using test::BtseHarness;
using test::CoinoneHarness;
using test::with;

constexpr std::string_view kCoinoneBook =
    R"({"response_type":"DATA","channel":"ORDERBOOK","data":{"quote_currency":"KRW","target_currency":"XRP","timestamp":1693560155038,"id":"1693560155038001","asks":[{"price":"695.5","qty":"5000"}],"bids":[{"price":"688.3","qty":"2000"}]}})";
constexpr std::string_view kCoinoneTrade =
    R"({"response_type":"DATA","channel":"TRADE","data":{"quote_currency":"KRW","target_currency":"XRP","id":"1693560450996001","timestamp":1693560450996,"price":"688.3","qty":"5000","is_seller_maker":true}})";
constexpr std::string_view kCoinoneOrder =
    R"({"response_type":"DATA","channel":"MYORDER","data":{"quote_currency":"KRW","target_currency":"ETH","order_id":"1b48b023-1e4d-11e9-9ec7-00e04c3600d7","type":"LIMIT","status":"wait","side":"BID","order_price":"6000000.0000","order_qty":"1.00000000","order_timestamp":1761017305,"timestamp":1761017305}})";
constexpr std::string_view kBtseDelta =
    R"({"topic":"update:BTC-USD_0","data":{"bids":[],"asks":[["59367.5","2.15622"],["59325.5","0"]],"seqNum":628283,"prevSeqNum":628282,"type":"delta","timestamp":1565135165600,"symbol":"BTC-USD"}})";

TEST(RejectedSubject, ARejectedCoinoneBookFrameNamesItsMarketsBook) {
  CoinoneHarness h;
  ASSERT_TRUE(h.decode(kCoinoneBook).ok());
  // 9 fractional digits: more than the engine holds exactly, so the whole frame is refused.
  const DecodeResult r = h.decode(with(kCoinoneBook, R"("qty":"5000")", R"("qty":"5000.123456789")"));
  ASSERT_EQ(r.status, DecodeStatus::bad_number);
  EXPECT_EQ(r.subject.channel, Channel::book);
  EXPECT_EQ(r.subject.venue, Venue::coinone);
  EXPECT_EQ(r.subject.instrument, h.id("XRP-KRW"));
  EXPECT_FALSE(r.subject.chained);  // full snapshots: nothing else would ever tell
}

TEST(RejectedSubject, ARejectedShortFormatBookFrameNamesItsMarketsBookToo) {
  CoinoneHarness h;
  const std::string frame =
      R"({"r":"DATA","c":"ORDERBOOK","d":{"qc":"KRW","tc":"BTC","t":1693560155038,"i":"1","a":[{"p":"-1","q":"1"}],"b":[]}})";
  const DecodeResult r = h.decode(frame);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.subject.channel, Channel::book);
  EXPECT_EQ(r.subject.instrument, h.id("BTC-KRW"));
}

TEST(RejectedSubject, ABookFrameForAMarketNeverRegisteredNamesNoBook) {
  CoinoneHarness h;  // adds no markets: DOGE-KRW is unknown
  const DecodeResult r = h.decode(with(kCoinoneBook, R"("target_currency":"XRP")",
                                       R"("target_currency":"DOGE")"));
  ASSERT_EQ(r.status, DecodeStatus::unknown_instrument);
  EXPECT_EQ(r.subject.channel, Channel::book);
  EXPECT_EQ(r.subject.instrument, kNoInstrument);
}

TEST(RejectedSubject, ARejectedMyOrderFrameNamesTheOrderStream) {
  CoinoneHarness h;
  ASSERT_TRUE(h.decode(kCoinoneOrder).ok());
  const DecodeResult r =
      h.decode(with(kCoinoneOrder, R"("order_qty":"1.00000000")", R"("order_qty":"1.0.0")"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.subject.channel, Channel::orders);
  EXPECT_EQ(r.subject.venue, Venue::coinone);
}

TEST(RejectedSubject, ARejectedTradeNamesTheTradeChannelAndAnUnreadableEnvelopeNothing) {
  CoinoneHarness h;
  const DecodeResult trade = h.decode(with(kCoinoneTrade, R"("price":"688.3")", R"("price":"x")"));
  ASSERT_FALSE(trade.ok());
  EXPECT_EQ(trade.subject.channel, Channel::trade);

  const DecodeResult garbage = h.decode(R"({"response_type":"DATA","chan)");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.subject.channel, Channel::none);

  // A good frame after a rejected one carries no subject of the one before.
  const DecodeResult bad_book = h.decode(with(kCoinoneBook, R"("qty":"5000")", R"("qty":"-5")"));
  ASSERT_EQ(bad_book.subject.channel, Channel::book);
  const DecodeResult bad_envelope = h.decode(R"({"response_type":"NOPE"})");
  ASSERT_FALSE(bad_envelope.ok());
  EXPECT_EQ(bad_envelope.subject.channel, Channel::none);
  EXPECT_EQ(bad_envelope.subject.instrument, kNoInstrument);
}

TEST(RejectedSubject, ARejectedBtseDeltaNamesItsMarketsBookAndABadTradeBatchTheTrades) {
  BtseHarness h;
  const DecodeResult r = h.decode(with(kBtseDelta, R"("2.15622")", R"("-2.15622")"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.subject.channel, Channel::book);
  EXPECT_EQ(r.subject.venue, Venue::btse);
  EXPECT_EQ(r.subject.instrument, h.id("BTC-USD"));
  EXPECT_TRUE(r.subject.chained);  // its seqNum chain shows a lost update: no notice needed

  const DecodeResult trades = h.decode(
      R"({"topic":"tradeHistoryApi:BTC-USD","data":[{"symbol":"BTC-USD","side":"SELL","size":"x","price":59300.5,"tradeId":1,"timestamp":1565135165600}]})");
  ASSERT_FALSE(trades.ok());
  EXPECT_EQ(trades.subject.channel, Channel::trade);

  // Another grouping's frame is not grouping 0's book: nothing of ours missed an update.
  const DecodeResult other = h.decode(with(kBtseDelta, "update:BTC-USD_0", "update:BTC-USD_1"));
  ASSERT_EQ(other.status, DecodeStatus::unknown_channel);
  EXPECT_EQ(other.subject.channel, Channel::none);
}

}  // namespace
}  // namespace mde
