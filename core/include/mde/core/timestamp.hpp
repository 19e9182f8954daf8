// Timestamp normalisation: venues send seconds (Coinone private channels), milliseconds (public
// channels) or finer units. Everything inside the engine is nanoseconds since the Unix epoch.
#pragma once

#include <cstdint>

namespace mde {

// Infers the unit from the magnitude: < 1e12 seconds, < 1e15 milliseconds, < 1e18 microseconds,
// otherwise nanoseconds. 0 stays 0 ("absent"). Returns -1 for a negative input.
[[nodiscard]] constexpr std::int64_t normalise_epoch_to_ns(std::int64_t v) noexcept {
  if (v < 0) return -1;
  if (v < 1'000'000'000'000) return v * 1'000'000'000;
  if (v < 1'000'000'000'000'000) return v * 1'000'000;
  if (v < 1'000'000'000'000'000'000) return v * 1'000;
  return v;
}

static_assert(normalise_epoch_to_ns(1761017305) == 1761017305'000'000'000);
static_assert(normalise_epoch_to_ns(1693560155038) == 1693560155038'000'000);
static_assert(normalise_epoch_to_ns(0) == 0);

}  // namespace mde
