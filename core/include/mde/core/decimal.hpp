// Fixed-point decimals for prices, quantities and notionals.
//
// A value is an integer mantissa with a compile-time decimal scale. `Decimal` holds
// mantissa * 10^-8 in an int128: range about +-1.7 x 10^30, exactly
// -1701411834604692317316873037158.84105728 to 1701411834604692317316873037158.84105727 (the
// venues send quantities of low-priced coins and KRW balances above 10^11, past the
// +-92,233,720,368 an int64 held). `Notional` holds mantissa * 10^-16 in an int128 (range
// +-1.7 x 10^22) so that Decimal x Decimal is exact. A product or a widening that does not fit a
// Notional is reported (checked_multiply, checked_widen return false), never wrapped.
//
// Parsing is exact: a text that cannot be represented (exponent, letters, too many significant
// fractional digits, out of range, empty) is an error, never a rounded value. Formatting is
// canonical: no exponent, no trailing fractional zeros, "0" for zero.
//
// Thread: any. Never allocates, never throws. Default construction leaves the mantissa
// uninitialised (like an int) so that event structs stay trivially constructible; use `Decimal{}`
// for zero.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace mde {

// Why a decimal text was refused.
enum class DecimalError : std::uint8_t {
  ok,
  empty,         // "" or a lone sign
  syntax,        // letters, exponent, second sign, second point, missing digits around '.'
  too_precise,   // a non-zero digit beyond the type's scale
  out_of_range,  // magnitude does not fit the mantissa
};

[[nodiscard]] constexpr std::string_view to_string(DecimalError e) noexcept {
  switch (e) {
    case DecimalError::ok: return "ok";
    case DecimalError::empty: return "empty";
    case DecimalError::syntax: return "syntax";
    case DecimalError::too_precise: return "too_precise";
    case DecimalError::out_of_range: return "out_of_range";
  }
  return "?";
}

namespace detail {
template <class Rep>
struct unsigned_rep {
  using type = std::make_unsigned_t<Rep>;
};
template <>
struct unsigned_rep<__int128> {
  using type = unsigned __int128;
};
template <class Rep>
using unsigned_rep_t = typename unsigned_rep<Rep>::type;

template <class U>
constexpr U pow10(int n) noexcept {
  U v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}
// 10^0 .. 10^N, for scaling a parsed mantissa without a loop.
template <class U, int N>
inline constexpr std::array<U, N + 1> kPow10Table = [] {
  std::array<U, N + 1> t{};
  U v = 1;
  for (int i = 0; i <= N; ++i, v *= 10) t[i] = v;
  return t;
}();
}  // namespace detail

template <class Rep, int Scale>
class FixedDecimal {
  static_assert(Rep(-1) < Rep(0), "mantissa must be signed");
  static_assert(Scale >= 0 && Scale <= 18, "scale out of range");

 public:
  using rep = Rep;
  static constexpr int kScale = Scale;
  static constexpr Rep kOne = static_cast<Rep>(detail::pow10<detail::unsigned_rep_t<Rep>>(Scale));
  // Longest canonical text: sign, all digits of the largest mantissa, a point.
  static constexpr std::size_t kMaxChars = (sizeof(Rep) == 16 ? 39 : 19) + 2;

  FixedDecimal() = default;  // uninitialised, like an int; `FixedDecimal{}` is zero
  [[nodiscard]] static constexpr FixedDecimal from_mantissa(Rep m) noexcept {
    FixedDecimal d;
    d.mantissa_ = m;
    return d;
  }
  [[nodiscard]] static constexpr FixedDecimal from_integer(std::int64_t v) noexcept {
    return from_mantissa(static_cast<Rep>(v) * kOne);
  }

  [[nodiscard]] constexpr Rep mantissa() const noexcept { return mantissa_; }
  [[nodiscard]] constexpr bool is_zero() const noexcept { return mantissa_ == 0; }
  [[nodiscard]] constexpr bool is_negative() const noexcept { return mantissa_ < 0; }

  friend constexpr bool operator==(FixedDecimal a, FixedDecimal b) noexcept {
    return a.mantissa_ == b.mantissa_;
  }
  friend constexpr std::strong_ordering operator<=>(FixedDecimal a, FixedDecimal b) noexcept {
    return a.mantissa_ <=> b.mantissa_;
  }

  // Exact parse of a plain decimal: optional '-', digits, optionally '.' and digits.
  // Fractional digits beyond kScale are accepted only when they are zeros ("6000000.0000").
  [[nodiscard]] static constexpr DecimalError parse(std::string_view text, FixedDecimal& out) noexcept;

