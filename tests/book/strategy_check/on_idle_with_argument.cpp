// expect-error: on_idle must be `void on_idle() noexcept`
#include "mde/book/engine.hpp"

struct Bad {
  void on_book(const mde::BookView&) noexcept {}
  void on_idle(int) noexcept {}
};
static_assert(sizeof(mde::Engine<Bad>) > 0);
