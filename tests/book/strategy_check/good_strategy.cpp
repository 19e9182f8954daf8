// expect: compiles
// The positive control: a strategy with correct callbacks (one of them const, one inherited)
// and NullStrategy compile, so a failure of the other files is their own.
#include "mde/book/engine.hpp"

struct Base {
  void on_trade(const mde::TradeView&) noexcept {}
};
struct Good : Base {
  void on_book(const mde::BookView&) noexcept {}
  void on_status(const mde::StatusView&) const noexcept {}
  void on_idle() const noexcept {}
  void on_start() noexcept {}  // other members are the strategy's business
};
static_assert(sizeof(mde::Engine<Good>) > 0);
static_assert(sizeof(mde::Engine<mde::NullStrategy>) > 0);
static_assert(sizeof(mde::Engine<mde::VirtualStrategy>) > 0);
