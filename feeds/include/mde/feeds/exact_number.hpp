// Exact parse of a JSON number token into a fixed-point decimal, exponent form included.
//
// BTSE sends trade sizes and prices as bare JSON numbers written by a Java service, which prints
// small doubles in exponent form (`5.0E-4`, `1.25E-3`, `1E+2`). The value the venue meant is the
// shortest decimal of that text, so it is parsed from the text itself, never through a double: a
// double round trip can change the digits. A value that the decimal type cannot hold exactly (a
// non-zero digit beyond its scale, a magnitude beyond its range) is an error, never rounded.
//
// Grammar (RFC 8259): -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? ; anything else is `syntax`.
// Thread: any. Never allocates, never throws; constexpr.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mde/core/decimal.hpp"

namespace mde {

template <class Rep, int Scale>
[[nodiscard]] constexpr DecimalError parse_json_number(std::string_view text,
                                                       FixedDecimal<Rep, Scale>& out) noexcept {
  using U = detail::unsigned_rep_t<Rep>;
  constexpr U kMaxPositive = static_cast<U>(~U{0} >> 1);
  // Beyond this many decimal digits the mantissa cannot hold the value, whatever the digits.
  constexpr int kMaxDigits = sizeof(Rep) == 16 ? 39 : 19;
  // Exponents are clamped here: anything larger already decides the outcome (range or precision)
  // and the clamp keeps the arithmetic below far from overflow.
  constexpr std::int64_t kExponentClamp = 100'000;

  const char* p = text.data();
  const char* const end = p + text.size();
  if (p == end) return DecimalError::empty;
  const bool negative = *p == '-';
  if (negative && ++p == end) return DecimalError::empty;
  auto is_digit = [](char c) { return static_cast<unsigned char>(c - '0') < 10; };

  // The significant digits, counted without leading zeros, with trailing zeros held back in
  // `pending_zeros` (they only matter if a non-zero digit follows).
  U digits = 0;
  int digit_count = 0;        // significant digits accumulated in `digits`
  std::int64_t pending_zeros = 0;
  std::int64_t power = 0;     // value = digits * 10^power (before the exponent)
  bool too_many = false;      // more significant digits than any mantissa holds
  auto take = [&](char c, bool fractional) {
    if (fractional) --power;
    if (c == '0') {  // a leading zero (also after the point) only moves the power
      if (digit_count > 0) ++pending_zeros;
      return;
    }
    // A non-zero digit: the held-back zeros become significant.
    for (; pending_zeros > 0; --pending_zeros) {
      if (++digit_count > kMaxDigits) too_many = true;
      else digits = digits * 10;
    }
    if (++digit_count > kMaxDigits) too_many = true;
    else digits = digits * 10 + static_cast<U>(c - '0');
  };

  const char* const int_begin = p;
  for (; p != end && is_digit(*p); ++p) take(*p, false);
  const std::ptrdiff_t int_len = p - int_begin;
  if (int_len == 0) return DecimalError::syntax;
  if (int_len > 1 && *int_begin == '0') return DecimalError::syntax;  // "0688"
  if (p != end && *p == '.') {
    const char* const frac_begin = ++p;
    for (; p != end && is_digit(*p); ++p) take(*p, true);
    if (p == frac_begin) return DecimalError::syntax;  // "5."
  }
  std::int64_t exponent = 0;
  if (p != end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool exp_negative = false;
    if (p != end && (*p == '+' || *p == '-')) exp_negative = *p++ == '-';
    const char* const exp_begin = p;
    for (; p != end && is_digit(*p); ++p) {
      if (exponent < kExponentClamp) exponent = exponent * 10 + (*p - '0');
    }
    if (p == exp_begin) return DecimalError::syntax;  // "1e", "1e+"
    if (exp_negative) exponent = -exponent;
  }
  if (p != end) return DecimalError::syntax;

  if (digit_count == 0) {  // zero in any spelling: 0, 0.000, 0e5, -0.0E-3
    out = FixedDecimal<Rep, Scale>::from_mantissa(0);
    return DecimalError::ok;
  }
  // value = digits * 10^(power + pending_zeros + exponent); the mantissa is value * 10^Scale.
  const std::int64_t shift = power + pending_zeros + exponent + Scale;
  if (shift < 0) return DecimalError::too_precise;  // the last significant digit is non-zero
  if (too_many || digit_count + shift > kMaxDigits) return DecimalError::out_of_range;
  U m = digits;
  for (std::int64_t i = 0; i < shift; ++i) {
    if (__builtin_mul_overflow(m, U{10}, &m)) return DecimalError::out_of_range;
  }
  const U limit = negative ? kMaxPositive + 1 : kMaxPositive;
  if (m > limit) return DecimalError::out_of_range;
  out = FixedDecimal<Rep, Scale>::from_mantissa(negative ? static_cast<Rep>(U{0} - m)
                                                         : static_cast<Rep>(m));
  return DecimalError::ok;
}

namespace detail {
[[nodiscard]] constexpr std::int64_t json_mantissa(std::string_view s) noexcept {
  Decimal d = Decimal::from_mantissa(-1);
  return parse_json_number(s, d) == DecimalError::ok ? d.mantissa() : -1;
}
[[nodiscard]] constexpr DecimalError json_error(std::string_view s) noexcept {
  Decimal d;
  return parse_json_number(s, d);
}
}  // namespace detail
static_assert(detail::json_mantissa("5.0E-4") == 50'000 &&
              detail::json_mantissa("1.25E-3") == 125'000 &&
              detail::json_mantissa("1E+2") == 10'000'000'000 &&
              detail::json_mantissa("2.5e3") == 250'000'000'000 &&
              detail::json_mantissa("5302.8") == 530'280'000'000 &&
              detail::json_mantissa("0.007") == 700'000 &&
              detail::json_mantissa("0") == 0 && detail::json_mantissa("-0.0e-9") == 0 &&
              detail::json_mantissa("1.000000000000E-8") == 1 &&
              detail::json_mantissa("100000000E-16") == 1);
static_assert(detail::json_error("1E-9") == DecimalError::too_precise &&
              detail::json_error("1.5E-8") == DecimalError::too_precise &&
              detail::json_error("1E11") == DecimalError::out_of_range &&
              detail::json_error("1e99999999999999999999") == DecimalError::out_of_range &&
              detail::json_error("1e-99999999999999999999") == DecimalError::too_precise &&
              detail::json_error("0688") == DecimalError::syntax &&
              detail::json_error("1.") == DecimalError::syntax &&
              detail::json_error("1e") == DecimalError::syntax &&
              detail::json_error("+1") == DecimalError::syntax &&
              detail::json_error("") == DecimalError::empty &&
              detail::json_error("-") == DecimalError::empty);

}  // namespace mde
