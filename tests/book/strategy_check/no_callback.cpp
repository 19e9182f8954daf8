// expect-error: a strategy must declare at least one callback
#include "mde/book/engine.hpp"

struct Bad {
  void run() noexcept {}
};
static_assert(sizeof(mde::Engine<Bad>) > 0);
