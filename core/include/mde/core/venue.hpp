// Venue: which exchange a frame, an instrument, an order or a balance belongs to.
//
// Identity in the engine is always per venue: an instrument is (venue, market), an order is
// (venue, order id), a balance is (venue, currency). Names like "BTC-USD" may exist on several
// venues and are different things there.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace mde {

enum class Venue : std::uint8_t { unknown, coinone, btse, deflow };
inline constexpr std::size_t kVenueCount = 4;

// The lower-case name used in keys ("coinone:XRP-KRW"), configuration and captures.
[[nodiscard]] constexpr std::string_view to_string(Venue v) noexcept {
  switch (v) {
    case Venue::unknown: return "unknown";
    case Venue::coinone: return "coinone";
    case Venue::btse: return "btse";
    case Venue::deflow: return "deflow";
  }
  return "unknown";
}

[[nodiscard]] constexpr std::optional<Venue> parse_venue(std::string_view text) noexcept {
  for (Venue v : {Venue::coinone, Venue::btse, Venue::deflow}) {
    if (text == to_string(v)) return v;
  }
  return std::nullopt;
}

}  // namespace mde