  // Writes the canonical text (at most kMaxChars bytes) and returns the end pointer.
  constexpr char* format_to(char* out) const noexcept;
  // Convenience for tools and tests; allocates.
  [[nodiscard]] std::string to_string() const {
    char buf[kMaxChars];
    return std::string(buf, format_to(buf));
  }

 private:
  // The overflow-checked digit loop, for texts with more significant digits than the fast
  // path can accumulate without checks (long or zero-padded values).
  [[nodiscard]] static constexpr DecimalError parse_checked(std::string_view text,
                                                            FixedDecimal& out) noexcept;

  Rep mantissa_;
};

using Decimal = FixedDecimal<__int128, 8>;
using Notional = FixedDecimal<__int128, 16>;

// Exact product of two Decimals (price x qty) into `out`. False, with `out` untouched, when the
// product does not fit a Notional (|a x b| >= 1.7 x 10^22: absurd for a trade, possible for
// hostile input); never wraps.
[[nodiscard]] constexpr bool checked_multiply(Decimal a, Decimal b, Notional& out) noexcept {
  __int128 r;
  if (__builtin_mul_overflow(a.mantissa(), b.mantissa(), &r)) return false;
  out = Notional::from_mantissa(r);
  return true;
}

// Exact widening conversion into `out`; false, with `out` untouched, when |a| >= 1.7 x 10^22
// (a Decimal's range is wider than a Notional's).
[[nodiscard]] constexpr bool checked_widen(Decimal a, Notional& out) noexcept {
  __int128 r;
  if (__builtin_mul_overflow(a.mantissa(), __int128{100'000'000}, &r)) return false;
  out = Notional::from_mantissa(r);
  return true;
}

