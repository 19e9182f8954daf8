// Exact numbers, as properties over many generated values: a decimal printed plain or in any
// exponent form a Java or JSON writer produces (`5.0E-4`, `1.25E-3`, `1E+2`, `2.5e3`) parses back
// to exactly the same value, directly and through a BTSE trade frame; a value Decimal cannot hold
// exactly is refused, never rounded.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "mde/core/decimal.hpp"
#include "mde/feeds/exact_number.hpp"
#include "support/btse_harness.hpp"

namespace mde {
namespace {

using test::BtseHarness;

constexpr int kIterations = 20'000;

// The significant digits of |d| as an integer text and the power of ten they are scaled by:
// |d| = digits * 10^power.
struct Digits {
  std::string digits;
  int power;
};

Digits digits_of(Decimal d) {
  std::uint64_t m = d.mantissa() < 0 ? 0 - static_cast<std::uint64_t>(d.mantissa())
                                     : static_cast<std::uint64_t>(d.mantissa());
  int power = -8;
  while (m != 0 && m % 10 == 0) {
    m /= 10;
    ++power;
  }
  return {std::to_string(m), power};
}

// digits * 10^power written with `point_after` digits before the point (1..size), `extra_zeros`
// zeros appended to the fraction, and the exponent spelled as asked.
std::string exponent_form(const Digits& x, bool negative, std::size_t point_after, int extra_zeros,
                          char e, bool plus) {
  std::string s = negative ? "-" : "";
  s += x.digits.substr(0, point_after);
  std::string frac = x.digits.substr(point_after) + std::string(extra_zeros, '0');
  if (!frac.empty()) s += "." + frac;
  const int exponent = x.power + static_cast<int>(x.digits.size() - point_after);
  s += e;
  if (exponent >= 0 && plus) s += '+';
  s += std::to_string(exponent);
  return s;
}

Decimal random_decimal(std::mt19937_64& rng) {
  // Magnitudes spread over every digit count, both signs, many trailing zeros.
  const int digits = static_cast<int>(rng() % 19) + 1;
  std::uint64_t m = rng() % 9 + 1;
  for (int i = 1; i < digits; ++i) m = m * 10 + rng() % 10;
  if (m > static_cast<std::uint64_t>(INT64_MAX)) m /= 10;
  const int zeros = static_cast<int>(rng() % 6);
  for (int i = 0; i < zeros && m <= static_cast<std::uint64_t>(INT64_MAX) / 10; ++i) m *= 10;
  const auto v = static_cast<std::int64_t>(m);
  return Decimal::from_mantissa(rng() % 2 ? -v : v);
}

DecimalError parse(std::string_view s, Decimal& d) { return parse_json_number(s, d); }

TEST(BtseNumbers, PlainAndExponentFormsRoundTripExactly) {
  std::mt19937_64 rng(20261130);
  for (int i = 0; i < kIterations; ++i) {
    const Decimal d = random_decimal(rng);
    const std::string plain = d.to_string();
    Decimal back = Decimal::from_mantissa(12345);
    ASSERT_EQ(parse(plain, back), DecimalError::ok) << plain;
    ASSERT_EQ(back, d) << plain;

    const Digits x = digits_of(d);
    if (d.is_zero()) continue;
    const std::size_t point_after = 1 + rng() % x.digits.size();
    const std::string exp =
        exponent_form(x, d.is_negative(), point_after, static_cast<int>(rng() % 3),
                      rng() % 2 ? 'E' : 'e', rng() % 2 != 0);
    back = Decimal::from_mantissa(12345);
    ASSERT_EQ(parse(exp, back), DecimalError::ok) << exp;
    ASSERT_EQ(back, d) << exp << " vs " << plain;
    // Java's Double.toString shape: one digit before the point, at least one after.
    const std::string java = exponent_form(x, d.is_negative(), 1, x.digits.size() == 1 ? 1 : 0,
                                           'E', false);
    back = Decimal::from_mantissa(12345);
    ASSERT_EQ(parse(java, back), DecimalError::ok) << java;
    ASSERT_EQ(back, d) << java;
  }
}

TEST(BtseNumbers, ValuesBeyondTheScaleAreRefusedNotRounded) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < kIterations; ++i) {
    const Decimal d = random_decimal(rng);
    Digits x = digits_of(d);
    if (d.is_zero()) x = {"", 0};
    // One more non-zero digit, one place beyond the last the scale keeps.
    const int beyond = -9;
    std::string digits = x.digits;
    if (digits.empty()) digits.push_back('0');
    digits += std::string(static_cast<std::size_t>(x.power - beyond - 1), '0');
    digits += static_cast<char>('1' + rng() % 9);
    Digits longer{digits, beyond};
    if (longer.digits.front() == '0') longer.digits.erase(0, longer.digits.find_first_not_of('0'));
    const std::string text = exponent_form(longer, d.is_negative(), 1, 0, 'E', false);
    Decimal out = Decimal::from_mantissa(777);
    EXPECT_EQ(parse(text, out), DecimalError::too_precise) << text;
    EXPECT_EQ(out, Decimal::from_mantissa(777)) << "written on failure: " << text;
  }
}

