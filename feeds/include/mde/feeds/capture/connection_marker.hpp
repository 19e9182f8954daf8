// A connection lost, as a live capture records it: the session writes one marker record, on that
// connection, at the moment it hands the engine the `disconnected` control, so a replay hands the
// engine the same control at the same place and reaches the live run's state, staleness included
// (books `resyncing`, the order stream's gap).
//
//   "#mde:disconnected <close code> <why>"    e.g. "#mde:disconnected 0 connection lost at read"
//
// No venue frame starts with '#' (JSON, BTSE's plain-text "pong"), so one byte tells a marker
// apart. A marker is not a frame: replay neither decodes nor counts it as one.
//
// Thread: any. Never allocates, throws or locks.
#pragma once

#include <charconv>
#include <cstdint>
#include <span>
#include <string_view>

#include "mde/core/events.hpp"

namespace mde::capture {

inline constexpr std::string_view kDisconnectedMarker = "#mde:disconnected ";
inline constexpr std::size_t kMarkerBytes = 128;  // room for the prefix, a code and a Control message

[[nodiscard]] inline bool is_marker(std::string_view frame) noexcept {
  return !frame.empty() && frame.front() == '#';
}

// Writes the marker into `out`; returns its length (0 when `out` is too small).
[[nodiscard]] inline std::size_t format_disconnected_marker(std::span<char> out, std::uint16_t code,
                                                            std::string_view why) noexcept {
  if (out.size() < kDisconnectedMarker.size() + 6) return 0;
  std::size_t n = kDisconnectedMarker.copy(out.data(), kDisconnectedMarker.size());
  n = static_cast<std::size_t>(std::to_chars(out.data() + n, out.data() + out.size(), code).ptr -
                               out.data());
  if (n < out.size()) out[n++] = ' ';
  return n + why.copy(out.data() + n, out.size() - n);
}

// The `disconnected` control a live session hands over when `connection`'s socket is lost.
inline void fill_disconnected(Event& e, Venue venue, std::uint16_t code,
                              std::string_view why) noexcept {
  e.header = {};
  e.header.kind = EventKind::control;
  e.header.venue = venue;
  e.header.instrument = kNoInstrument;
  e.control = Control{};
  e.control.type = ControlType::disconnected;
  e.control.error_code = code;
  (void)e.control.message.assign(why.substr(0, decltype(e.control.message)::kCapacity));
}

// A marker back into that control (the caller sets the header's times and connection). False
// for anything that is not a well-formed disconnected marker.
[[nodiscard]] inline bool parse_disconnected_marker(std::string_view frame, Venue venue,
                                                    Event& e) noexcept {
  if (!frame.starts_with(kDisconnectedMarker)) return false;
  frame.remove_prefix(kDisconnectedMarker.size());
  std::uint16_t code = 0;
  const auto [end, ec] = std::from_chars(frame.data(), frame.data() + frame.size(), code);
  if (ec != std::errc{}) return false;
  frame.remove_prefix(static_cast<std::size_t>(end - frame.data()));
  if (frame.starts_with(' ')) frame.remove_prefix(1);
  fill_disconnected(e, venue, code, frame);
  return true;
}

}  // namespace mde::capture
