// Element types shared by the queue tests: a lifetime-counting type (every construction must be
// matched by a destruction) and a wide sequenced record whose head and tail must agree (a torn
// hand-off would show as a mismatch).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "mde/core/sanitizers.hpp"

namespace mde::test {

struct Counted {
  static inline std::atomic<std::int64_t> constructions{0};
  static inline std::atomic<std::int64_t> destructions{0};
  static void reset_counts() noexcept {
    constructions = 0;
    destructions = 0;
  }
  [[nodiscard]] static std::int64_t alive() noexcept { return constructions - destructions; }

  explicit Counted(std::uint64_t v) noexcept : value(v) { ++constructions; }
  Counted(const Counted& other) noexcept : value(other.value) { ++constructions; }
  Counted(Counted&& other) noexcept : value(other.value) { ++constructions; }
  Counted& operator=(const Counted&) = default;
  Counted& operator=(Counted&&) = default;
  ~Counted() { ++destructions; }

  std::uint64_t value;
};

// As wide as mde::Event: sequence number at both ends plus a pattern derived from it.
struct Wide {
  std::uint64_t head_seq;
  std::uint64_t body[(2112 - 16) / 8];
  std::uint64_t tail_seq;

  static Wide make(std::uint64_t seq) noexcept {
    Wide w{};
    w.head_seq = seq;
    for (std::size_t i = 0; i < std::size(w.body); ++i) w.body[i] = seq * 31 + i;
    w.tail_seq = seq;
    return w;
  }
  [[nodiscard]] bool consistent() const noexcept {
    if (head_seq != tail_seq) return false;
    for (std::size_t i = 0; i < std::size(body); ++i) {
      if (body[i] != head_seq * 31 + i) return false;
    }
    return true;
  }
};
static_assert(sizeof(Wide) == 2112);

// Two-thread stress sizes: large enough to hit every wrap and full/empty race many times, small
// enough to stay well under a second per test under ThreadSanitizer.
#ifdef MDE_TSAN
inline constexpr std::uint64_t kStressItems = 200'000;
#else
inline constexpr std::uint64_t kStressItems = 2'000'000;
#endif

}  // namespace mde::test
