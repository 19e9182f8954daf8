// expect-error: `OnBook` is not a strategy callback: did you mean `on_book`?
#include "mde/book/engine.hpp"

struct Bad {
  void on_trade(const mde::TradeView&) noexcept {}
  void OnBook(const mde::BookView&) noexcept {}
};
static_assert(sizeof(mde::Engine<Bad>) > 0);
