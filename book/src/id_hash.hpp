// hash_id: a fast 64-bit hash of a short identifier (order id, trade id, currency code) for the
// fixed open-addressing tables in book/. Not cryptographic and not stable across versions; the
// tables never persist it. Reads the bytes 8 at a time with memcpy (no alignment assumption).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace mde::book_detail {

[[nodiscard]] inline std::uint64_t mix64(std::uint64_t x) noexcept {
  // MurmurHash3's fmix64 finaliser: every input bit affects every output bit.
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

[[nodiscard]] inline std::uint64_t hash_id(std::string_view s, std::uint64_t seed = 0) noexcept {
  std::uint64_t h = seed ^ (0x9e3779b97f4a7c15ull * (s.size() + 1));
  const char* p = s.data();
  std::size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ mix64(w)) * 0x9e3779b97f4a7c15ull;
  }
  if (n != 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ mix64(w)) * 0x9e3779b97f4a7c15ull;
  }
  return mix64(h);
}

}  // namespace mde::book_detail
