// The BTSE decoder never allocates: many decodes of a mixed frame set (books with parts and
// duplicates, trade batches, every control frame, and frames rejected for many reasons) into a
// fixed sink make zero heap allocations, and neither does venue recognition. Counted by the
// replaced global allocator of this binary (tests/support/alloc_counter.cpp).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "mde/core/events.hpp"
#include "mde/core/frame.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/btse/decoder.hpp"
#include "mde/feeds/event_sink.hpp"
#include "mde/feeds/venue_sniff.hpp"
#include "support/alloc_counter.hpp"
#include "support/coinone_harness.hpp"

namespace mde {
namespace {

using test::allocation_counts;

std::vector<std::string> mixed_frames() {
  std::vector<std::string> frames = test::read_jsonl("btse_protocol_frames.jsonl");
  std::string big = R"({"topic":"update:BTC-USD_0","data":{"bids":[)";
  for (int i = 0; i < 300; ++i) {
    if (i) big += ',';
    big += "[\"" + std::to_string(1000 + i % 250) + "\",\"" + (i % 7 ? "1.5" : "0.000") + "\"]";
  }
  big += R"(],"asks":[["2000","1"],["2000","0"]],"seqNum":5,"prevSeqNum":4,"type":"delta","timestamp":1565135165600,"symbol":"BTC-USD"}})";
  std::string batch = R"({"topic":"tradeHistoryApi:BTC-USD","data":[)";
  for (int i = 0; i < 40; ++i) {
    if (i) batch += ',';
    batch += R"({"symbol":"BTC-USD","side":"BUY","size":5.0E-4,"price":5302.8,"tradeId":)" +
             std::to_string(i + 1) + R"(,"timestamp":1584446020295})";
  }
  batch += "]}";
  const std::string extra[] = {
      big, batch,
      R"({"data":[{"timestamp":1584446020295,"tradeId":1,"price":1E+2,"size":2.5e3,"side":"SELL","symbol":"BTC-USD"}],"topic":"tradeHistory:BTC-USD"})",
      R"({"severity":"ERROR","errors":[{"error":{"code":1001}},{"arg":"update:X_0","error":{"code":1005,"message":"Topic provided does not exist."}}]})",
      // rejected
      "", "ping", "[1]", R"({"op":"subscribe","args":[]})", big.substr(0, big.size() / 2),
      R"({"topic":"update:BTC-USD_0","data":{"bids":[["0","1"]],"seqNum":1,"type":"snapshot","timestamp":1,"symbol":"BTC-USD"}})",
      R"({"topic":"update:BTC-USD_0","data":{"bids":[],"seqNum":1,"type":"snapshot","timestamp":1,"symbol":"NOPE"}})",
      R"({"topic":"tradeHistoryApi:BTC-USD","data":[{"symbol":"BTC-USD","side":"BUY","size":1E-9,"price":1,"tradeId":1,"timestamp":1}]})",
      R"({"event":"subscribe","channel":[")" + std::string(60, 'x') + R"("]})",
      R"({"event":"login","success":"yes"})",
      "{\"topic\":\"update:BTC-USD_0\",\"x\":\"\xff\"}",
  };
  for (const std::string& f : extra) frames.push_back(f);
  return frames;
}

TEST(BtseDecoderAllocations, ManyMixedDecodesAllocateNothing) {
  InstrumentRegistry registry;
  for (const char* m : {"BTC-USD", "ETH-USD", "BTC-PERP"}) ASSERT_TRUE(registry.add(Venue::btse, m));
  btse::Decoder decoder(registry);

  const std::vector<std::string> texts = mixed_frames();
  const test::PaddedFrames frames = test::padded_frames(texts);
  const std::vector<FrameView>& views = frames.views;
  auto sink = std::make_unique<ArraySink<64>>();

  std::vector<DecodeStatus> expected;
  std::size_t accepted = 0;
  for (const FrameView& v : views) {
    sink->clear();
    expected.push_back(decoder.decode(v, *sink).status);
    accepted += expected.back() == DecodeStatus::ok;
  }
  ASSERT_GE(accepted, 12u);
  ASSERT_GE(views.size() - accepted, 10u);

  constexpr std::size_t kDecodes = 200'000;
  std::size_t mismatches = 0;
  std::size_t events = 0;
  std::size_t btse = 0;
  const auto before = allocation_counts();
  for (std::size_t i = 0, f = 0; i < kDecodes; ++i) {
    sink->clear();
    mismatches += decoder.decode(views[f], *sink).status != expected[f];
    events += sink->count + sink->overflowed;
    btse += recognise_venue(views[f]) == Venue::btse;
    if (++f == views.size()) f = 0;
  }
  const auto after = allocation_counts();

  EXPECT_EQ(after.operator_new - before.operator_new, 0u);
  EXPECT_EQ(after.c_alloc - before.c_alloc, 0u);
  EXPECT_EQ(mismatches, 0u);
  EXPECT_GT(events, kDecodes);
  EXPECT_GT(btse, kDecodes / 2);
}

}  // namespace
}  // namespace mde
