// The core loop's idle hook: a strategy's on_idle runs when a poll of every input queue found
// nothing, never while events are waiting, and strategies without one are called as before.
#include "mde/book/core_loop.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <deque>

#include "book/book_test_util.hpp"
#include "mde/book/engine.hpp"
#include "mde/core/idle_strategy.hpp"

namespace mde {
namespace {

using test::make_snapshot;

// A queue with the front()/pop() surface the loop polls.
struct ListQueue {
  std::deque<Event> events;
  Event* front() noexcept { return events.empty() ? nullptr : &events.front(); }
  void pop() noexcept { events.pop_front(); }
};

struct IdleRecorder {
  std::atomic<int>* producers_running = nullptr;
  int books = 0, idles = 0, books_at_first_idle = -1;
  void on_book(const BookView&) noexcept { ++books; }
  void on_idle() noexcept {
    if (idles++ == 0) books_at_first_idle = books;
    if (idles == 3) producers_running->store(0, std::memory_order_release);  // the feed ends
  }
};

Event book_event(InstrumentId instrument, std::uint64_t id) {
  Event e{};
  e.header.kind = EventKind::book;
  e.header.instrument = instrument;
  e.book = make_snapshot(id, {{"100", "1"}}, {{"101", "1"}});
  return e;
}

TEST(CoreLoop, CallsOnIdleOnlyOnceEveryQueueIsEmpty) {
  std::atomic<int> producers_running{1};
  IdleRecorder strategy{.producers_running = &producers_running};
  Engine<IdleRecorder> engine(strategy);
  ListQueue a, b;
  for (std::uint64_t k = 0; k < 100; ++k) a.events.push_back(book_event(0, k + 1));  // > a batch
  for (std::uint64_t k = 0; k < 10; ++k) b.events.push_back(book_event(1, k + 1));
  ListQueue* queues[] = {&a, &b};
  BusySpinIdle idle;
  run_core_loop(engine, std::span<ListQueue* const>(queues), producers_running, idle);

  EXPECT_EQ(strategy.books, 110);
  EXPECT_EQ(strategy.books_at_first_idle, 110);  // not between the batches of a busy queue
  EXPECT_EQ(strategy.idles, 3);  // one per empty poll until the producers ended, none after
}

struct NoIdle {
  int books = 0;
  void on_book(const BookView&) noexcept { ++books; }
};

TEST(CoreLoop, AStrategyWithoutOnIdleRunsAsBefore) {
  std::atomic<int> producers_running{0};
  NoIdle strategy;
  Engine<NoIdle> engine(strategy);
  ListQueue q;
  q.events.push_back(book_event(0, 1));
  ListQueue* queues[] = {&q};
  BusySpinIdle idle;
  run_core_loop(engine, std::span<ListQueue* const>(queues), producers_running, idle);
  EXPECT_EQ(strategy.books, 1);
}

}  // namespace
}  // namespace mde
