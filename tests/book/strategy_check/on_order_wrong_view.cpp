// expect-error: on_order must be `void on_order(const mde::OrderView&) noexcept`
#include "mde/book/engine.hpp"

struct Bad {
  void on_book(const mde::BookView&) noexcept {}
  void on_order(const mde::AssetView&) noexcept {}
};
static_assert(sizeof(mde::Engine<Bad>) > 0);
