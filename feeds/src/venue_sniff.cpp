// recognise_venue: the first key, else a scan of the top-level keys (venue_sniff.hpp).
#include "mde/feeds/venue_sniff.hpp"

#include <cstddef>
#include <string_view>

namespace mde {

namespace {

[[nodiscard]] constexpr bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

[[nodiscard]] Venue venue_of_key(std::string_view key) noexcept {
  if (key == "topic" || key == "event" || key == "severity") return Venue::btse;
  if (key == "response_type" || key == "r") return Venue::coinone;
  return Venue::unknown;
}

// Index just past the string starting at text[i] == '"' (escapes honoured), or text.size().
[[nodiscard]] std::size_t skip_string(std::string_view text, std::size_t i) noexcept {
  for (++i; i < text.size(); ++i) {
    if (text[i] == '\\') ++i;
    else if (text[i] == '"') return i + 1;
  }
  return text.size();
}

[[nodiscard]] std::size_t skip_spaces(std::string_view text, std::size_t i) noexcept {
  while (i < text.size() && is_space(text[i])) ++i;
  return i;
}

// Every key of the top-level object, in order, until one names a venue.
[[nodiscard]] Venue scan_top_level_keys(std::string_view text, std::size_t open) noexcept {
  int depth = 0;
  for (std::size_t i = open; i < text.size();) {
    const char c = text[i];
    if (c == '"') {
      const std::size_t end = skip_string(text, i);
      if (depth == 1) {
        const std::size_t next = skip_spaces(text, end);
        if (next < text.size() && text[next] == ':' && end > i + 1) {
          const Venue v = venue_of_key(text.substr(i + 1, end - i - 2));
          if (v != Venue::unknown) return v;
        }
      }
      i = end;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    else if ((c == '}' || c == ']') && --depth == 0) break;
    ++i;
  }
  return Venue::unknown;
}

}  // namespace

Venue recognise_venue(FrameView frame) noexcept {
  const std::string_view text = frame.text();
  std::size_t i = skip_spaces(text, 0);
  if (i == text.size()) return Venue::unknown;
  if (text[i] != '{') {
    // BTSE's keepalive reply is plain text.
    std::string_view rest = text.substr(i);
    while (!rest.empty() && is_space(rest.back())) rest.remove_suffix(1);
    return rest == "pong" ? Venue::btse : Venue::unknown;
  }
  const std::size_t open = i;
  i = skip_spaces(text, i + 1);
  if (i < text.size() && text[i] == '"') {
    // Fast path: the first key, when it has no escape and is followed by its colon.
    const std::size_t end = skip_string(text, i);
    const std::size_t colon = skip_spaces(text, end);
    const std::string_view key = text.substr(i + 1, end > i + 1 ? end - i - 2 : 0);
    if (colon < text.size() && text[colon] == ':' && key.find('\\') == std::string_view::npos) {
      const Venue v = venue_of_key(key);
      if (v != Venue::unknown) return v;
    }
  }
  return scan_top_level_keys(text, open);
}

}  // namespace mde
