// Field readers over simdjson On-Demand values, shared by the venue decoders.
//
// Each reader consumes one value and returns a DecodeStatus; none allocates or throws. Strings that
// must be exact machine tokens (decimals, enums) are read raw from the input buffer, without
// unescaping: an escape inside them is simply invalid. Identifiers go through get_string(), which
// unescapes into the parser's own buffer.
#pragma once

#include <simdjson.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

#include "mde/core/decimal.hpp"
#include "mde/core/events.hpp"
#include "mde/core/fixed_string.hpp"
#include "mde/core/timestamp.hpp"
#include "mde/feeds/decode_status.hpp"

namespace mde::json {

namespace od = simdjson::ondemand;

// Nesting allowed inside a skipped (unknown) value: real frames never nest more than 4 deep.
inline constexpr int kMaxSkipDepth = 16;

[[nodiscard]] inline DecodeStatus map_error(simdjson::error_code e) noexcept {
  switch (e) {
    case simdjson::SUCCESS: return DecodeStatus::ok;
    case simdjson::EMPTY: return DecodeStatus::empty_input;
    case simdjson::CAPACITY: return DecodeStatus::frame_too_large;
    case simdjson::UTF8_ERROR: return DecodeStatus::invalid_utf8;
    case simdjson::DEPTH_ERROR: return DecodeStatus::nesting_too_deep;
    case simdjson::INCORRECT_TYPE: return DecodeStatus::wrong_type;
    case simdjson::NUMBER_ERROR:
    case simdjson::NUMBER_OUT_OF_RANGE: return DecodeStatus::bad_number;
    case simdjson::TRAILING_CONTENT: return DecodeStatus::trailing_content;
    default: return DecodeStatus::malformed_json;
  }
}

// The bytes between a raw string's opening quote and its closing quote. `raw` points just past
// the opening quote; stage 1 guarantees a closing quote exists. Sets `escaped` if a backslash
// appears (the view is then the escaped text).
[[nodiscard]] inline std::string_view raw_string_view(const char* raw, bool& escaped) noexcept {
  const char* q = raw;
  escaped = false;
#if defined(__SSE2__)
  // 16 bytes at a time: keys and ids are 2 to 40 bytes and this runs for every key of every
  // frame. Reading past the closing quote stays inside the frame's padding.
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (;; q += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
    const unsigned quotes = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, quote)));
    const unsigned escapes =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, backslash)));
    const unsigned before_quote = quotes == 0 ? 0xFFFFu : (quotes & (0u - quotes)) - 1;
    if ((escapes & before_quote) != 0) {
      q += __builtin_ctz(escapes);  // an escape: finish byte by byte from it
      break;
    }
    if (quotes != 0) return {raw, static_cast<std::size_t>(q + __builtin_ctz(quotes) - raw)};
  }
#endif
  while (*q != '"') {
    if (*q == '\\') {
      escaped = true;
      q += 2;
    } else {
      ++q;
    }
  }
  return {raw, static_cast<std::size_t>(q - raw)};
}

[[nodiscard]] inline std::string_view key_view(od::field& f) noexcept {
  bool escaped;
  return raw_string_view(f.key().raw(), escaped);
}

