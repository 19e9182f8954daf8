// expect-error: on_trade must be `void on_trade(const mde::TradeView&) noexcept`
#include "mde/book/engine.hpp"

struct Bad {
  void on_trade(mde::TradeView) noexcept {}
};
static_assert(sizeof(mde::Engine<Bad>) > 0);
