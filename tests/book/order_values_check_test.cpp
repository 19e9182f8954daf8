// Findings of an outside reference model of MYORDER / MYASSET (protocols.md A7.4-A7.6 alone,
// compared with `mde replay --dump-state` over generated sequences): frames whose values are
// impossible (a negative fill, a negative balance) must be refused whole and counted, never
// folded into the state. Real frames through the real decoder, as the engine runs them.
#include <gtest/gtest.h>

#include <string_view>

#include "book/book_test_util.hpp"
#include "mde/book/balances.hpp"
#include "mde/book/order_tracker.hpp"
#include "mde/core/frame.hpp"
#include "mde/feeds/coinone/decoder.hpp"

namespace mde {
namespace {

using test::dec;

// The A7.4 `wait` example, one order of 1 XRP at 100 KRW.
constexpr std::string_view kWait =
    R"({"r":"DATA","c":"MYORDER","d":{"qc":"KRW","tc":"XRP","oi":"o-1","t":"LIMIT","st":"wait",)"
    R"("s":"BID","op":"100","oq":"1","oa":null,"ti":null,"im":null,"ep":null,"eq":null,)"
    R"("ef":null,"rq":null,"ra":null,"ui":null,"pq":null,"et":null,"ot":1761017305,)"
    R"("ts":1761017305}})";

// Decodes frames and applies them to a tracker and balances, as the engine does.
struct Frames {
  InstrumentRegistry registry;
  coinone::Decoder decoder{registry, coinone::DecoderOptions{.add_unknown_instruments = true}};
  PaddedBuffer buffer{1 << 14};
  OrderTracker orders{16};
  Balances balances;
  std::int64_t now = 1;

  OrderUpdate order(std::string_view frame) {
    Event e;
    decode(frame, e);
    EXPECT_EQ(e.header.kind, EventKind::order);
    return orders.apply(e.header, e.order);
  }
  BalanceApply asset(std::string_view frame) {
    Event e;
    decode(frame, e);
    EXPECT_EQ(e.header.kind, EventKind::asset);
    return balances.apply(e.header, e.asset);
  }
  void decode(std::string_view frame, Event& e) {
    ASSERT_TRUE(buffer.assign(frame));
    ASSERT_TRUE(decoder.decode(buffer.view(), e).ok()) << frame;
    e.header.receive_ns = now++;
  }
};

TEST(OrderTracker, AFillOfANegativeQuantityIsRefusedAndMovesNothing) {
  Frames f;
  ASSERT_EQ(f.order(kWait).status, OrderApply::applied);
  // l.333 of the sheet: executed_qty is the fill's quantity. -0.5 filled is no fill.
  const OrderUpdate u = f.order(
      R"({"r":"DATA","c":"MYORDER","d":{"qc":"KRW","tc":"XRP","oi":"o-1","t":"LIMIT",)"
      R"("st":"trade","s":"BID","ti":"t-1","im":false,"ep":"100","eq":"-0.5","ef":"0",)"
      R"("rq":"1.5","ts":1761017306}})");
  EXPECT_EQ(u.status, OrderApply::malformed);
  const Order& o = *f.orders.find(Venue::coinone, "o-1");
  EXPECT_EQ(o.state, OrderState::open);  // not partially_filled with nothing filled
  EXPECT_TRUE(o.filled_qty.is_zero());
  EXPECT_EQ(o.fill_count, 0u);
  EXPECT_EQ(f.orders.counters().malformed, 1u);

  // Nor does such a fill create an order nobody has seen.
  EXPECT_EQ(f.order(R"({"r":"DATA","c":"MYORDER","d":{"qc":"KRW","tc":"XRP","oi":"o-2",)"
                    R"("t":"LIMIT","st":"trade","s":"ASK","ti":"t-2","ep":"100","eq":"-1",)"
                    R"("ts":1761017307}})")
                .status,
            OrderApply::malformed);
  EXPECT_EQ(f.orders.find(Venue::coinone, "o-2"), nullptr);
  EXPECT_EQ(f.orders.size(), 1u);
}

TEST(OrderTracker, AFillAtANegativePriceIsRefusedAndLeavesTheNotionalAlone) {
  Frames f;
  ASSERT_EQ(f.order(kWait).status, OrderApply::applied);
  ASSERT_EQ(f.order(R"({"r":"DATA","c":"MYORDER","d":{"qc":"KRW","tc":"XRP","oi":"o-1",)"
                    R"("t":"LIMIT","st":"trade","s":"BID","ti":"t-1","im":false,"ep":"100",)"
                    R"("eq":"0.4","ef":"0","rq":"0.6","ts":1761017306}})")
                .status,
            OrderApply::applied);
  // l.332: executed_price is the fill's price; at -100 KRW the notional would go negative.
  const OrderUpdate u = f.order(
      R"({"r":"DATA","c":"MYORDER","d":{"qc":"KRW","tc":"XRP","oi":"o-1","t":"LIMIT",)"
      R"("st":"trade_done","s":"BID","ti":"t-2","im":false,"ep":"-100","eq":"0.6","ef":"0",)"
      R"("rq":"0","ts":1761017307}})");
  EXPECT_EQ(u.status, OrderApply::malformed);
  const Order& o = *f.orders.find(Venue::coinone, "o-1");
  EXPECT_EQ(o.state, OrderState::partially_filled);
  EXPECT_EQ(o.filled_qty, dec("0.4"));
  EXPECT_EQ(o.filled_notional, test::notional("40"));
  EXPECT_EQ(o.fill_count, 1u);
}

TEST(Balances, AnAssetEventWithANegativeAmountIsRefusedWhole) {
  Frames f;
  ASSERT_EQ(f.asset(R"({"r":"DATA","c":"MYASSET","d":{"as":[{"c":"KRW","a":"205620364.5029",)"
                    R"("l":"8400.0000"},{"c":"ETH","a":"55.64169518","l":"1.00000000"}],)"
                    R"("t":"order","ts":1760937483}})"),
            BalanceApply::applied);
  // l.398-399: available and limit are amounts after the change (available + limit = total);
  // neither can be below zero. Storing the ETH half of this trade would be as wrong.
  EXPECT_EQ(f.asset(R"({"r":"DATA","c":"MYASSET","d":{"as":[{"c":"ETH","a":"56.64169518",)"
                    R"("l":"0"},{"c":"KRW","a":"-5","l":"8400.0000"}],"t":"trade",)"
                    R"("ts":1760937484}})"),
            BalanceApply::malformed);
  EXPECT_EQ(f.asset(R"({"r":"DATA","c":"MYASSET","d":{"as":[{"c":"ETH","a":"1","l":"-0.5"}],)"
                    R"("t":"cancel","ts":1760937485}})"),
            BalanceApply::malformed);
  EXPECT_EQ(f.balances.find(Venue::coinone, "KRW")->available, dec("205620364.5029"));
  EXPECT_EQ(f.balances.find(Venue::coinone, "ETH")->available, dec("55.64169518"));
  EXPECT_EQ(f.balances.find(Venue::coinone, "ETH")->locked, dec("1"));
  EXPECT_EQ(f.balances.counters().malformed, 2u);
}

}  // namespace
}  // namespace mde