// JSON's number grammar, -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, checked on a raw token.
// simdjson's type() calls anything starting with '-' or a digit a number; the token itself is
// only validated when a getter parses it, and the decoder reads most numbers raw.
[[nodiscard]] constexpr bool is_json_number(std::string_view s) noexcept {
  std::size_t i = 0;
  const std::size_t n = s.size();
  auto digits = [&] {
    const std::size_t start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < n && s[i] == '-') ++i;
  if (i < n && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == n;
}
static_assert(is_json_number("0") && is_json_number("-0.5") && is_json_number("688.3") &&
              is_json_number("1e5") && is_json_number("1.5E-3") && !is_json_number("") &&
              !is_json_number("-") && !is_json_number("--1") && !is_json_number("1.2.3") &&
              !is_json_number("0688") && !is_json_number("1.") && !is_json_number(".5") &&
              !is_json_number("1e") && !is_json_number("+1") && !is_json_number("1x"));

// A raw scalar token without the whitespace that may follow it up to the next structural.
[[nodiscard, gnu::always_inline]] inline std::string_view trimmed_token(od::value& v) noexcept {
  std::string_view t = v.raw_json_token();
  while (!t.empty() && (t.back() == ' ' || t.back() == '\n' || t.back() == '\r' || t.back() == '\t')) {
    t.remove_suffix(1);
  }
  return t;
}

// Skips a value the decoder does not want, refusing absurd nesting instead of trusting it.
[[nodiscard]] inline DecodeStatus skip_bounded(od::value v, int depth = 0) noexcept {
  od::json_type t;
  if (auto e = v.type().get(t)) return map_error(e);
  if (t == od::json_type::object) {
    if (depth >= kMaxSkipDepth) return DecodeStatus::nesting_too_deep;
    od::object o;
    if (auto e = v.get_object().get(o)) return map_error(e);
    for (auto fr : o) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return map_error(e);
      if (auto s = skip_bounded(f.value(), depth + 1); s != DecodeStatus::ok) return s;
    }
    return DecodeStatus::ok;
  }
  if (t == od::json_type::array) {
    if (depth >= kMaxSkipDepth) return DecodeStatus::nesting_too_deep;
    od::array a;
    if (auto e = v.get_array().get(a)) return map_error(e);
    for (auto er : a) {
      od::value ev;
      if (auto e = std::move(er).get(ev)) return map_error(e);
      if (auto s = skip_bounded(ev, depth + 1); s != DecodeStatus::ok) return s;
    }
    return DecodeStatus::ok;
  }
  // Scalars are validated too: simdjson's stage 1 only finds where tokens are, so `tru`, `nul`,
  // `1.2.3` or a bad escape under an unknown key would otherwise make a non-JSON frame pass.
  switch (t) {
    case od::json_type::string: {
      std::string_view unescaped;  // into the parser's string buffer: no allocation
      if (auto e = v.get_string().get(unescaped)) return map_error(e);
      return DecodeStatus::ok;
    }
    case od::json_type::number:
      return is_json_number(trimmed_token(v)) ? DecodeStatus::ok : DecodeStatus::malformed_json;
    case od::json_type::boolean: {
      const std::string_view tok = trimmed_token(v);
      return tok == "true" || tok == "false" ? DecodeStatus::ok : DecodeStatus::malformed_json;
    }
    case od::json_type::null:
      return trimmed_token(v) == "null" ? DecodeStatus::ok : DecodeStatus::malformed_json;
    default:
      return DecodeStatus::malformed_json;
  }
}

// True (and the value consumed) when the value is JSON null.
[[nodiscard, gnu::always_inline]] inline DecodeStatus check_null(od::value& v,
                                                                bool& is_null) noexcept {
  // A peek at the raw token (nothing consumed; the enclosing iterator steps over it) is half the
  // cost of type() followed by is_null(), and this runs for every field of every frame.
  const std::string_view tok = trimmed_token(v);
  is_null = !tok.empty() && tok.front() == 'n';
  if (is_null && tok != "null") return DecodeStatus::malformed_json;  // "nul", "nulll"
  return DecodeStatus::ok;
}

// A string token without unescaping (enums, decimals). Escapes make it a bad value.
[[nodiscard]] inline DecodeStatus read_token(od::value& v, std::string_view& out) noexcept {
  od::raw_json_string raw;
  if (auto e = v.get_raw_json_string().get(raw)) return map_error(e);
  bool escaped;
  out = raw_string_view(raw.raw(), escaped);
  return escaped ? DecodeStatus::bad_value : DecodeStatus::ok;
}

