// expect-error: `on_balance` is not a strategy callback: did you mean `on_asset`?
#include "mde/book/engine.hpp"

struct Bad {
  void on_balance(const mde::AssetView&) noexcept {}
};
static_assert(sizeof(mde::Engine<Bad>) > 0);
