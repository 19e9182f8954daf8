#include "mde/core/decimal.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

namespace mde {
namespace {

// numeric_limits is not specialised for __int128 in strict C++20 mode.
constexpr Decimal::rep kMaxMantissa =
    static_cast<Decimal::rep>(~static_cast<unsigned __int128>(0) >> 1);
constexpr Decimal::rep kMinMantissa = -kMaxMantissa - 1;

Decimal parse_ok(std::string_view text) {
  Decimal d{};
  EXPECT_EQ(Decimal::parse(text, d), DecimalError::ok) << text;
  return d;
}

DecimalError parse_error(std::string_view text) {
  Decimal d = Decimal::from_mantissa(42);
  const DecimalError e = Decimal::parse(text, d);
  if (e != DecimalError::ok) {
    EXPECT_EQ(d.mantissa(), 42) << "failed parse must not write";
  }
  return e;
}

TEST(Decimal, ParsesProtocolValuesExactly) {
  EXPECT_EQ(parse_ok("116460000").mantissa(), 116460000LL * Decimal::kOne);
  EXPECT_EQ(parse_ok("71156.78279601").mantissa(), 7115678279601LL);
  EXPECT_EQ(parse_ok("6000000.0000").mantissa(), 600000000000000LL);
  EXPECT_EQ(parse_ok("0.00483595").mantissa(), 483595LL);
  EXPECT_EQ(parse_ok("688.3").mantissa(), 68830000000LL);
  EXPECT_EQ(parse_ok("0").mantissa(), 0);
  EXPECT_EQ(parse_ok("-1.5").mantissa(), -150000000LL);
}

TEST(Decimal, AcceptsExtraFractionalZerosBeyondScale) {
  EXPECT_EQ(parse_ok("1.0000000000000").mantissa(), Decimal::kOne);
}

TEST(Decimal, RejectsWhatItCannotRepresent) {
  EXPECT_EQ(parse_error(""), DecimalError::empty);
  EXPECT_EQ(parse_error("-"), DecimalError::empty);
  EXPECT_EQ(parse_error("1e5"), DecimalError::syntax);
  EXPECT_EQ(parse_error("1E5"), DecimalError::syntax);
  EXPECT_EQ(parse_error("--1"), DecimalError::syntax);
  EXPECT_EQ(parse_error("+1"), DecimalError::syntax);
  EXPECT_EQ(parse_error("1.2.3"), DecimalError::syntax);
  EXPECT_EQ(parse_error(".5"), DecimalError::syntax);
  EXPECT_EQ(parse_error("5."), DecimalError::syntax);
  EXPECT_EQ(parse_error("abc"), DecimalError::syntax);
  EXPECT_EQ(parse_error("12a"), DecimalError::syntax);
  EXPECT_EQ(parse_error(" 1"), DecimalError::syntax);
  EXPECT_EQ(parse_error("1 "), DecimalError::syntax);
  EXPECT_EQ(parse_error("NaN"), DecimalError::syntax);
  EXPECT_EQ(parse_error("1.000000001"), DecimalError::too_precise);
  EXPECT_EQ(parse_error("0.123456789"), DecimalError::too_precise);
  EXPECT_EQ(parse_error("12345678901234567890123456789012"), DecimalError::out_of_range);
  EXPECT_EQ(parse_error("1701411834604692317316873037158.84105728"), DecimalError::out_of_range);
  EXPECT_EQ(parse_error("-1701411834604692317316873037158.84105729"),
            DecimalError::out_of_range);
  EXPECT_EQ(parse_error("1701411834604692317316873037159"), DecimalError::out_of_range);
  // A digit past the scale is refused as such, whatever the magnitude.
  EXPECT_EQ(parse_error("1701411834604692317316873037158.841057271"), DecimalError::too_precise);
}

// Issue #8: quantities of low-priced coins and KRW balances above 10^11 are real.
TEST(Decimal, HoldsVenueValuesPastTheOldInt64Range) {
  EXPECT_EQ(parse_ok("150000000000.1234").to_string(), "150000000000.1234");
  EXPECT_TRUE(parse_ok("150000000000.1234").mantissa() ==
              Decimal::rep{150'000'000'000'1234} * 10'000);
  EXPECT_EQ(parse_ok("250000000000.5").to_string(), "250000000000.5");
  EXPECT_EQ(parse_ok("92233720368.54775808").to_string(), "92233720368.54775808");
  EXPECT_EQ(parse_ok("100000000000").to_string(), "100000000000");
  // Long texts (the checked path) agree with short ones (the 64-bit fast path).
  EXPECT_EQ(parse_ok("0000000000000000000000000000150000000000.1234"),
            parse_ok("150000000000.1234"));
  EXPECT_EQ(parse_ok("123456789012345678901234.12345678").to_string(),
            "123456789012345678901234.12345678");
}

TEST(Decimal, RangeEdgesAreExact) {
  EXPECT_TRUE(parse_ok("1701411834604692317316873037158.84105727").mantissa() == kMaxMantissa);
  EXPECT_TRUE(parse_ok("-1701411834604692317316873037158.84105728").mantissa() == kMinMantissa);
  // The largest text the 64-bit fast path takes (18 digits) and the first past it.
  EXPECT_EQ(parse_ok("9999999999.99999999").to_string(), "9999999999.99999999");
  EXPECT_EQ(parse_ok("99999999999.99999999").to_string(), "99999999999.99999999");
}

TEST(Decimal, FormatsCanonically) {
  EXPECT_EQ(parse_ok("6000000.0000").to_string(), "6000000");
  EXPECT_EQ(parse_ok("0.00000000").to_string(), "0");
  EXPECT_EQ(parse_ok("-0").to_string(), "0");
  EXPECT_EQ(parse_ok("0.10").to_string(), "0.1");
  EXPECT_EQ(parse_ok("71156.78279601").to_string(), "71156.78279601");
  EXPECT_EQ(parse_ok("-0.00000001").to_string(), "-0.00000001");
  EXPECT_EQ(parse_ok("007.50").to_string(), "7.5");
  EXPECT_EQ(Decimal::from_mantissa(kMinMantissa).to_string(),
            "-1701411834604692317316873037158.84105728");
  EXPECT_EQ(Decimal::from_mantissa(kMaxMantissa).to_string(),
            "1701411834604692317316873037158.84105727");
}

TEST(Decimal, RoundTripsRandomMantissas) {
  std::mt19937_64 rng(20261121);
  for (int i = 0; i < 100000; ++i) {
    // Every width: the top bits of a 128-bit random shifted away by a random amount.
    const auto wide = (static_cast<unsigned __int128>(rng()) << 64) | rng();
    const Decimal d = Decimal::from_mantissa(static_cast<Decimal::rep>(wide >> (rng() % 128)) *
                                             (rng() % 2 == 0 ? 1 : -1));
    Decimal back{};
    ASSERT_EQ(Decimal::parse(d.to_string(), back), DecimalError::ok) << d.to_string();
    ASSERT_EQ(back, d);
  }
}

TEST(Decimal, OrdersByValueNotText) {
  EXPECT_EQ(parse_ok("86626.0"), parse_ok("86626"));
  EXPECT_LT(parse_ok("687.4"), parse_ok("687.5"));
  EXPECT_GT(parse_ok("0.1"), parse_ok("0.09999999"));
}

Notional product(std::string_view a, std::string_view b) {
  Notional n{};
  EXPECT_TRUE(checked_multiply(parse_ok(a), parse_ok(b), n)) << a << " x " << b;
  return n;
}

TEST(Notional, ProductOfDecimalsIsExact) {
  EXPECT_EQ(product("116460000", "0.00483595").to_string(), "563194.737");
  EXPECT_EQ(product("92233720368", "92233720368").to_string(), "8507059172922418055424");
  EXPECT_EQ(product("0.00000001", "0.00000001").to_string(), "0.0000000000000001");
  // A KRW-priced coin traded in a quantity past the old range.
  EXPECT_EQ(product("0.5", "150000000000.1234").to_string(), "75000000000.0617");
  EXPECT_EQ(product("-3", "250000000000.5").to_string(), "-750000000001.5");
}

TEST(Notional, ProductPastTheRangeIsRefusedNotWrapped) {
  const Notional before = Notional::from_mantissa(7);
  Notional n = before;
  // 1.7 x 10^22 is the Notional's limit: 10^11 x 10^11 fits, 10^15 x 10^15 does not.
  EXPECT_TRUE(checked_multiply(parse_ok("100000000000"), parse_ok("100000000000"), n));
  EXPECT_EQ(n.to_string(), "10000000000000000000000");
  n = before;
  EXPECT_FALSE(checked_multiply(parse_ok("1000000000000000"), parse_ok("1000000000000000"), n));
  EXPECT_EQ(n, before);
  EXPECT_FALSE(checked_multiply(Decimal::from_mantissa(kMaxMantissa),
                                Decimal::from_mantissa(kMinMantissa), n));
  EXPECT_FALSE(checked_multiply(Decimal::from_mantissa(kMinMantissa), parse_ok("-0.00000001"), n));
  EXPECT_EQ(n, before);
}

TEST(Notional, WideningPastTheRangeIsRefused) {
  Notional n = Notional::from_mantissa(7);
  EXPECT_TRUE(checked_widen(parse_ok("-250000000000.5"), n));
  EXPECT_EQ(n.to_string(), "-250000000000.5");
  EXPECT_TRUE(checked_widen(parse_ok("17014118346046923173168.73037158"), n));
  EXPECT_FALSE(checked_widen(parse_ok("17014118346046923173168.73037159"), n));
  EXPECT_EQ(n.to_string(), "17014118346046923173168.73037158");
  EXPECT_FALSE(checked_widen(Decimal::from_mantissa(kMinMantissa), n));
}

TEST(Notional, CheckedSumsStopAtTheRange) {
  Notional sum{};
  const Notional max = Notional::from_mantissa(kMaxMantissa);
  EXPECT_TRUE(checked_add(sum, max, sum));
  EXPECT_FALSE(checked_add(sum, Notional::from_mantissa(1), sum));
  EXPECT_EQ(sum, max);
}

TEST(Notional, ParsesLargeVolumes) {
  Notional n{};
  ASSERT_EQ(Notional::parse("55904975548.1528", n), DecimalError::ok);
  EXPECT_EQ(n.to_string(), "55904975548.1528");
  ASSERT_EQ(Notional::parse("1234567890123456789012.5", n), DecimalError::ok);
  EXPECT_EQ(n.to_string(), "1234567890123456789012.5");
}

TEST(Decimal, CheckedAddDetectsOverflow) {
  Decimal out = Decimal{};
  EXPECT_TRUE(checked_add(parse_ok("1.5"), parse_ok("2.25"), out));
  EXPECT_EQ(out.to_string(), "3.75");
  const Decimal max = Decimal::from_mantissa(kMaxMantissa);
  EXPECT_FALSE(checked_add(max, parse_ok("0.00000001"), out));
  EXPECT_EQ(out.to_string(), "3.75");
}

}  // namespace
}  // namespace mde