// Text with escapes resolved (identifiers). The view lives until the next decode.
[[nodiscard]] inline DecodeStatus read_text(od::value& v, std::string_view& out) noexcept {
  if (auto e = v.get_string().get(out)) return map_error(e);
  return DecodeStatus::ok;
}

template <std::size_t N>
[[nodiscard]] inline DecodeStatus read_fixed(od::value& v, FixedString<N>& out) noexcept {
  std::string_view s;
  if (auto st = read_text(v, s); st != DecodeStatus::ok) return st;
  return out.assign(s) ? DecodeStatus::ok : DecodeStatus::field_too_long;
}

// Like read_fixed, but null leaves the string empty and `present` false.
template <std::size_t N>
[[nodiscard]] inline DecodeStatus read_fixed_nullable(od::value& v, FixedString<N>& out,
                                                      bool& present) noexcept {
  bool is_null;
  if (auto st = check_null(v, is_null); st != DecodeStatus::ok) return st;
  present = !is_null;
  if (is_null) {
    out.clear();
    return DecodeStatus::ok;
  }
  return read_fixed(v, out);
}

// The text of a number token, without the whitespace the raw token may carry. A token that is
// not a JSON number at all (`--1`, `1.2.3`, `0688`) is malformed JSON, not merely a bad number.
[[nodiscard]] inline DecodeStatus read_number_token(od::value& v, std::string_view& out) noexcept {
  out = trimmed_token(v);
  return is_json_number(out) ? DecodeStatus::ok : DecodeStatus::malformed_json;
}

// A signed 64-bit integer sent as a JSON number. A number that is not an exact int64 (fraction,
// exponent, out of range) is bad_number; any other JSON type is wrong_type.
[[nodiscard]] inline DecodeStatus read_i64(od::value& v, std::int64_t& out) noexcept {
  od::json_type t;
  if (auto e = v.type().get(t)) return map_error(e);
  if (t != od::json_type::number) return DecodeStatus::wrong_type;
  std::string_view text;
  if (auto st = read_number_token(v, text); st != DecodeStatus::ok) return st;
  std::int64_t r;
  if (v.get_int64().get(r) != simdjson::SUCCESS) return DecodeStatus::bad_number;
  out = r;
  return DecodeStatus::ok;
}

// A decimal sent as a string ("688.3") or as a bare JSON number (688.3), parsed exactly.
// null gives present == false. Anything else is wrong_type.
template <class D>
[[nodiscard, gnu::always_inline]] inline DecodeStatus read_decimal(od::value& v, D& out,
                                                                  bool& present) noexcept {
  // One peek at the raw token both classifies the value and yields its text: books carry 64
  // of these per frame, and type() followed by get_raw_json_string() costs twice the walk.
  // An unconsumed scalar is stepped over by the enclosing object's iterator.
  const std::string_view tok = trimmed_token(v);
  if (tok.empty()) return DecodeStatus::malformed_json;
  const char c = tok.front();
  std::string_view text;
  if (c == '"') {
    if (tok.size() < 2 || tok.back() != '"') return DecodeStatus::malformed_json;
    text = tok.substr(1, tok.size() - 2);  // an escape inside makes D::parse fail: bad_number
  } else if (c == '-' || (c >= '0' && c <= '9')) {
    if (!is_json_number(tok)) return DecodeStatus::malformed_json;
    text = tok;
  } else if (c == 'n') {
    if (tok != "null") return DecodeStatus::malformed_json;
    present = false;
    return DecodeStatus::ok;
  } else if (c == '{' || c == '[' || c == 't' || c == 'f') {
    return DecodeStatus::wrong_type;
  } else {
    return DecodeStatus::malformed_json;
  }
  present = true;
  return D::parse(text, out) == DecimalError::ok ? DecodeStatus::ok : DecodeStatus::bad_number;
}

