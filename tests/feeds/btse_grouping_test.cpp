// BTSE book topics of another grouping (found by the independent reference model in
// /tmp/bookcheck). protocols.md B4: the engine keeps grouping 0 (L514 "Use grouping 0"), each
// grouping has its own seqNum chain and a client routes on data.symbol plus the grouping it
// subscribed (L552); `update:SYM` without a suffix shares the _0 chain. An `update:SYM_1` frame
// routed into SYM's book breaks its chain (a false gap) or, as a snapshot, replaces the raw book
// with another chain's and calls it live.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "support/btse_harness.hpp"
#include "support/json_rewrite.hpp"

namespace mde {
namespace {

using test::BtseHarness;
using test::with;

constexpr std::string_view kSnapshot =
    R"({"topic":"update:BTC-USD_0","data":{"bids":[["59252.5","0.06865"]],"asks":[["59292.0","0.50000"]],"seqNum":628282,"prevSeqNum":628281,"type":"snapshot","timestamp":1565135165600,"symbol":"BTC-USD"}})";
constexpr std::string_view kDelta =
    R"({"topic":"update:BTC-USD_0","data":{"bids":[],"asks":[["59367.5","2.15622"],["59325.5","0"]],"seqNum":628283,"prevSeqNum":628282,"type":"delta","timestamp":1565135165600,"symbol":"BTC-USD"}})";

TEST(BtseDecoder, ABookFrameOfAnotherGroupingIsRejectedInsteadOfJoiningTheGroupingZeroBook) {
  BtseHarness h;
  for (const std::string_view topic : {"update:BTC-USD_1", "update:BTC-USD_8", "update:BTC-USD_10"}) {
    for (const std::string_view frame : {kSnapshot, kDelta}) {
      const std::string other = with(frame, "update:BTC-USD_0", topic);
      const DecodeResult r = h.decode(other);
      EXPECT_EQ(r.status, DecodeStatus::unknown_channel) << other;
      EXPECT_TRUE(h.events().empty()) << other;
    }
  }
}

TEST(BtseDecoder, GroupingZeroAndTheBareTopicStillDecodeAsTheMarketsBook) {
  BtseHarness h;
  for (const std::string_view topic : {"update:BTC-USD_0", "update:BTC-USD"}) {
    for (const std::string_view frame : {kSnapshot, kDelta}) {
      const std::string text = with(frame, "update:BTC-USD_0", topic);
      ASSERT_TRUE(h.decode(text).ok()) << text;
      ASSERT_EQ(h.events().size(), 1u) << text;
      EXPECT_EQ(h.event().header.kind, EventKind::book);
      EXPECT_EQ(h.event().header.instrument, h.id("BTC-USD"));
    }
  }
}

}  // namespace
}  // namespace mde
