// What every synthetic generator shares: the traffic mix (`--kind`), the frame it hands out, and
// the default start time. The generators themselves: coinone_generator.hpp, btse_generator.hpp,
// and mixed_generator.hpp (both venues in one time-ordered stream).
#pragma once

#include <cstdint>
#include <string_view>

#include "mde/core/venue.hpp"

namespace mde::sample {

// trade-heavy and book-heavy skew the public mix; mixed is the balanced one (and on Coinone
// adds the private MYORDER / MYASSET channels).
enum class GenKind : std::uint8_t { trade_heavy, book_heavy, mixed };

[[nodiscard]] bool parse_gen_kind(std::string_view text, GenKind& out) noexcept;
[[nodiscard]] std::string_view to_string(GenKind kind) noexcept;

// A probability written as a decimal in [0, 1] ("0.001", "1", "0") in parts per million, the unit
// of the generators' knobs. False (out unchanged) for anything else or finer than 1e-6.
[[nodiscard]] bool parse_probability(std::string_view text, std::uint32_t& ppm) noexcept;

// 2025-10-21T05:53:20Z: just after the last example event of seed 001, so the seed's order
// lifecycle frames can be spliced into generated traffic without running backwards in time.
inline constexpr std::int64_t kDefaultStartNs = 1'761'026'000'000'000'000;

// One generated frame as a capture records it. `venue` is carried for native captures that
// record it per record (capture format v2); a v1 writer ignores it.
struct GenFrame {
  std::int64_t receive_ns;
  std::uint32_t connection;
  std::string_view text;  // valid until the next call to the generator's next()
  Venue venue = Venue::unknown;
};

}  // namespace mde::sample