// An unsigned integer id sent as a digit string ("1693560155038001") or a JSON number.
[[nodiscard]] inline DecodeStatus read_u64(od::value& v, std::uint64_t& out) noexcept {
  od::json_type t;
  if (auto e = v.type().get(t)) return map_error(e);
  std::string_view text;
  if (t == od::json_type::string) {
    if (auto st = read_token(v, text); st != DecodeStatus::ok) return DecodeStatus::bad_number;
  } else if (t == od::json_type::number) {
    if (auto st = read_number_token(v, text); st != DecodeStatus::ok) return st;
  } else {
    return t == od::json_type::null ? DecodeStatus::missing_field : DecodeStatus::wrong_type;
  }
  if (text.empty() || text.size() > 20) return DecodeStatus::bad_number;
  std::uint64_t r = 0;
  for (char c : text) {
    const unsigned d = static_cast<unsigned char>(c - '0');
    if (d > 9) return DecodeStatus::bad_number;
    if (__builtin_mul_overflow(r, 10u, &r) || __builtin_add_overflow(r, d, &r)) {
      return DecodeStatus::bad_number;
    }
  }
  out = r;
  return DecodeStatus::ok;
}

// normalise_epoch_to_ns with a range check. That function multiplies unchecked: a seconds value
// past 9'223'372'036 (year 2262), or a ms/us value past the same instant, overflows int64
// (undefined behaviour, seen under UBSan with `"timestamp":100000000000`). Such a value is out of
// range, not a time: false, and `out` untouched. Same unit rule, proved by the asserts below.
[[nodiscard]] constexpr bool checked_epoch_to_ns(std::int64_t raw, std::int64_t& out) noexcept {
  if (raw < 0) return false;
  const std::int64_t unit = raw < 1'000'000'000'000         ? 1'000'000'000
                            : raw < 1'000'000'000'000'000     ? 1'000'000
                            : raw < 1'000'000'000'000'000'000 ? 1'000
                                                              : 1;
  std::int64_t ns;
  if (__builtin_mul_overflow(raw, unit, &ns)) return false;  // (it writes the wrapped value)
  out = ns;
  return true;
}

