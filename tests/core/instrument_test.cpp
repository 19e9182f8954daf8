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
  const auto xrp = r.add("XRP-KRW");
  const auto btc = r.add("BTC-KRW");
  ASSERT_TRUE(xrp && btc);
  EXPECT_NE(*xrp, *btc);
  EXPECT_EQ(r.add("XRP-KRW"), xrp);
  EXPECT_EQ(r.find("BTC-KRW"), btc);
  EXPECT_EQ(r.name(*xrp), "XRP-KRW");
  EXPECT_FALSE(r.find("ETH-KRW"));
  EXPECT_EQ(r.size(), 2u);
}

TEST(InstrumentRegistry, RefusesEmptyAndOverlongNames) {
  InstrumentRegistry r;
  EXPECT_FALSE(r.add(""));
  EXPECT_FALSE(r.add(std::string(InstrumentName::kCapacity + 1, 'X')));
  EXPECT_TRUE(r.add(std::string(InstrumentName::kCapacity, 'X')));
}

TEST(InstrumentRegistry, RefusesPastCapacityWithoutLosingExistingIds) {
  InstrumentRegistry r;
  for (std::size_t i = 0; i < InstrumentRegistry::kCapacity; ++i) {
    ASSERT_TRUE(r.add(market(i))) << i;
  }
  EXPECT_FALSE(r.add("ONE-MORE"));
  for (std::size_t i = 0; i < InstrumentRegistry::kCapacity; ++i) {
    ASSERT_EQ(r.find(market(i)), static_cast<InstrumentId>(i));
  }
  EXPECT_EQ(r.name(kNoInstrument), "");
}

}  // namespace
}  // namespace mde
