#include "mde/core/instrument.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mde {
namespace {

// Built with append rather than operator+: GCC 12 warns falsely (-Wrestrict, bug 105329) on
// "literal" + std::string chains.
std::string market(std::size_t i) {
  std::string s = "M";
  s.append(std::to_string(i)).append("-KRW");
  return s;
}

TEST(InstrumentRegistry, AddReturnsStableIdsAndFindsThem) {
  InstrumentRegistry r;
  const auto xrp = r.add(Venue::coinone, "XRP-KRW");
  const auto btc = r.add(Venue::coinone, "BTC-KRW");
  ASSERT_TRUE(xrp && btc);
  EXPECT_NE(*xrp, *btc);
  EXPECT_EQ(r.add(Venue::coinone, "XRP-KRW"), xrp);
  EXPECT_EQ(r.find(Venue::coinone, "BTC-KRW"), btc);
  EXPECT_EQ(r.name(*xrp), "XRP-KRW");
  EXPECT_FALSE(r.find(Venue::coinone, "ETH-KRW"));
  EXPECT_EQ(r.size(), 2u);
}

TEST(InstrumentRegistry, RefusesEmptyAndOverlongNames) {
  InstrumentRegistry r;
  EXPECT_FALSE(r.add(Venue::coinone, ""));
  EXPECT_FALSE(r.add(Venue::coinone, std::string(InstrumentName::kCapacity + 1, 'X')));
  EXPECT_TRUE(r.add(Venue::coinone, std::string(InstrumentName::kCapacity, 'X')));
}

TEST(InstrumentRegistry, RefusesPastCapacityWithoutLosingExistingIds) {
  InstrumentRegistry r;
  for (std::size_t i = 0; i < InstrumentRegistry::kCapacity; ++i) {
    ASSERT_TRUE(r.add(Venue::coinone, market(i))) << i;
  }
  EXPECT_FALSE(r.add(Venue::coinone, "ONE-MORE"));
  for (std::size_t i = 0; i < InstrumentRegistry::kCapacity; ++i) {
    ASSERT_EQ(r.find(Venue::coinone, market(i)), static_cast<InstrumentId>(i));
  }
  EXPECT_EQ(r.name(kNoInstrument), "");
}

TEST(InstrumentRegistry, SameNameOnTwoVenuesIsTwoInstruments) {
  InstrumentRegistry r;
  const auto coinone = r.add(Venue::coinone, "BTC-USD");
  const auto btse = r.add(Venue::btse, "BTC-USD");
  ASSERT_TRUE(coinone && btse);
  EXPECT_NE(*coinone, *btse);
  EXPECT_EQ(r.find(Venue::btse, "BTC-USD"), btse);
  EXPECT_EQ(r.venue(*btse), Venue::btse);
  EXPECT_EQ(r.venue(*coinone), Venue::coinone);
  EXPECT_EQ(r.name(*btse), "BTC-USD");
  EXPECT_FALSE(r.find(Venue::deflow, "BTC-USD"));
}

}  // namespace
}  // namespace mde
