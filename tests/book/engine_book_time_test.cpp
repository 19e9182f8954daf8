// The exchange time the engine keeps per book (book_exchange_ns, the state dump's timestamp_ms)
// belongs to the update whose levels the book holds. Found by the independent reference model in
// /tmp/bookcheck: after a crossed update (applied, then stale) the dump showed that update's
// levels and id beside the previous update's time, or 0 when it was the first.
#include <gtest/gtest.h>

#include "book/book_test_util.hpp"
#include "mde/book/engine.hpp"

namespace mde {
namespace {

using test::dec;
using test::make_delta;
using test::make_snapshot;
using test::with_flags;

struct Books {
  int applied = 0;
  void on_book(const BookView&) noexcept { ++applied; }
};

class EngineBookTime : public testing::Test {
 protected:
  EngineBookTime() : engine_(books_, options()) {}

  static EngineOptions options() {
    EngineOptions o;
    o.max_instruments = 4;
    o.max_orders = 4;
    o.resync_ring_capacity = 4;
    return o;
  }
  void book(const BookUpdate& u, std::int64_t exchange_ns) {
    Event e;
    e.header.kind = EventKind::book;
    e.header.connection = 1;
    e.header.instrument = kBook;
    e.header.venue = Venue::btse;
    e.header.receive_ns = exchange_ns + 5;
    e.header.exchange_ns = exchange_ns;
    e.book = u;
    engine_.on_event(e);
  }

  static constexpr InstrumentId kBook = 2;
  Books books_;
  Engine<Books> engine_;
};

TEST_F(EngineBookTime, ACrossedFirstSnapshotKeepsItsTimeBesideItsLevels) {
  book(make_snapshot(1700000000000001, {{"688.1", "1"}}, {{"688.0", "5"}}), 1'700'000'000'000'000'000);
  const OrderBook* b = engine_.book(kBook);
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->last_change().result, BookApply::crossed);
  EXPECT_EQ(b->best_bid()->price, dec("688.1"));  // the crossed levels are what the book holds
  EXPECT_EQ(engine_.book_exchange_ns(kBook), 1'700'000'000'000'000'000);
}

TEST_F(EngineBookTime, ACrossedDeltaMovesTheTimeAndARefusedOneDoesNot) {
  book(with_flags(make_snapshot(10, {{"100", "1"}}, {{"102", "1"}}), kBookSnapshotResets), 1000);
  EXPECT_EQ(engine_.book_exchange_ns(kBook), 1000);
  book(make_delta(11, 10, {{"103", "1"}}, {}), 2000);
  ASSERT_EQ(engine_.book(kBook)->last_change().result, BookApply::crossed);
  EXPECT_EQ(engine_.book(kBook)->last_id(), 11u);
  EXPECT_EQ(engine_.book_exchange_ns(kBook), 2000);
  book(make_delta(12, 11, {{"99", "1"}}, {}), 3000);  // the book is not live: refused
  EXPECT_EQ(engine_.book_exchange_ns(kBook), 2000);
  EXPECT_EQ(books_.applied, 1);  // the strategy heard of the snapshot only
}

}  // namespace
}  // namespace mde
