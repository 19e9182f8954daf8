// Number handling at the decoder level, as properties over many generated values: a decimal,
// integer id or timestamp survives the trip text -> frame -> event exactly, whether the wire sends
// it as a JSON string or a bare number, and a value the event cannot hold exactly is refused.
// (Decimal's own parse/format properties live in tests/core/decimal_test.cpp.)
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <string_view>

#include "mde/core/decimal.hpp"
#include "mde/core/events.hpp"
#include "support/coinone_harness.hpp"

namespace mde {
namespace {

using test::CoinoneHarness;

constexpr int kIterations = 20'000;
// numeric_limits is not specialised for __int128 in strict C++20 mode.
constexpr Decimal::rep kMaxMantissa =
    static_cast<Decimal::rep>(~static_cast<unsigned __int128>(0) >> 1);

// A MYORDER fill whose executed_fee (a field that may be negative) and executed_price carry the
// values under test.
std::string order_with(std::string_view fee, std::string_view price) {
  std::string s =
      R"({"response_type":"DATA","channel":"MYORDER","data":{"quote_currency":"KRW","target_currency":"ETH","order_id":"o","status":"trade","side":"BID","timestamp":1761024907,"executed_fee":)";
  s += fee;
  s += R"(,"executed_price":)";
  s += price;
  s += "}}";
  return s;
}

std::string trade_with(std::string_view price, std::string_view qty, std::string_view timestamp) {
  std::string s =
      R"({"r":"DATA","c":"TRADE","d":{"qc":"KRW","tc":"XRP","i":"1","sm":true,"t":)";
  s += timestamp;
  s += R"(,"p":)";
  s += price;
  s += R"(,"q":)";
  s += qty;
  s += "}}";
  return s;
}

std::string in_quotes(std::string_view s) {
  std::string q = "\"";
  q += s;
  q += '"';
  return q;
}

template <class D>
std::string text(D d) {
  char buf[D::kMaxChars];
  return std::string(buf, d.format_to(buf));
}

// Mantissas spread over every magnitude of the int128 mantissa, not just large ones.
Decimal::rep random_mantissa(std::mt19937_64& rng, bool allow_negative) {
  const int bits = static_cast<int>(rng() % 127) + 1;
  const auto wide = (static_cast<unsigned __int128>(rng()) << 64) | rng();
  auto m = static_cast<Decimal::rep>(wide >> (128 - bits));
  if (allow_negative && (rng() & 1)) m = -m;
  return m;
}

TEST(CoinoneNumbers, AnyDecimalRoundTripsAsStringOrBareNumber) {
  CoinoneHarness h;
  std::mt19937_64 rng(20261121);
  for (int i = 0; i < kIterations; ++i) {
    const Decimal fee = Decimal::from_mantissa(random_mantissa(rng, true));
    const Decimal price = Decimal::from_mantissa(random_mantissa(rng, false));
    const std::string fee_text = text(fee);
    const std::string price_text = text(price);
    for (const bool as_string : {true, false}) {
      const std::string frame = as_string ? order_with(in_quotes(fee_text), in_quotes(price_text))
                                          : order_with(fee_text, price_text);
      const DecodeResult r = h.decode(frame);
      ASSERT_TRUE(r.ok()) << to_string(r.status) << " " << r.field << "\n" << frame;
      ASSERT_EQ(h.event().order.executed_fee, fee) << frame;
      ASSERT_EQ(h.event().order.executed_price, price) << frame;
    }
  }
}

TEST(CoinoneNumbers, TrailingFractionalZerosBeyondTheScaleChangeNothing) {
  CoinoneHarness h;
  std::mt19937_64 rng(7);
  for (int i = 0; i < kIterations / 4; ++i) {
    const Decimal d = Decimal::from_mantissa(random_mantissa(rng, false));
    std::string t = text(d);
    if (t.find('.') == std::string::npos) t += '.';
    t.append(1 + rng() % 12, '0');
    ASSERT_TRUE(h.decode(trade_with(in_quotes(t), "1", "1693560450996")).ok()) << t;
    ASSERT_EQ(h.event().trade.price, d) << t;
    ASSERT_TRUE(h.decode(trade_with(t, "1", "1693560450996")).ok()) << t;
    ASSERT_EQ(h.event().trade.price, d) << t;
  }
}

TEST(CoinoneNumbers, ANonZeroDigitBeyondTheScaleIsRefusedNotRounded) {
  CoinoneHarness h;
  std::mt19937_64 rng(11);
  for (int i = 0; i < kIterations / 4; ++i) {
    const Decimal d = Decimal::from_mantissa(random_mantissa(rng, false) / 10);
    std::string t = text(d);
    // Pad to exactly 8 fractional digits, then add a ninth that is not zero.
    if (t.find('.') == std::string::npos) t += '.';
    while (t.size() - t.find('.') - 1 < 8) t += '0';
    t += static_cast<char>('1' + rng() % 9);
    for (const std::string& v : {in_quotes(t), t}) {
      const DecodeResult r = h.decode(trade_with(v, "1", "1693560450996"));
      ASSERT_EQ(r.status, DecodeStatus::bad_number) << v;
      ASSERT_STREQ(r.field, "data.price");
      ASSERT_EQ(h.event().header.kind, EventKind::none);
    }
  }
}

TEST(CoinoneNumbers, DecimalRangeEdgesAreExact) {
  CoinoneHarness h;
  const struct {
    std::string_view fee;
    bool ok;
    Decimal::rep mantissa;
  } cases[] = {
      {"1701411834604692317316873037158.84105727", true, kMaxMantissa},
      {"-1701411834604692317316873037158.84105728", true, -kMaxMantissa - 1},
      {"1701411834604692317316873037158.84105728", false, 0},
      {"-1701411834604692317316873037158.84105729", false, 0},
      {"1701411834604692317316873037159", false, 0},
      {"10000000000000000000000000000000", false, 0},
      // The old int64 edges are ordinary values now.
      {"92233720368.54775808", true, Decimal::rep{9'223'372'036'854'775'807} + 1},
      {"-92233720369", true, Decimal::rep{-92'233'720'369} * 100'000'000},
      {"0.00000001", true, 1},
      {"-0.00000001", true, -1},
      {"-0", true, 0},
      {"0.000000000", true, 0},
      {"000000000000000000000000001", true, 1'00000000},  // leading zeros are not magnitude
  };
  for (const auto& c : cases) {
    for (const bool as_string : {true, false}) {
      // A bare number may not have leading zeros (JSON), so that row is string-only.
      if (!as_string && c.fee.substr(0, 2) == "00") continue;
      const std::string v = as_string ? in_quotes(c.fee) : std::string(c.fee);
      const DecodeResult r = h.decode(order_with(v, R"("1")"));
      if (c.ok) {
        ASSERT_TRUE(r.ok()) << v << ": " << to_string(r.status);
        EXPECT_TRUE(h.event().order.executed_fee.mantissa() == c.mantissa) << v;
      } else {
        EXPECT_EQ(r.status, DecodeStatus::bad_number) << v;
        EXPECT_STREQ(r.field, "data.executed_fee") << v;
      }
    }
  }
}

// Issue #8: a low-priced coin's quantity and a KRW balance above 10^11 are real values.
TEST(CoinoneNumbers, QuantitiesAndBalancesPastTheOldInt64RangeDecodeExactly) {
  CoinoneHarness h;
  const std::string trade =
      R"({"response_type":"DATA","channel":"TRADE","data":{"quote_currency":"KRW","target_currency":"XRP","id":"1","timestamp":1693560450996,"price":"0.0001","qty":"150000000000.1234","is_seller_maker":true}})";
  ASSERT_TRUE(h.decode(trade).ok());
  EXPECT_EQ(h.event().trade.qty.to_string(), "150000000000.1234");
  EXPECT_TRUE(h.event().trade.qty.mantissa() == Decimal::rep{1'500'000'000'001'234} * 10'000);

  const std::string asset =
      R"({"response_type":"DATA","channel":"MYASSET","data":{"assets":[{"currency":"KRW","available":"250000000000.5","limit":"0"}],"type":"trade","timestamp":1760937483}})";
  const DecodeResult r = h.decode(asset);
  ASSERT_TRUE(r.ok()) << to_string(r.status) << " " << r.field;
  ASSERT_EQ(h.event().asset.count, 1);
  EXPECT_EQ(h.event().asset.assets[0].available.to_string(), "250000000000.5");
  EXPECT_TRUE(h.event().asset.assets[0].available.mantissa() ==
              Decimal::rep{25'000'000'000'050} * 1'000'000);

  // The same quantity as a bare JSON number.
  ASSERT_TRUE(h.decode(trade_with("0.0001", "150000000000.1234", "1693560450996")).ok());
  EXPECT_EQ(h.event().trade.qty.to_string(), "150000000000.1234");
}

TEST(CoinoneNumbers, TickerVolumesBeyondDecimalRangeAreExactNotionals) {
  CoinoneHarness h;
  std::mt19937_64 rng(3);
  for (int i = 0; i < kIterations / 4; ++i) {
    // Up to ~1.7e22 in magnitude (int128 mantissa at scale 16), so far beyond Decimal.
    const unsigned __int128 hi = rng() >> 1;
    const __int128 m = static_cast<__int128>((hi << 63) | (rng() >> 1)) >> (rng() % 100);
    const Notional v = Notional::from_mantissa(m);
    std::string frame =
        R"({"response_type":"DATA","channel":"TICKER","data":{"quote_currency":"KRW","target_currency":"XRP","timestamp":1693560360010,"last":"1","quote_volume":)";
    frame += in_quotes(text(v));
    frame += R"(,"target_volume":)";
    frame += text(v);
    frame += "}}";
    ASSERT_TRUE(h.decode(frame).ok()) << frame;
    ASSERT_EQ(h.event().ticker.quote_volume, v) << frame;
    ASSERT_EQ(h.event().ticker.target_volume, v) << frame;
  }
}

TEST(CoinoneNumbers, AnyUnsignedIdRoundTripsAsStringOrBareNumber) {
  CoinoneHarness h;
  std::mt19937_64 rng(5);
  auto book = [](std::string_view id) {
    std::string s =
        R"({"r":"DATA","c":"ORDERBOOK","d":{"qc":"KRW","tc":"XRP","t":1693560323040,"a":[],"b":[],"i":)";
    s += id;
    s += "}}";
    return s;
  };
  for (int i = 0; i < kIterations; ++i) {
    const std::uint64_t id = rng() >> (rng() % 64);
    const std::string t = std::to_string(id);
    for (const std::string& v : {in_quotes(t), t}) {
      ASSERT_TRUE(h.decode(book(v)).ok()) << v;
      ASSERT_EQ(h.event().book.id, id) << v;
    }
  }
  EXPECT_TRUE(h.decode(book("18446744073709551615")).ok());
  EXPECT_EQ(h.event().book.id, std::numeric_limits<std::uint64_t>::max());
  for (std::string_view bad : {"18446744073709551616", R"("18446744073709551616")",
                               R"("99999999999999999999")", "1.5", R"("1.0")", "-1", R"("")"}) {
    EXPECT_EQ(h.decode(book(bad)).status, DecodeStatus::bad_number) << bad;
  }
}

TEST(CoinoneNumbers, EpochTimestampsNormaliseExactlyInEveryUnit) {
  CoinoneHarness h;
  std::mt19937_64 rng(9);
  const struct {
    std::int64_t lo, hi, to_ns;
  } units[] = {
      {1, 9'223'372'036, 1'000'000'000},                          // seconds
      {1'000'000'000'000, 9'223'372'036'854, 1'000'000},           // milliseconds
      {1'000'000'000'000'000, 9'223'372'036'854'775, 1'000},      // microseconds
      {1'000'000'000'000'000'000, std::numeric_limits<std::int64_t>::max(), 1},  // ns
  };
  for (const auto& u : units) {
    for (int i = 0; i < kIterations / 8; ++i) {
      const std::int64_t raw =
          u.lo + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(u.hi - u.lo + 1));
      const std::string t = std::to_string(raw);
      ASSERT_TRUE(h.decode(trade_with(R"("1")", R"("1")", t)).ok()) << t;
      ASSERT_EQ(h.event().header.exchange_ns, raw * u.to_ns) << t;
    }
    // Just past the unit's int64 limit (for the first three units) the value is refused.
    if (u.to_ns != 1) {
      const std::string t = std::to_string(u.hi + 1);
      const DecodeResult r = h.decode(trade_with(R"("1")", R"("1")", t));
      EXPECT_EQ(r.status, DecodeStatus::bad_number) << t;
      EXPECT_STREQ(r.field, "data.timestamp");
    }
  }
}

}  // namespace
}  // namespace mde
