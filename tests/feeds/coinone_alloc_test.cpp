// The decoder never allocates: one million decodes of a mixed frame set (every channel, both
// formats, control frames, and frames it rejects for many different reasons) make zero heap
// allocations, counted by a replaced global allocator (tests/support/alloc_counter.cpp, linked
// into this binary only).
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "mde/core/events.hpp"
#include "mde/core/frame.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/coinone/decoder.hpp"
#include "support/alloc_counter.hpp"
#include "support/coinone_harness.hpp"

namespace mde {
namespace {

using test::allocation_counts;

// Sinks the optimiser cannot see through: an allocation stored here cannot be elided.
int* volatile g_int_sink = nullptr;
void* volatile g_void_sink = nullptr;

std::vector<std::string> mixed_frames() {
  std::vector<std::string> frames = test::read_jsonl("coinone_protocol_frames.jsonl");
  for (std::string& f : test::read_jsonl("coinone_seed_myorder.jsonl")) frames.push_back(std::move(f));
  const std::string trade =
      R"({"response_type":"DATA","channel":"TRADE","data":{"quote_currency":"KRW","target_currency":"XRP","id":"1693560450996001","timestamp":1693560450996,"price":"688.3","qty":"5000","is_seller_maker":true}})";
  std::string book_100 =
      R"({"response_type":"DATA","channel":"ORDERBOOK","data":{"quote_currency":"KRW","target_currency":"XRP","timestamp":1693560155038,"id":"1","bids":[],"asks":[)";
  for (int i = 0; i < 100; ++i) {
    if (i) book_100 += ',';
    book_100 += R"({"price":"1","qty":"1"})";
  }
  book_100 += "]}}";
  const std::string extra[] = {
      // accepted, through the less common paths
      R"({"data":{"quote_currency":"KRW","target_currency":"XRP","id":"1","timestamp":1693560450996,"price":688.3,"qty":1,"is_seller_maker":false},"channel":"TRADE","response_type":"DATA"})",
      R"({"response_type":"ERROR","error_code":160011,"message":"Invalid Type","field":"channel"})",
      R"({"response_type":"CONNECTED","data":null})",
      "{\n  \"response_type\": \"PONG\",\n  \"x\": [1, {\"y\": \"\\u00e9\\n\"}, null, true]\n}\n",
      // rejected, each for a different reason
      "",
      "   ",
      R"([1,2,3])",
      R"({"response_type":"PONG"}{})",
      trade.substr(0, trade.size() / 2),
      "{\"response_type\":\"PONG\",\"x\":\"\xff\"}",  // invalid UTF-8
      R"({"response_type":"PONG","x":"\q"})",                 // invalid escape
      R"({"response_type":"DATUM"})",
      R"({"response_type":"DATA","channel":"TRADE","data":{"quote_currency":"KRW","target_currency":"NOPE","id":"1","timestamp":1,"price":"1","qty":"1","is_seller_maker":true}})",
      R"({"response_type":"DATA","channel":"TRADE","data":{"quote_currency":"KRW","target_currency":"XRP","id":"1","timestamp":1,"price":"1e5","qty":"1","is_seller_maker":true}})",
      R"({"response_type":"DATA","channel":"TRADE","data":{"quote_currency":"KRW","target_currency":"XRP","id":"1","timestamp":1,"price":"1","price":"2","qty":"1","is_seller_maker":true}})",
      R"({"response_type":"DATA","channel":"TRADE","data":{"quote_currency":"KRW","target_currency":"XRP","id":"1","timestamp":999999999999,"price":"1","qty":"1","is_seller_maker":true}})",
      R"({"response_type":"DATA","channel":"TRADE","data":{"quote_currency":"KRW","target_currency":"XRP","id":"1","timestamp":1,"price":"1","qty":"1","is_seller_maker":tru}})",
      R"({"response_type":"DATA","channel":"TRADE","data":{"quote_currency":"KRW","target_currency":"XRP","id":")" +
          std::string(60, 'x') + R"(","timestamp":1,"price":"1","qty":"1","is_seller_maker":true}})",
      R"({"response_type":"PONG","x":)" + std::string(40, '[') + std::string(40, ']') + "}",
      book_100,
  };
  for (const std::string& f : extra) frames.push_back(f);
  return frames;
}

