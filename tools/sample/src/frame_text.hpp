// FrameText: a fixed buffer a generator renders one frame into, with exact fixed-point number
// formatting (values carried as integers in units of 10^-scale; no floating point anywhere, so
// the bytes are the same on every platform).
//
// Thread: one owner. Never allocates; the caller sizes Capacity for its largest frame (put()
// does not check bounds).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace mde::sample::detail {

template <std::size_t Capacity>
class FrameText {
 public:
  void reset() noexcept { n_ = 0; }
  void put(std::string_view s) noexcept {
    std::memcpy(buf_ + n_, s.data(), s.size());
    n_ += s.size();
  }
  void put(char c) noexcept { buf_[n_++] = c; }
  void put_u64(std::uint64_t v) noexcept {
    char tmp[20];
    int i = 0;
    do {
      tmp[i++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    while (i > 0) buf_[n_++] = tmp[--i];
  }
  // A value in units of 10^-scale with `decimals` (<= scale) fraction digits, truncated;
  // trailing zeros removed when `trim` (then "5000", "0.01", "688.3").
  void put_fixed(std::int64_t v, int scale, int decimals, bool trim) noexcept {
    if (v < 0) {
      put('-');
      v = -v;
    }
    std::int64_t one = 1;
    for (int i = 0; i < scale; ++i) one *= 10;
    put_u64(static_cast<std::uint64_t>(v / one));
    if (decimals == 0) return;
    char frac[18];
    std::int64_t f = v % one;
    for (int i = scale - 1; i >= 0; --i) {
      frac[i] = static_cast<char>('0' + f % 10);
      f /= 10;
    }
    int keep = decimals;
    if (trim) {
      while (keep > 0 && frac[keep - 1] == '0') --keep;
    }
    if (keep == 0) return;
    put('.');
    put(std::string_view(frac, static_cast<std::size_t>(keep)));
  }
  void put_e8(std::int64_t v, int decimals, bool trim) noexcept { put_fixed(v, 8, decimals, trim); }
  void quoted_e4(std::int64_t v) noexcept {
    put('"');
    put_fixed(v, 4, 4, true);
    put('"');
  }
  void quoted_e8(std::int64_t v, int decimals, bool trim) noexcept {
    put('"');
    put_e8(v, decimals, trim);
    put('"');
  }
  void quoted_u64(std::uint64_t v) noexcept {
    put('"');
    put_u64(v);
    put('"');
  }
  void quoted(std::string_view s) noexcept {
    put('"');
    put(s);
    put('"');
  }
  [[nodiscard]] std::string_view view() const noexcept { return {buf_, n_}; }

 private:
  char buf_[Capacity];
  std::size_t n_ = 0;
};

}  // namespace mde::sample::detail
