// The simulator's Coinone private endpoint without sockets: the auth check against the protocol
// sheet's vector, and the scripted frames decoding in both formats.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "mde/core/frame.hpp"
#include "live/coinone_auth_vector.hpp"
#include "mde/feeds/coinone/auth.hpp"
#include "mde/feeds/coinone/decoder.hpp"
#include "mde/sim/coinone_private.hpp"

namespace mde {
namespace {

using namespace auth_vector;

coinone::Credentials account(const char* access = kAccess, const char* secret = kSecret) {
  return {coinone::Secret(access), coinone::Secret(secret)};
}

TEST(SimCoinonePrivate, TheSheetsSignatureVerifiesWithTheSecretAsIssuedOrUpperCased) {
  EXPECT_TRUE(sim::verify_coinone_auth(kPayload, kSignature, account()));
  EXPECT_TRUE(sim::verify_coinone_auth(kPayload, kSignatureUpperSecret, account()));
}

TEST(SimCoinonePrivate, AWrongSecretTokenOrMissingHeaderFails) {
  EXPECT_FALSE(sim::verify_coinone_auth(kPayload, kSignature,
                                        account(kAccess, "9974e540-0000-4898-bdd6-4e6c7872a86a")));
  EXPECT_FALSE(sim::verify_coinone_auth(kPayload, kSignature,
                                        account("5a3e35e4-0000-4619-a117-7c60740b22a2")));
  EXPECT_FALSE(sim::verify_coinone_auth("", kSignature, account()));
  EXPECT_FALSE(sim::verify_coinone_auth(kPayload, "", account()));
  std::string tampered = kSignature;
  tampered[0] = tampered[0] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(sim::verify_coinone_auth(kPayload, tampered, account()));
}

TEST(SimCoinonePrivate, AFreshClientSignatureVerifies) {
  const coinone::AuthHeaders h = coinone::sign_now(account());
  EXPECT_TRUE(sim::verify_coinone_auth(h.payload, h.signature, account()));
}

// Every scripted frame decodes, in DEFAULT and in SHORT keys, to the same event; the rounds
// produce every documented status.
TEST(SimCoinonePrivate, TheScriptedFramesDecodeInBothFormatsAndCoverEveryStatus) {
  sim::CoinonePrivateFeed feed(5, 100, 100);  // one event per call
  InstrumentRegistry registry;
  coinone::Decoder decoder(registry, {.add_unknown_instruments = true});
  PaddedBuffer buf(1 << 16);
  std::set<std::string> statuses, reasons;
  int orders = 0, assets = 0;
  for (int i = 0; i < 80; ++i) {
    const sim::MarketFrame f = feed.next_frame();
    ASSERT_FALSE(f.text.empty());
    Event a, b;
    ASSERT_TRUE(buf.assign(f.text));
    ASSERT_TRUE(decoder.decode(buf.view(), a).ok()) << f.text;
    const std::string short_text(feed.last_short());
    ASSERT_TRUE(buf.assign(short_text));
    ASSERT_TRUE(decoder.decode(buf.view(), b).ok()) << short_text;
    ASSERT_EQ(a.header.kind, b.header.kind);
    if (a.header.kind == EventKind::order) {
      ++orders;
      statuses.insert(std::string(a.order.venue_status.view()));
      EXPECT_EQ(a.order.order_id.view(), b.order.order_id.view());
      EXPECT_EQ(a.order.present, b.order.present);
      if (a.order.has(kExecutedQty)) {  // absent values are left unset
        EXPECT_TRUE(a.order.executed_qty.mantissa() == b.order.executed_qty.mantissa());
      }
      EXPECT_TRUE(sim::coinone_scripted_outcome(a.order.order_id.view()).has_value());
    } else {
      ASSERT_EQ(a.header.kind, EventKind::asset) << f.text;
      ++assets;
      EXPECT_EQ(a.asset.count, b.asset.count);
      EXPECT_EQ(a.asset.reason, b.asset.reason);
    }
  }
  EXPECT_GT(orders, 0);
  EXPECT_GT(assets, 0);
  EXPECT_EQ(statuses, (std::set<std::string>{"wait", "watch", "trade", "trade_done", "cancel",
                                             "cancel_post_only"}));
}

TEST(SimCoinonePrivate, TheFeedIsPacedAndDeterministicPerSeed) {
  sim::CoinonePrivateFeed a(9, 1000, 10, {}, sim::SimClock::fixed),
      b(9, 1000, 10, {}, sim::SimClock::fixed);
  int yielded = 0;
  for (int i = 0; i < 1000; ++i) {
    const sim::MarketFrame fa = a.next_frame();
    const sim::MarketFrame fb = b.next_frame();
    ASSERT_EQ(fa.text, fb.text);
    if (!fa.text.empty()) ++yielded;
  }
  EXPECT_EQ(yielded, 10);
}

}  // namespace
}  // namespace mde
