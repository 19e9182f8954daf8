#include "mde/book/balances.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "book/book_test_util.hpp"

namespace mde {
namespace {

using test::dec;

struct Asset {
  const char* currency;
  const char* available;
  const char* locked;
};

AssetEvent asset_event(std::initializer_list<Asset> assets,
                       AssetChangeReason reason = AssetChangeReason::trade) {
  AssetEvent e{};
  e.order_id.clear();
  e.trade_id.clear();
  e.client_order_id.clear();
  e.reason = reason;
  for (const Asset& a : assets) {
    AssetBalance& b = e.assets[e.count++];
    (void)b.currency.assign(a.currency);
    b.available = dec(a.available);
    b.locked = dec(a.locked);
  }
  return e;
}

EventHeader asset_header(std::int64_t receive_ns, Venue venue = Venue::coinone) {
  EventHeader h{};
  h.receive_ns = receive_ns;
  h.instrument = kNoInstrument;
  h.kind = EventKind::asset;
  h.venue = venue;
  return h;
}

std::vector<std::string> currencies(const Balances& b) {
  std::vector<std::string> out;
  for (const Balance& x : b.all()) out.emplace_back(x.currency.view());
  return out;
}

TEST(Balances, StoresAvailableAndLockedPerCurrency) {
  Balances b;
  // The MYASSET `trade` example of protocols.md A7.5.
  ASSERT_EQ(b.apply(asset_header(5), asset_event({{"KRW", "154902734.0029", "8400.0000"},
                                                  {"ETH", "55.64169518", "0.09890000"}})),
            BalanceApply::applied);
  const Balance* krw = b.find(Venue::coinone, "KRW");
  ASSERT_NE(krw, nullptr);
  EXPECT_EQ(krw->available, dec("154902734.0029"));
  EXPECT_EQ(krw->locked, dec("8400"));
  EXPECT_EQ(krw->last_update_ns, 5);
  EXPECT_EQ(krw->last_reason, AssetChangeReason::trade);
  ASSERT_NE(b.find(Venue::coinone, "ETH"), nullptr);
  EXPECT_EQ(b.find(Venue::coinone, "ETH")->locked, dec("0.0989"));
  EXPECT_EQ(b.find(Venue::coinone, "BTC"), nullptr);
  EXPECT_EQ(b.size(), 2u);
}

TEST(Balances, LaterEventOverwritesAndIterationKeepsFirstSeenOrder) {
  Balances b;
  (void)b.apply(asset_header(1), asset_event({{"KRW", "205620364.5029", "8400"}},
                                             AssetChangeReason::deposit));
  (void)b.apply(asset_header(2), asset_event({{"ETH", "55.64169518", "1"}},
                                             AssetChangeReason::order));
  (void)b.apply(asset_header(3), asset_event({{"KRW", "155520364.5029", "8400"}},
                                             AssetChangeReason::cancel));
  EXPECT_EQ(currencies(b), (std::vector<std::string>{"KRW", "ETH"}));
  EXPECT_EQ(b.find(Venue::coinone, "KRW")->available, dec("155520364.5029"));
  EXPECT_EQ(b.find(Venue::coinone, "KRW")->updates, 2u);
  EXPECT_EQ(b.find(Venue::coinone, "KRW")->last_reason, AssetChangeReason::cancel);
  EXPECT_EQ(b.counters().updates, 3u);
}

TEST(Balances, RefusesNewCurrenciesWhenFullButKeepsUpdatingKnownOnes) {
  Balances b;
  for (std::size_t i = 0; i < Balances::kCapacity; ++i) {
    const std::string code = test::numbered("C", i);
    ASSERT_EQ(b.apply(asset_header(1), asset_event({{code.c_str(), "1", "0"}})),
              BalanceApply::applied);
  }
  EXPECT_EQ(b.apply(asset_header(2), asset_event({{"NEW", "1", "0"}, {"C7", "2", "0"}})),
            BalanceApply::partial);
  EXPECT_EQ(b.find(Venue::coinone, "NEW"), nullptr);
  EXPECT_EQ(b.find(Venue::coinone, "C7")->available, dec("2"));
  EXPECT_EQ(b.counters().refused, 1u);
  for (std::size_t i = 0; i < Balances::kCapacity; ++i) {
    ASSERT_NE(b.find(Venue::coinone, test::numbered("C", i)), nullptr) << i;
  }
}

TEST(Balances, RefusesEmptyCurrencyAndOversizedEvent) {
  Balances b;
  EXPECT_EQ(b.apply(asset_header(1), asset_event({{"", "1", "0"}})), BalanceApply::partial);
  AssetEvent e = asset_event({{"KRW", "1", "0"}});
  e.count = kMaxAssetsPerEvent + 1;
  EXPECT_EQ(b.apply(asset_header(1), e), BalanceApply::malformed);
  EXPECT_EQ(b.size(), 0u);
}

TEST(Balances, KeysByVenueAndUpperCaseCurrency) {
  Balances b;
  ASSERT_EQ(b.apply(asset_header(1, Venue::coinone), asset_event({{"usdt", "10", "1"}})),
            BalanceApply::applied);
  ASSERT_EQ(b.apply(asset_header(2, Venue::btse), asset_event({{"USDT", "20", "2"}})),
            BalanceApply::applied);
  ASSERT_EQ(b.apply(asset_header(3, Venue::coinone), asset_event({{"UsDt", "11", "0"}})),
            BalanceApply::applied);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(currencies(b), (std::vector<std::string>{"USDT", "USDT"}));
  ASSERT_NE(b.find(Venue::coinone, "usdt"), nullptr);
  EXPECT_EQ(b.find(Venue::coinone, "USDT")->available, dec("11"));
  EXPECT_EQ(b.find(Venue::coinone, "USDT")->updates, 2u);
  EXPECT_EQ(b.find(Venue::btse, "Usdt")->available, dec("20"));
  EXPECT_EQ(b.find(Venue::btse, "USDT")->venue, Venue::btse);
  EXPECT_EQ(b.find(Venue::deflow, "USDT"), nullptr);
  EXPECT_EQ(b.find(Venue::btse, "A-CODE-FAR-TOO-LONG-TO-FIT"), nullptr);
}

}  // namespace
}  // namespace mde