// Overflow-checked arithmetic: returns false and leaves `out` untouched on overflow.
template <class Rep, int S>
[[nodiscard]] constexpr bool checked_add(FixedDecimal<Rep, S> a, FixedDecimal<Rep, S> b,
                                         FixedDecimal<Rep, S>& out) noexcept {
  Rep r;
  if (__builtin_add_overflow(a.mantissa(), b.mantissa(), &r)) return false;
  out = FixedDecimal<Rep, S>::from_mantissa(r);
  return true;
}
template <class Rep, int S>
[[nodiscard]] constexpr bool checked_sub(FixedDecimal<Rep, S> a, FixedDecimal<Rep, S> b,
                                         FixedDecimal<Rep, S>& out) noexcept {
  Rep r;
  if (__builtin_sub_overflow(a.mantissa(), b.mantissa(), &r)) return false;
  out = FixedDecimal<Rep, S>::from_mantissa(r);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Implementation

template <class Rep, int Scale>
constexpr DecimalError FixedDecimal<Rep, Scale>::parse(std::string_view text,
                                                       FixedDecimal& out) noexcept {
  // Fast path: accumulate in 64-bit arithmetic, without per-digit overflow checks, while the digit
  // count proves no overflow is possible (18 digits fit an int64); only the final scaling widens
  // to the mantissa (one 64x64->128 multiply for an int128 rep). Longer texts take the checked
  // path in the full width. Books parse dozens of these per frame, so the per-digit check (and
  // 128-bit digit arithmetic) would be the decoder's hot spot.
  using U = detail::unsigned_rep_t<Rep>;
  constexpr int kSafeDigits = 18;
  constexpr U kMaxPositive = static_cast<U>(~U{0} >> 1);
  const char* p = text.data();
  const char* const end = p + text.size();
  if (p == end) return DecimalError::empty;
  const bool negative = *p == '-';
  if (negative && ++p == end) return DecimalError::empty;

  std::uint64_t m = 0;  // wraps harmlessly past 19 digits: such texts take parse_checked
  int digits = 0;
  const char* const int_begin = p;
  for (; p != end && static_cast<unsigned char>(*p - '0') < 10; ++p, ++digits) {
    m = m * 10 + static_cast<std::uint64_t>(*p - '0');
  }
  if (p == int_begin) return DecimalError::syntax;  // "", ".5", "-.5", "e5", "--1"
  int frac_digits = 0;
  if (p != end && *p == '.') {
    const char* const frac_begin = ++p;
    for (; p != end && static_cast<unsigned char>(*p - '0') < 10; ++p) {
      if (frac_digits < Scale) {
        m = m * 10 + static_cast<std::uint64_t>(*p - '0');
        ++frac_digits;
        ++digits;
      } else if (*p != '0') {
        // Keep scanning so that syntax errors after this point still win.
        for (++p; p != end && static_cast<unsigned char>(*p - '0') < 10; ++p) {
        }
        return p == end ? DecimalError::too_precise : DecimalError::syntax;
      }
    }
    if (p == frac_begin) return DecimalError::syntax;  // "5."
  }
  if (p != end) return DecimalError::syntax;  // exponent, letters, second point, sign
  if (digits > kSafeDigits) return parse_checked(text, out);

  const U limit = negative ? kMaxPositive + 1 : kMaxPositive;
  U scaled;
  if constexpr (sizeof(U) == 16) {
    // < 10^18 times at most 10^18 (Scale <= 18) is below 2^127: no overflow, no check.
    scaled = static_cast<U>(m) * detail::kPow10Table<std::uint64_t, Scale>[Scale - frac_digits];
    if (scaled > limit) return DecimalError::out_of_range;
  } else {
    if (__builtin_mul_overflow(m, detail::kPow10Table<U, Scale>[Scale - frac_digits], &scaled) ||
        scaled > limit) {
      return DecimalError::out_of_range;
    }
  }
  out.mantissa_ = negative ? static_cast<Rep>(U{0} - scaled) : static_cast<Rep>(scaled);
  return DecimalError::ok;
}

template <class Rep, int Scale>
constexpr DecimalError FixedDecimal<Rep, Scale>::parse_checked(std::string_view text,
                                                               FixedDecimal& out) noexcept {
  using U = detail::unsigned_rep_t<Rep>;
  // Largest magnitude allowed: |min| for negatives, max for positives.
  constexpr U kMaxPositive = static_cast<U>(~U{0} >> 1);
  const char* p = text.data();
  const char* const end = p + text.size();
  if (p == end) return DecimalError::empty;
  const bool negative = *p == '-';
  if (negative && ++p == end) return DecimalError::empty;
  const U limit = negative ? kMaxPositive + 1 : kMaxPositive;

  U m = 0;
  bool overflow = false;
  const char* const int_begin = p;
  for (; p != end && static_cast<unsigned char>(*p - '0') < 10; ++p) {
    const U digit = static_cast<U>(*p - '0');
    // m = m * 10 + digit, watching for overflow past `limit / kOne` scaled later.
    if (m > (limit - digit) / 10) overflow = true;
    else m = m * 10 + digit;
  }
  if (p == int_begin) return DecimalError::syntax;  // "", ".5", "-.5", "e5", "--1"

  int frac_digits = 0;
  if (p != end && *p == '.') {
    const char* const frac_begin = ++p;
    for (; p != end && static_cast<unsigned char>(*p - '0') < 10; ++p) {
      const U digit = static_cast<U>(*p - '0');
      if (frac_digits < Scale) {
        if (m > (limit - digit) / 10) overflow = true;
        else m = m * 10 + digit;
        ++frac_digits;
      } else if (digit != 0) {
        // Keep scanning so that syntax errors after this point still win.
        for (++p; p != end && static_cast<unsigned char>(*p - '0') < 10; ++p) {
        }
        return p == end ? DecimalError::too_precise : DecimalError::syntax;
      }
    }
    if (p == frac_begin) return DecimalError::syntax;  // "5."
  }
  if (p != end) return DecimalError::syntax;  // exponent, letters, second point, sign
  if (overflow) return DecimalError::out_of_range;
  for (; frac_digits < Scale; ++frac_digits) {
    if (m > limit / 10) return DecimalError::out_of_range;
    m *= 10;
  }
  if (m > limit) return DecimalError::out_of_range;
  out.mantissa_ = negative ? static_cast<Rep>(U{0} - m) : static_cast<Rep>(m);
  return DecimalError::ok;
}

template <class Rep, int Scale>
constexpr char* FixedDecimal<Rep, Scale>::format_to(char* out) const noexcept {
  using U = detail::unsigned_rep_t<Rep>;
  U m = static_cast<U>(mantissa_);
  if (mantissa_ < 0) {
    *out++ = '-';
    m = U{0} - m;
  }
  constexpr U kOneU = static_cast<U>(kOne);
  U int_part = m / kOneU;
  U frac_part = m % kOneU;

  char digits[kMaxChars];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + static_cast<int>(int_part % 10));
    int_part /= 10;
  } while (int_part != 0);
  while (n > 0) *out++ = digits[--n];

  if (frac_part != 0) {
    int width = Scale;
    while (frac_part % 10 == 0) {
      frac_part /= 10;
      --width;
    }
    *out++ = '.';
    for (int i = width - 1; i >= 0; --i) {
      out[i] = static_cast<char>('0' + static_cast<int>(frac_part % 10));
      frac_part /= 10;
    }
    out += width;
  }
  return out;
}

static_assert(sizeof(Decimal) == 16 && alignof(Decimal) == 16 &&
              std::is_trivially_copyable_v<Decimal> &&
              std::is_trivially_default_constructible_v<Decimal>);
static_assert(sizeof(Notional) == 16 && std::is_trivially_copyable_v<Notional>);

}  // namespace mde
