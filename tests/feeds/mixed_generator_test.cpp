// The two-venue generator behind `mde gen --venue mixed`: one time-ordered stream whose Coinone
// and BTSE parts are exactly what each venue's generator gives alone, on disjoint connections.
#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "btse_generator_support.hpp"
#include "mde/core/frame.hpp"
#include "mde/feeds/coinone/decoder.hpp"
#include "mde/sample/mixed_generator.hpp"

namespace mde::sample {
namespace {

TEST(MixedGenerator, InterleavesBothVenuesInTimeOrderEachAsItsOwnGeneratorAlone) {
  const GenOptions coinone_options{.kind = GenKind::mixed, .seed = 12};
  BtseGenOptions btse_options;
  btse_options.seed = 12;
  btse_options.gap_ppm = 2'000;
  MixedGenerator mixed(coinone_options, btse_options);
  CoinoneGenerator coinone(coinone_options);
  BtseGenerator btse(btse_options);

  InstrumentRegistry registry;
  coinone::Decoder decoder(registry, {.add_unknown_instruments = true});
  PaddedBuffer buffer(1 << 16);
  Event event;
  std::int64_t last_ns = 0;
  int coinone_frames = 0, btse_frames = 0, switches = 0;
  Venue previous = Venue::unknown;
  for (int i = 0; i < 30'000; ++i) {
    const GenFrame f = mixed.next();
    ASSERT_GT(f.receive_ns, last_ns);
    last_ns = f.receive_ns;
    if (f.venue != previous) ++switches;
    previous = f.venue;
    if (f.venue == Venue::coinone) {
      ++coinone_frames;
      EXPECT_TRUE(f.connection == kPublicConnection || f.connection == kPrivateConnection);
      const GenFrame alone = coinone.next();
      ASSERT_EQ(f.text, alone.text);
      ASSERT_TRUE(buffer.assign(f.text));
      const DecodeResult r = decoder.decode(buffer.view(), event);
      ASSERT_TRUE(r.ok()) << to_string(r.status) << ": " << f.text;
    } else {
      ASSERT_EQ(f.venue, Venue::btse);
      ++btse_frames;
      EXPECT_TRUE(f.connection == kBtseBookConnection || f.connection == kBtseTradeConnection);
      const GenFrame alone = btse.next();
      ASSERT_EQ(f.text, alone.text);
      ASSERT_EQ(f.connection, alone.connection);
      const testing::BtseFrame p = testing::parse_btse(f.text);
      ASSERT_NE(p.kind, testing::BtseFrame::Kind::bad) << p.why << ": " << f.text;
    }
  }
  EXPECT_GT(coinone_frames, 10'000);
  EXPECT_GT(btse_frames, 10'000);
  EXPECT_GT(switches, 5'000) << "the venues interleave, not one after the other";
  EXPECT_EQ(mixed.coinone_counts().total() + mixed.btse_counts().total(), 30'000u + 1u)
      << "one frame of look-ahead is generated but not yet handed out";
}

TEST(MixedGenerator, RefusesBtseConnectionsThatCollideWithCoinone) {
  BtseGenOptions btse_options;
  btse_options.trade_connection = kPrivateConnection;
  EXPECT_THROW(MixedGenerator({}, btse_options), std::invalid_argument);
}

}  // namespace
}  // namespace mde::sample
