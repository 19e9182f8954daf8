// expect-error: `on_books` is not a strategy callback: did you mean `on_book`?
#include "mde/book/engine.hpp"

struct Bad {
  void on_trade(const mde::TradeView&) noexcept {}
  void on_books(const mde::BookView&) noexcept {}
};
static_assert(sizeof(mde::Engine<Bad>) > 0);
