// recognise_venue: every golden frame of both venues is recognised, on the first-key fast path
// and, with its keys reordered, on the scan; anything without a venue's envelope is unknown.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "mde/core/frame.hpp"
#include "mde/feeds/venue_sniff.hpp"
#include "support/coinone_harness.hpp"
#include "support/json_rewrite.hpp"

namespace mde {
namespace {

// Exactly the promised padding behind the frame, so ASan catches a read past it.
Venue sniff(std::string_view text) {
  auto buffer = std::make_unique<char[]>(text.size() + kFramePadding);
  if (!text.empty()) text.copy(buffer.get(), text.size());
  std::fill_n(buffer.get() + text.size(), kFramePadding, '"');
  return recognise_venue(FrameView{buffer.get(), text.size()});
}

// The frame with every object's keys in another order, so the envelope key is not first.
std::string shuffled(const std::string& frame) {
  return test::with_unknown_keys(test::reversed(test::Json::parse(frame))).dump();
}

TEST(VenueSniff, EveryCoinoneGoldenFrameIsCoinone) {
  for (const char* file : {"coinone_protocol_frames.jsonl", "coinone_seed_myorder.jsonl"}) {
    for (const std::string& frame : test::read_jsonl(file)) {
      EXPECT_EQ(sniff(frame), Venue::coinone) << frame;
      EXPECT_EQ(sniff(shuffled(frame)), Venue::coinone) << shuffled(frame);
    }
  }
}

TEST(VenueSniff, EveryBtseGoldenFrameIsBtse) {
  for (const std::string& frame : test::read_jsonl("btse_protocol_frames.jsonl")) {
    EXPECT_EQ(sniff(frame), Venue::btse) << frame;
    if (frame != "pong") {
      EXPECT_EQ(sniff(shuffled(frame)), Venue::btse) << shuffled(frame);
    }
  }
  EXPECT_EQ(sniff("  pong\r\n"), Venue::btse);
}

TEST(VenueSniff, FramesWithoutAnEnvelopeAreUnknown) {
  const char* cases[] = {
      "", "   ", "ping", "pong pong", "PONG", "[]", "{}", "42", "{\"topic\"",
      R"({"op":"subscribe","args":["update:BTC-USD_0"]})",
      R"({"data":{"topic":"update:BTC-USD_0","r":"DATA"}})",   // envelope keys, but nested
      R"({"x":"\"topic\":1","y":["response_type"]})",          // inside strings and arrays
      R"({"topics":1,"rr":2,"response":3})",
  };
  for (const char* c : cases) EXPECT_EQ(sniff(c), Venue::unknown) << c;
}

TEST(VenueSniff, AnEnvelopeKeyAfterOthersIsFoundByTheScan) {
  EXPECT_EQ(sniff(R"({"id":{"a":[1,{"topic":2}]},"s":"}","severity":"ERROR"})"), Venue::btse);
  EXPECT_EQ(sniff(R"( { "x" : "y\"" , "r" : "DATA" })"), Venue::coinone);
}

}  // namespace
}  // namespace mde