TEST(CoinoneDecoderAllocations, AMillionMixedDecodesAllocateNothing) {
  InstrumentRegistry registry;
  for (const char* m : {"XRP-KRW", "ETH-KRW", "BTC-KRW"}) ASSERT_TRUE(registry.add(Venue::coinone, m));
  coinone::Decoder decoder(registry);

  // Every frame in its own padded buffer, made before counting starts.
  const std::vector<std::string> texts = mixed_frames();
  const test::PaddedFrames frames = test::padded_frames(texts);
  const std::vector<FrameView>& views = frames.views;
  auto event = std::make_unique<Event>();

  // Warm-up, and the status each frame gets (the loop must reproduce it).
  std::vector<DecodeStatus> expected;
  std::size_t accepted = 0;
  for (const FrameView& v : views) {
    expected.push_back(decoder.decode(v, *event).status);
    accepted += expected.back() == DecodeStatus::ok;
  }
  ASSERT_GE(accepted, 50u);
  ASSERT_GE(views.size() - accepted, 15u);

  constexpr std::size_t kDecodes = 1'000'000;
  std::size_t mismatches = 0;
  std::size_t kinds = 0;
  const auto before = allocation_counts();
  for (std::size_t i = 0, f = 0; i < kDecodes; ++i) {
    const DecodeResult r = decoder.decode(views[f], *event);
    mismatches += r.status != expected[f];
    kinds += static_cast<std::size_t>(event->header.kind);
    if (++f == views.size()) f = 0;
  }
  const auto after = allocation_counts();

  EXPECT_EQ(after.operator_new - before.operator_new, 0u);
  EXPECT_EQ(after.c_alloc - before.c_alloc, 0u);
  EXPECT_EQ(mismatches, 0u);
  EXPECT_GT(kinds, 0u);
  RecordProperty("frames", static_cast<int>(views.size()));
  RecordProperty("rejected", static_cast<int>(views.size() - accepted));
}

TEST(CoinoneDecoderAllocations, TheCounterSeesEveryKindOfAllocation) {
  // Without this the test above could pass with a counter that counts nothing.
  auto counted = [](auto&& allocate) {
    const auto before = allocation_counts();
    allocate();
    const auto after = allocation_counts();
    return after.total() - before.total();
  };
  EXPECT_EQ(counted([] {
              g_int_sink = new int(42);
              delete g_int_sink;
            }),
            1u);
  EXPECT_EQ(counted([] {
              g_int_sink = new int[3];
              delete[] g_int_sink;
            }),
            1u);
  EXPECT_EQ(counted([] {
              g_int_sink = static_cast<int*>(::operator new(64, std::align_val_t{64}));
              ::operator delete(g_int_sink, std::align_val_t{64});
            }),
            1u);
  EXPECT_EQ(counted([] {
              g_int_sink = new (std::nothrow) int(1);
              delete g_int_sink;
            }),
            1u);
  EXPECT_EQ(counted([] {
              g_void_sink = std::malloc(24);
              std::free(g_void_sink);
            }),
            1u);
  EXPECT_EQ(counted([] {
              g_void_sink = std::calloc(3, 8);
              g_void_sink = std::realloc(g_void_sink, 4096);
              std::free(g_void_sink);
            }),
            2u);
  EXPECT_EQ(counted([] {
              g_void_sink = std::aligned_alloc(64, 128);
              std::free(g_void_sink);
            }),
            1u);
  EXPECT_GE(counted([] {
              const std::string s(1000, 'x');  // beyond the small-string buffer
              g_void_sink = const_cast<char*>(s.data());
            }),
            1u);
  // And a decoder constructor allocates (its parser): counted, so decode()'s zero is real.
  InstrumentRegistry registry;
  EXPECT_GE(counted([&] { coinone::Decoder d(registry); }), 1u);
}

}  // namespace
}  // namespace mde