TEST(BtseNumbers, ValuesBeyondTheRangeAreRefused) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < kIterations; ++i) {
    // d.ddd x 10^e with e >= 11 is at least 1e11 > 92233720368.54775807.
    std::string text = std::to_string(rng() % 9 + 1);
    text.push_back('.');
    text.append(std::to_string(rng() % 1000000));
    text.append(rng() % 2 ? "E" : "e+");
    text.append(std::to_string(11 + rng() % 300));
    Decimal out;
    EXPECT_EQ(parse(text, out), DecimalError::out_of_range) << text;
  }
  Decimal out;
  EXPECT_EQ(parse("92233720368.54775807", out), DecimalError::ok);
  EXPECT_EQ(out.mantissa(), INT64_MAX);
  EXPECT_EQ(parse("9.223372036854775807E10", out), DecimalError::ok);
  EXPECT_EQ(out.mantissa(), INT64_MAX);
  EXPECT_EQ(parse("92233720368.54775808", out), DecimalError::out_of_range);
  EXPECT_EQ(parse("-92233720368.54775808", out), DecimalError::ok);
  EXPECT_EQ(out.mantissa(), INT64_MIN);
  EXPECT_EQ(parse("-9.2233720368547758081E10", out), DecimalError::too_precise);
}

TEST(BtseNumbers, PlainTokensAgreeWithTheDecimalParser) {
  // Differential: on every JSON number without an exponent both parsers say the same.
  std::mt19937_64 rng(3);
  const char alphabet[] = "0123456789.-";
  int compared = 0;
  for (int i = 0; i < 200'000; ++i) {
    std::string s;
    const std::size_t n = 1 + rng() % 24;
    for (std::size_t k = 0; k < n; ++k) s += alphabet[rng() % (sizeof alphabet - 1)];
    Decimal a = Decimal::from_mantissa(1);
    Decimal b = Decimal::from_mantissa(2);
    const DecimalError ea = parse(s, a);
    const bool json = ea != DecimalError::syntax && ea != DecimalError::empty;
    if (!json) continue;
    const DecimalError eb = Decimal::parse(s, b);
    ASSERT_EQ(ea == DecimalError::ok, eb == DecimalError::ok) << s;
    if (ea == DecimalError::ok) {
      ASSERT_EQ(a, b) << s;
    }
    ++compared;
  }
  EXPECT_GT(compared, 1000);
}

