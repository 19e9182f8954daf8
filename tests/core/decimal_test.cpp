#include "mde/core/decimal.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

namespace mde {
namespace {

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
  EXPECT_EQ(parse_error("123456789012345678901234567890"), DecimalError::out_of_range);
  EXPECT_EQ(parse_error("92233720368.54775808"), DecimalError::out_of_range);
  EXPECT_EQ(parse_error("100000000000"), DecimalError::out_of_range);
}

TEST(Decimal, RangeEdgesAreExact) {
  EXPECT_EQ(parse_ok("92233720368.54775807").mantissa(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(parse_ok("-92233720368.54775808").mantissa(), std::numeric_limits<std::int64_t>::min());
}

TEST(Decimal, FormatsCanonically) {
  EXPECT_EQ(parse_ok("6000000.0000").to_string(), "6000000");
  EXPECT_EQ(parse_ok("0.00000000").to_string(), "0");
  EXPECT_EQ(parse_ok("-0").to_string(), "0");
  EXPECT_EQ(parse_ok("0.10").to_string(), "0.1");
  EXPECT_EQ(parse_ok("71156.78279601").to_string(), "71156.78279601");
  EXPECT_EQ(parse_ok("-0.00000001").to_string(), "-0.00000001");
  EXPECT_EQ(parse_ok("007.50").to_string(), "7.5");
  EXPECT_EQ(Decimal::from_mantissa(std::numeric_limits<std::int64_t>::min()).to_string(),
            "-92233720368.54775808");
}

TEST(Decimal, RoundTripsRandomMantissas) {
  std::mt19937_64 rng(20261121);
  for (int i = 0; i < 100000; ++i) {
    const Decimal d = Decimal::from_mantissa(static_cast<std::int64_t>(rng()));
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

TEST(Notional, ProductOfDecimalsIsExact) {
  const Notional n = multiply(parse_ok("116460000"), parse_ok("0.00483595"));
  EXPECT_EQ(n.to_string(), "563194.737");
  const Notional big = multiply(parse_ok("92233720368"), parse_ok("92233720368"));
  EXPECT_EQ(big.to_string(), "8507059172922418055424");
  EXPECT_EQ(multiply(parse_ok("0.00000001"), parse_ok("0.00000001")).to_string(),
            "0.0000000000000001");
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
  const Decimal max = Decimal::from_mantissa(std::numeric_limits<std::int64_t>::max());
  EXPECT_FALSE(checked_add(max, parse_ok("0.00000001"), out));
  EXPECT_EQ(out.to_string(), "3.75");
}

}  // namespace
}  // namespace mde
