// GenKind names as `mde gen --kind` spells them.
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

}  // namespace mde::sample
