// expect-error: on_book must be `void on_book(const mde::BookView&) noexcept`
#include "mde/book/engine.hpp"

struct Bad {
  void on_book(const mde::BookView&) {}
};
static_assert(sizeof(mde::Engine<Bad>) > 0);
