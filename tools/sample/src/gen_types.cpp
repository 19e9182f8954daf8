// GenKind names as `mde gen --kind` spells them; knob probabilities.
#include "mde/sample/gen_types.hpp"

namespace mde::sample {

bool parse_gen_kind(std::string_view text, GenKind& out) noexcept {
  if (text == "trade-heavy") out = GenKind::trade_heavy;
  else if (text == "book-heavy") out = GenKind::book_heavy;
  else if (text == "mixed") out = GenKind::mixed;
  else return false;
  return true;
}

std::string_view to_string(GenKind kind) noexcept {
  switch (kind) {
    case GenKind::trade_heavy: return "trade-heavy";
    case GenKind::book_heavy: return "book-heavy";
    case GenKind::mixed: return "mixed";
  }
  return "?";
}

bool parse_probability(std::string_view text, std::uint32_t& ppm) noexcept {
  std::uint64_t whole = 0, fraction = 0;
  int fraction_digits = 0;
  std::size_t i = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    whole = whole * 10 + static_cast<std::uint64_t>(text[i] - '0');
    if (whole > 1) return false;
  }
  if (i == 0) return false;
  if (i < text.size()) {
    if (text[i] != '.' || i + 1 == text.size()) return false;
    for (++i; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      if (fraction_digits == 6) {
        if (text[i] != '0') return false;  // finer than one in a million
        continue;
      }
      fraction = fraction * 10 + static_cast<std::uint64_t>(text[i] - '0');
      ++fraction_digits;
    }
  }
  for (int d = fraction_digits; d < 6; ++d) fraction *= 10;
  const std::uint64_t value = whole * 1'000'000 + fraction;
  if (value > 1'000'000) return false;
  ppm = static_cast<std::uint32_t>(value);
  return true;
}

}  // namespace mde::sample