namespace detail {
[[nodiscard]] constexpr bool agrees_with_core(std::int64_t raw) noexcept {
  std::int64_t ns = -2;
  return checked_epoch_to_ns(raw, ns) && ns == normalise_epoch_to_ns(raw);
}
[[nodiscard]] constexpr bool refuses(std::int64_t raw) noexcept {
  std::int64_t ns = -2;
  return !checked_epoch_to_ns(raw, ns) && ns == -2;
}
}  // namespace detail
static_assert(detail::agrees_with_core(0) && detail::agrees_with_core(1761017305) &&
              detail::agrees_with_core(9'223'372'036) &&
              detail::agrees_with_core(1'000'000'000'000) &&
              detail::agrees_with_core(1693560155038) &&
              detail::agrees_with_core(9'223'372'036'854) &&
              detail::agrees_with_core(1'000'000'000'000'000) &&
              detail::agrees_with_core(9'223'372'036'854'775) &&
              detail::agrees_with_core(1'000'000'000'000'000'000) &&
              detail::agrees_with_core(INT64_MAX));
static_assert(detail::refuses(-1) && detail::refuses(9'223'372'037) &&
              detail::refuses(999'999'999'999) && detail::refuses(9'223'372'036'855) &&
              detail::refuses(999'999'999'999'999) && detail::refuses(9'223'372'036'854'776) &&
              detail::refuses(999'999'999'999'999'999));

// An epoch timestamp (s, ms, us or ns; see normalise_epoch_to_ns) as a JSON integer.
// null and 0 both mean absent (out = 0).
[[nodiscard]] inline DecodeStatus read_epoch_ns(od::value& v, std::int64_t& out) noexcept {
  bool is_null;
  if (auto st = check_null(v, is_null); st != DecodeStatus::ok) return st;
  if (is_null) {
    out = 0;
    return DecodeStatus::ok;
  }
  std::int64_t raw;
  if (auto st = read_i64(v, raw); st != DecodeStatus::ok) return st;
  if (!checked_epoch_to_ns(raw, out)) return DecodeStatus::bad_number;
  return DecodeStatus::ok;
}

[[nodiscard]] inline DecodeStatus read_tristate(od::value& v, Tristate& out) noexcept {
  bool is_null;
  if (auto st = check_null(v, is_null); st != DecodeStatus::ok) return st;
  if (is_null) {
    out = Tristate::unknown;
    return DecodeStatus::ok;
  }
  od::json_type t;
  if (auto e = v.type().get(t)) return map_error(e);
  if (t == od::json_type::string) {
    // The MYORDER table types is_maker as "string | null" while its examples send a boolean:
    // accept both spellings rather than drop an order event over it.
    std::string_view text;
    if (auto st = read_token(v, text); st != DecodeStatus::ok) return st;
    if (text != "true" && text != "false") return DecodeStatus::bad_value;
    out = text == "true" ? Tristate::yes : Tristate::no;
    return DecodeStatus::ok;
  }
  if (t != od::json_type::boolean) return DecodeStatus::wrong_type;
  bool b;
  // "tru", "falsey": not JSON (simdjson would call it the wrong type).
  if (v.get_bool().get(b) != simdjson::SUCCESS) return DecodeStatus::malformed_json;
  out = b ? Tristate::yes : Tristate::no;
  return DecodeStatus::ok;
}

// Equality for short texts (keys): an inline byte loop, cheaper than a call to memcmp.
[[nodiscard]] constexpr bool same_short_text(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// Keys of one JSON object in both wire formats; lookup by the frame's format.
// A key of at most 24 bytes as three little-endian words: comparing is three integer compares,
// not a memcmp call per candidate.
struct PackedKey {
  std::uint64_t w[3];
  std::size_t len;  // > 24 matches nothing
};

[[nodiscard]] constexpr PackedKey pack_key(std::string_view s) noexcept {
  PackedKey k{{0, 0, 0}, s.size()};
  if (s.size() > 24) return k;
  for (std::size_t i = 0; i < s.size(); ++i) {
    k.w[i / 8] |= std::uint64_t{static_cast<unsigned char>(s[i])} << (8 * (i % 8));
  }
  return k;
}

// `key` lies in a padded frame: reading 24 bytes from its start is safe.
[[nodiscard]] inline PackedKey load_key(std::string_view key) noexcept {
  PackedKey k{{0, 0, 0}, key.size()};
  if (key.size() > 24) return k;
  std::memcpy(k.w, key.data(), 24);
  for (std::size_t i = 0; i < 3; ++i) {
    const std::size_t have = key.size() > 8 * i ? key.size() - 8 * i : 0;
    if (have < 8) k.w[i] &= have == 0 ? 0 : (~std::uint64_t{0} >> (64 - 8 * have));
  }
  return k;
}

[[nodiscard]] inline bool operator==(const PackedKey& a, const PackedKey& b) noexcept {
  return a.len == b.len && a.w[0] == b.w[0] && a.w[1] == b.w[1] && a.w[2] == b.w[2];
}

struct KeySpec {
  constexpr KeySpec(std::string_view l, std::string_view s) noexcept
      : long_key(l), short_key(s), packed{pack_key(l), pack_key(s)} {}
  std::string_view long_key;
  std::string_view short_key;
  PackedKey packed[2];
};

enum class Format : std::uint8_t { long_keys, short_keys };

template <std::size_t N>
[[nodiscard]] inline int find_key(const KeySpec (&keys)[N], const PackedKey& key, Format f,
                                  std::size_t hint = 0) noexcept {
  // The venue keeps its key order: try the key expected next before scanning.
  const std::size_t fi = f == Format::short_keys ? 1 : 0;
  if (hint < N && keys[hint].packed[fi] == key) return static_cast<int>(hint);
  for (std::size_t i = 0; i < N; ++i) {
    if (keys[i].packed[fi] == key) return static_cast<int>(i);
  }
  return -1;
}

template <std::size_t N>
[[nodiscard]] inline int find_key(const KeySpec (&keys)[N], std::string_view key,
                                  Format f) noexcept {
  return find_key(keys, load_key(key), f);
}

// Bit set of keys seen in one object, for duplicate and required-field checks. A key whose value
// was null counts as seen for duplicates but as absent for has() and first_missing(): null means
// absent, also for required fields.
class SeenKeys {
 public:
  // False when the key was already seen (with a value or with null).
  [[nodiscard]] bool mark(int index) noexcept {
    const std::uint32_t bit = 1u << index;
    if (bits_ & bit) return false;
    bits_ |= bit;
    return true;
  }
  // The key just marked had the value null.
  void mark_null(int index) noexcept { null_bits_ |= 1u << index; }
  // Seen with a non-null value.
  [[nodiscard]] bool has(int index) const noexcept { return (present() >> index) & 1u; }
  // The first index in `required` not seen with a non-null value, or -1.
  [[nodiscard]] int first_missing(std::uint32_t required) const noexcept {
    const std::uint32_t missing = required & ~present();
    return missing == 0 ? -1 : __builtin_ctz(missing);
  }

 private:
  [[nodiscard]] std::uint32_t present() const noexcept { return bits_ & ~null_bits_; }
  std::uint32_t bits_ = 0;
  std::uint32_t null_bits_ = 0;
};

template <class... I>
[[nodiscard]] constexpr std::uint32_t bits(I... indices) noexcept {
  return ((1u << static_cast<int>(indices)) | ...);
}

// Returns the DecodeStatus of `expr` as a DecodeResult naming `field_name` (a local of the
// caller) when it is not ok.
#define MDE_TRY(expr)                                                    \
  do {                                                                   \
    if (const DecodeStatus mde_s_ = (expr); mde_s_ != DecodeStatus::ok) \
      return DecodeResult{mde_s_, field_name};                           \
  } while (0)

// Iterates the fields of an object value, calling fn(index, value) for known keys and skipping
// (depth-bounded) the rest. Returns the first failure; duplicates are rejected.
template <std::size_t N, class Fn>
[[nodiscard]] inline DecodeResult for_each_field(od::value v, const KeySpec (&keys)[N],
                                                 const char* const (&names)[N], Format fmt,
                                                 const char* object_name, SeenKeys& seen,
                                                 Fn&& fn) noexcept {
  const char* field_name = object_name;
  od::object obj;
  if (auto e = v.get_object().get(obj)) {
    return {e == simdjson::INCORRECT_TYPE ? DecodeStatus::not_an_object : map_error(e),
            object_name};
  }
  std::size_t hint = 0;
  for (auto fr : obj) {
    if (auto e = fr.error()) return {map_error(e), object_name};
    od::field&& f = std::move(fr).value_unsafe();  // in place, no copy
    const int index = find_key(keys, load_key(key_view(f)), fmt, hint);
    if (index < 0) {
      MDE_TRY(skip_bounded(f.value()));
      continue;
    }
    hint = static_cast<std::size_t>(index) + 1;
    field_name = names[index];
    if (!seen.mark(index)) return {DecodeStatus::duplicate_field, field_name};
    od::value& fv = f.value();
    // null means absent, for every field: handlers never see it, and a required field sent as
    // null is reported missing by require().
    bool is_null;
    MDE_TRY(check_null(fv, is_null));
    if (is_null) {
      seen.mark_null(index);
      continue;
    }
    MDE_TRY(fn(index, fv));
  }
  return {};
}

template <std::size_t N>
[[nodiscard]] inline DecodeResult require(const SeenKeys& seen, std::uint32_t required,
                                          const char* const (&names)[N]) noexcept {
  const int missing = seen.first_missing(required);
  if (missing < 0) return {};
  // `required` only names keys of this table; the bound check also tells GCC so.
  return {DecodeStatus::missing_field,
          static_cast<std::size_t>(missing) < N ? names[missing] : "data"};
}

}  // namespace mde::json