TEST(BtseNumbers, TradeSizesAndPricesSurviveTheFrameExactly) {
  BtseHarness h;
  std::mt19937_64 rng(5);
  for (int i = 0; i < 5'000; ++i) {
    Decimal size = random_decimal(rng);
    Decimal price = random_decimal(rng);
    if (size.is_negative()) size = Decimal::from_mantissa(-size.mantissa());
    if (price.mantissa() <= 0) price = Decimal::from_mantissa(price.mantissa() == 0 ? 1 : -price.mantissa());
    const Digits xs = digits_of(size);
    const Digits xp = digits_of(price);
    const std::string size_text =
        size.is_zero() ? "0.0E0" : exponent_form(xs, false, 1, 1, 'E', false);
    const std::string price_text = rng() % 2 ? price.to_string()
                                             : exponent_form(xp, false, xp.digits.size(), 0, 'e', true);
    const std::string frame =
        R"({"topic":"tradeHistoryApi:BTC-USD","data":[{"symbol":"BTC-USD","side":"BUY","size":)" +
        size_text + R"(,"price":)" + price_text +
        R"(,"tradeId":1,"timestamp":1584446020295}]})";
    ASSERT_TRUE(h.decode(frame).ok()) << frame;
    ASSERT_EQ(h.events().size(), 1u);
    EXPECT_EQ(h.event().trade.qty, size) << frame;
    EXPECT_EQ(h.event().trade.price, price) << frame;
  }
}

// A decimal text the way a venue might spell it: 1 to 11 integer digits (leading zeros too), 0 to
// 10 fractional digits (so some are too precise), sometimes trailing zeros.
std::string random_decimal_text(std::mt19937_64& rng) {
  std::string s;
  const int int_digits = 1 + static_cast<int>(rng() % 11);
  for (int i = 0; i < int_digits; ++i) s.push_back(static_cast<char>('0' + rng() % 10));
  const int frac_digits = static_cast<int>(rng() % 11);
  if (frac_digits > 0) {
    s.push_back('.');
    for (int i = 0; i < frac_digits; ++i) s.push_back(static_cast<char>('0' + rng() % 10));
  }
  if (rng() % 4 == 0) s.append(rng() % 3, '0');
  return s;
}

TEST(BtseNumbers, BookLevelsReadTheSameOnTheFastAndTheGeneralPath) {
  // Compact levels take the byte-level fast path; a space inside the pair sends a level down the
  // general On-Demand path. Both must agree with Decimal::parse, in value and in rejection.
  BtseHarness h;
  std::mt19937_64 rng(13);
  int accepted = 0;
  for (int i = 0; i < 20'000; ++i) {
    const std::string price = random_decimal_text(rng);
    const std::string size = random_decimal_text(rng);
    auto frame = [&](std::string_view sep) {
      std::string f = R"({"topic":"update:BTC-USD_0","data":{"bids":[[")";
      f.append(price).append("\"").append(sep).append(",\"").append(size);
      f.append(R"("]],"seqNum":2,"prevSeqNum":1,"type":"delta","timestamp":1565135165600,"symbol":"BTC-USD"}})");
      return f;
    };
    Decimal p = Decimal::from_mantissa(0);
    Decimal q = Decimal::from_mantissa(0);
    const bool valid = Decimal::parse(price, p) == DecimalError::ok &&
                       Decimal::parse(size, q) == DecimalError::ok && p.mantissa() > 0;
    const DecodeResult fast = h.decode(frame(""));
    const std::vector<Event> fast_events = h.events();
    const DecodeResult general = h.decode(frame(" "));
    ASSERT_EQ(fast.ok(), valid) << price << " " << size;
    ASSERT_EQ(general.status, fast.status) << price << " " << size;
    ASSERT_STREQ(general.field, fast.field) << price << " " << size;
    if (!valid) continue;
    ++accepted;
    ASSERT_EQ(fast_events.size(), 1u);
    EXPECT_EQ(fast_events[0].book.bids[0].price, p) << price;
    EXPECT_EQ(fast_events[0].book.bids[0].qty, q) << size;
    EXPECT_EQ(h.event().book.bids[0].price, p) << price;
    EXPECT_EQ(h.event().book.bids[0].qty, q) << size;
  }
  EXPECT_GT(accepted, 5'000);
}

}  // namespace
}  // namespace mde
