// The engine's dispatch on one thread: connections, resync requests, parts, refusals.
#include "mde/book/engine.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "book/book_test_util.hpp"

namespace mde {
namespace {

using test::make_delta;
using test::make_snapshot;
using test::with_flags;

struct Status {
  StatusSubject subject;
  InstrumentId instrument;
  BookStatus previous, current;
  bool stale;
  StaleReason reason;
  std::uint32_t connection;
};

struct Recorder {
  std::vector<BookApply> books;  // last_change().result at each on_book
  std::vector<Status> status;
  int trades = 0, orders = 0;
  void on_book(const BookView& v) noexcept { books.push_back(v.book.last_change().result); }
  void on_trade(const TradeView&) noexcept { ++trades; }
  void on_order(const OrderView&) noexcept { ++orders; }
  void on_status(const StatusView& s) noexcept {
    if (s.subject == StatusSubject::feed) return;
    status.push_back({s.subject, s.instrument, s.previous, s.current, s.stale, s.reason,
                      s.connection});
  }
};

class EngineTest : public testing::Test {
 protected:
  EngineTest() : engine_(rec_, options()) {}

  static EngineOptions options() {
    EngineOptions o;
    o.max_instruments = 16;
    o.max_orders = 16;
    o.resync_ring_capacity = 2;
    return o;
  }

  static Event header(EventKind kind, std::uint32_t connection, InstrumentId instrument,
                      Venue venue = Venue::btse) {
    Event e;
    e.header.kind = kind;
    e.header.connection = connection;
    e.header.instrument = instrument;
    e.header.venue = venue;
    e.header.receive_ns = 1;
    return e;
  }
  void book(std::uint32_t connection, InstrumentId id, const BookUpdate& u) {
    Event e = header(EventKind::book, connection, id);
    e.book = u;
    engine_.on_event(e);
  }
  void control(std::uint32_t connection, ControlType type, Channel channel = Channel::none,
               InstrumentId id = kNoInstrument) {
    Event e = header(EventKind::control, connection, id);
    e.control = Control{};
    e.control.message.clear();
    e.control.field.clear();
    e.control.session_id.clear();
    e.control.type = type;
    e.control.channel = channel;
    e.control.error_code = type == ControlType::dropped ? 3 : 0;
    engine_.on_event(e);
  }
  void order(std::uint32_t connection, InstrumentId id, std::string_view order_id,
             OrderEventType type) {
    Event e = header(EventKind::order, connection, id);
    e.order = test::order_event(order_id, type);
    engine_.on_event(e);
  }
  void trade(InstrumentId id, std::string_view trade_id) {
    Event e = header(EventKind::trade, 0, id);
    e.trade = Trade{};
    (void)e.trade.id.assign(trade_id);
    e.trade.price = test::dec("10");
    e.trade.qty = test::dec("1");
    engine_.on_event(e);
  }
  BookUpdate snapshot(std::uint64_t id) {
    return with_flags(make_snapshot(id, {{"100", "1"}}, {{"101", "1"}}), kBookSnapshotResets);
  }
  std::vector<ResyncRequest> drain(std::uint32_t connection) {
    std::vector<ResyncRequest> out;
    auto& ring = engine_.resync_requests(connection);
    while (const ResyncRequest* r = ring.front()) {
      out.push_back(*r);
      ring.pop();
    }
    return out;
  }

  Recorder rec_;
  Engine<Recorder> engine_;
};

TEST_F(EngineTest, AStaleBookSendsAResyncRequestToItsConnectionAndWaitsResyncing) {
  book(3, 5, snapshot(10));
  ASSERT_EQ(engine_.book(5)->status(), BookStatus::live);
  EXPECT_EQ(engine_.book_connection(5), 3u);
  ASSERT_EQ(rec_.status.size(), 1u);  // empty -> live
  rec_.status.clear();
  book(3, 5, make_delta(12, 11, {{"99", "1"}}, {}));  // 11 is missing
  EXPECT_EQ(engine_.book(5)->status(), BookStatus::resyncing);
  EXPECT_EQ(engine_.book(5)->stale_reason(), StaleReason::gap);
  const std::vector<ResyncRequest> sent = drain(3);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].instrument, 5);
  EXPECT_EQ(sent[0].reason, StaleReason::gap);
  EXPECT_TRUE(drain(0).empty());
  EXPECT_EQ(engine_.counters().resync_requests, 1u);
  EXPECT_EQ(engine_.counters().book_results[static_cast<int>(BookApply::gap)], 1u);
  ASSERT_EQ(rec_.status.size(), 1u);
  EXPECT_EQ(rec_.status[0].previous, BookStatus::live);
  EXPECT_EQ(rec_.status[0].current, BookStatus::resyncing);
  EXPECT_EQ(rec_.status[0].reason, StaleReason::gap);
  // The fresh snapshot acknowledges it.
  book(3, 5, snapshot(20));
  EXPECT_EQ(engine_.book(5)->status(), BookStatus::live);
  EXPECT_EQ(rec_.status.back().current, BookStatus::live);
  EXPECT_EQ(rec_.status.back().reason, StaleReason::none);
}

TEST_F(EngineTest, AFullResyncRingLeavesTheBookStaleAndTheRequestIsRetried) {
  for (InstrumentId id = 0; id < 3; ++id) {
    book(1, id, snapshot(10));
    book(1, id, make_delta(12, 11, {}, {}));
  }
  // Capacity 2: the third book could not send its request.
  EXPECT_EQ(engine_.book(2)->status(), BookStatus::stale);
  EXPECT_EQ(engine_.counters().resync_ring_full, 1u);
  EXPECT_EQ(drain(1).size(), 2u);
  book(1, 2, make_delta(13, 12, {}, {}));  // its next event retries
  EXPECT_EQ(engine_.book(2)->status(), BookStatus::resyncing);
  const std::vector<ResyncRequest> sent = drain(1);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].instrument, 2);
}

TEST_F(EngineTest, ReconnectMarksOnlyThatConnectionsLiveBooksStale) {
  control(1, ControlType::connected);
  control(2, ControlType::connected);
  book(1, 1, snapshot(10));
  book(2, 2, snapshot(10));
  control(1, ControlType::connected);  // connection 1 reconnects
  EXPECT_EQ(engine_.counters().reconnects, 1u);
  EXPECT_EQ(engine_.book(1)->status(), BookStatus::resyncing);
  EXPECT_EQ(engine_.book(1)->stale_reason(), StaleReason::reconnect);
  EXPECT_EQ(engine_.book(2)->status(), BookStatus::live);
  ASSERT_EQ(drain(1).size(), 1u);
  // Its first fresh snapshot makes it live, whatever its id.
  book(1, 1, snapshot(3));
  EXPECT_EQ(engine_.book(1)->status(), BookStatus::live);
  EXPECT_EQ(engine_.book(1)->last_id(), 3u);
}

TEST_F(EngineTest, ALostConnectionMarksItsBooksAndPrivateStreamsStaleAtOnce) {
  control(1, ControlType::connected);
  control(2, ControlType::connected);
  book(1, 1, snapshot(10));
  book(2, 2, snapshot(10));
  order(1, 3, "a", OrderEventType::open);
  control(1, ControlType::disconnected);  // a live session lost connection 1
  EXPECT_EQ(engine_.book(1)->status(), BookStatus::resyncing);
  EXPECT_EQ(engine_.book(1)->stale_reason(), StaleReason::reconnect);
  EXPECT_EQ(engine_.book(2)->status(), BookStatus::live);
  EXPECT_TRUE(engine_.orders_stale(1));
  // The CONNECTED that follows counts the reconnect, moves nothing twice, clears the stream.
  control(1, ControlType::connected);
  EXPECT_EQ(engine_.counters().reconnects, 1u);
  EXPECT_FALSE(engine_.orders_stale(1));
  EXPECT_EQ(drain(1).size(), 1u);
  book(1, 1, snapshot(11));
  EXPECT_EQ(engine_.book(1)->status(), BookStatus::live);
}

TEST_F(EngineTest, CoinoneBookComesBackOnARestartedIdAfterAReconnect) {
  control(0, ControlType::connected);
  book(0, 1, make_snapshot(1'000'000, {{"100", "1"}}, {{"101", "1"}}));
  control(0, ControlType::connected);
  book(0, 1, make_snapshot(5, {{"100", "2"}}, {{"101", "1"}}));
  EXPECT_EQ(engine_.book(1)->status(), BookStatus::live);
  EXPECT_EQ(engine_.book(1)->best_bid()->qty, test::dec("2"));
}

TEST_F(EngineTest, DroppedOrdersOnOneConnectionAreNotClearedByAnotherConnecting) {
  control(4, ControlType::connected);
  order(4, 1, "a", OrderEventType::open);
  control(4, ControlType::dropped, Channel::orders);
  EXPECT_TRUE(engine_.orders_stale(4));
  control(5, ControlType::connected);  // the public connection says nothing about it
  EXPECT_TRUE(engine_.orders_stale(4));
  EXPECT_FALSE(engine_.orders_stale(5));
  control(4, ControlType::connected);
  EXPECT_FALSE(engine_.orders_stale(4));
  ASSERT_EQ(rec_.status.size(), 2u);
  EXPECT_TRUE(rec_.status[0].stale);
  EXPECT_EQ(rec_.status[0].reason, StaleReason::dropped_upstream);
  EXPECT_EQ(rec_.status[0].connection, 4u);
  EXPECT_FALSE(rec_.status[1].stale);
}

TEST_F(EngineTest, ReconnectReportsAGapOnThePrivateStreamsItCarriedBeforeClearingThem) {
  control(6, ControlType::connected);
  order(6, 1, "a", OrderEventType::open);
  EXPECT_TRUE(rec_.status.empty());
  control(6, ControlType::connected);
  ASSERT_EQ(rec_.status.size(), 2u);
  EXPECT_EQ(rec_.status[0].subject, StatusSubject::orders);
  EXPECT_TRUE(rec_.status[0].stale);
  EXPECT_EQ(rec_.status[0].reason, StaleReason::reconnect);
  EXPECT_EQ(rec_.status[1].subject, StatusSubject::orders);
  EXPECT_FALSE(rec_.status[1].stale);
  EXPECT_FALSE(engine_.orders_stale(6));
  EXPECT_FALSE(engine_.assets_stale(6));  // it carried no balances: nothing to report
}

TEST_F(EngineTest, BalanceStreamGapIsReportedPerConnectionToo) {
  control(7, ControlType::connected);
  Event e = header(EventKind::asset, 7, kNoInstrument);
  e.asset = AssetEvent{};
  e.asset.order_id.clear();
  e.asset.trade_id.clear();
  e.asset.client_order_id.clear();
  e.asset.count = 1;
  (void)e.asset.assets[0].currency.assign("krw");
  e.asset.assets[0].available = test::dec("5");
  engine_.on_event(e);
  ASSERT_NE(engine_.balances().find(Venue::btse, "KRW"), nullptr);
  control(8, ControlType::connected);
  EXPECT_TRUE(rec_.status.empty());  // another connection: nothing to say about connection 7
  control(7, ControlType::connected);
  ASSERT_EQ(rec_.status.size(), 2u);
  EXPECT_EQ(rec_.status[0].subject, StatusSubject::assets);
  EXPECT_TRUE(rec_.status[0].stale);
  EXPECT_EQ(rec_.status[0].reason, StaleReason::reconnect);
  EXPECT_EQ(rec_.status[0].connection, 7u);
  EXPECT_FALSE(rec_.status[1].stale);
}

TEST_F(EngineTest, DroppedBookEventsMarkTheBookStaleAndRequestAResync) {
  book(2, 7, snapshot(10));
  control(2, ControlType::dropped, Channel::book, 7);
  EXPECT_EQ(engine_.book(7)->status(), BookStatus::resyncing);
  EXPECT_EQ(engine_.book(7)->stale_reason(), StaleReason::dropped_upstream);
  EXPECT_EQ(engine_.counters().dropped_events, 3u);
  const std::vector<ResyncRequest> sent = drain(2);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].reason, StaleReason::dropped_upstream);
}

TEST_F(EngineTest, ARejectedFrameForALiveBookMakesItStaleUntilAFreshSnapshot) {
  book(2, 7, snapshot(10));
  rec_.status.clear();
  control(2, ControlType::rejected, Channel::book, 7);
  EXPECT_EQ(engine_.book(7)->status(), BookStatus::resyncing);
  EXPECT_EQ(engine_.book(7)->stale_reason(), StaleReason::rejected_frame);
  EXPECT_EQ(engine_.counters().rejected_notices, 1u);
  EXPECT_EQ(engine_.counters().dropped_events, 0u);  // nothing was lost to a full queue
  ASSERT_FALSE(rec_.status.empty());
  EXPECT_EQ(rec_.status[0].subject, StatusSubject::book);
  EXPECT_EQ(rec_.status[0].previous, BookStatus::live);
  EXPECT_EQ(rec_.status[0].current, BookStatus::resyncing);  // its request is already out
  EXPECT_EQ(rec_.status[0].reason, StaleReason::rejected_frame);
  const std::vector<ResyncRequest> sent = drain(2);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].reason, StaleReason::rejected_frame);
  book(2, 7, snapshot(11));
  EXPECT_EQ(engine_.book(7)->status(), BookStatus::live);
}

TEST_F(EngineTest, ARejectedOrderFrameReportsAGapOnThatConnectionsOrderStream) {
  control(4, ControlType::connected);
  order(4, 1, "a", OrderEventType::open);
  control(4, ControlType::rejected, Channel::orders);
  EXPECT_TRUE(engine_.orders_stale(4));
  EXPECT_FALSE(engine_.assets_stale(4));
  ASSERT_EQ(rec_.status.size(), 1u);
  EXPECT_EQ(rec_.status[0].subject, StatusSubject::orders);
  EXPECT_EQ(rec_.status[0].reason, StaleReason::rejected_frame);
  control(4, ControlType::rejected, Channel::trade);  // trades hold no state: nothing moves
  EXPECT_EQ(rec_.status.size(), 1u);
}

TEST_F(EngineTest, AnUpdateInPartsReachesTheStrategyOnceAfterItsLastPart) {
  book(0, 1, snapshot(10));
  rec_.books.clear();
  book(0, 1, with_flags(make_delta(11, 10, {{"99", "1"}}, {}), kBookPartMore));
  EXPECT_TRUE(rec_.books.empty());
  book(0, 1, with_flags(make_delta(11, 10, {{"98", "1"}}, {}), kBookPartMore | kBookPartContinued));
  book(0, 1, with_flags(make_delta(11, 10, {{"97", "1"}}, {}), kBookPartContinued));
  ASSERT_EQ(rec_.books.size(), 1u);
  EXPECT_EQ(rec_.books[0], BookApply::applied);
  EXPECT_EQ(engine_.book(1)->bids().size(), 4u);
  EXPECT_EQ(engine_.counters().book_updates_dropped, 0u);
  EXPECT_EQ(engine_.counters().book_results[static_cast<int>(BookApply::pending)], 2u);
}

TEST_F(EngineTest, RepeatedTradeIdIsCountedOnceAndNotPassedOn) {
  trade(1, "118974855");
  trade(1, "118974855");
  trade(2, "118974855");
  EXPECT_EQ(rec_.trades, 2);
  EXPECT_EQ(engine_.counters().trades_duplicate, 1u);
  EXPECT_EQ(engine_.trades().find(1)->count, 1u);
}

TEST_F(EngineTest, OrderEventOnAnotherMarketIsRefusedAndCountedByReason) {
  order(0, 1, "o", OrderEventType::open);
  order(0, 2, "o", OrderEventType::cancelled);
  EXPECT_EQ(rec_.orders, 1);
  EXPECT_EQ(engine_.counters().orders_refused, 1u);
  EXPECT_EQ(engine_.counters().order_results[static_cast<int>(OrderApply::market_mismatch)], 1u);
  EXPECT_EQ(engine_.orders().find(Venue::btse, "o")->state, OrderState::open);
}

TEST_F(EngineTest, ConnectionOutsideTheTableIsCountedAndItsBookHasNoRing) {
  book(kMaxConnections, 1, snapshot(10));
  EXPECT_EQ(engine_.counters().bad_connection, 1u);
  EXPECT_EQ(engine_.book_connection(1), kNoConnection);
  EXPECT_THROW((void)engine_.resync_requests(kMaxConnections), std::out_of_range);
}

TEST_F(EngineTest, IteratesBooksByInstrumentId) {
  book(0, 9, snapshot(1));
  book(0, 3, snapshot(1));
  std::vector<InstrumentId> ids;
  engine_.for_each_book([&](InstrumentId id, const OrderBook&) { ids.push_back(id); });
  EXPECT_EQ(ids, (std::vector<InstrumentId>{3, 9}));
}

// The feed side drains its ring on its own thread while the core thread keeps producing: no
// lock, nothing lost, nothing sent twice (run under ThreadSanitizer by the sanitizer build).
TEST(EngineThreads, FeedThreadReceivesEveryResyncRequestOnce) {
  constexpr InstrumentId kBooks = 200;
  Recorder rec;
  EngineOptions options;
  options.max_instruments = kBooks;
  options.resync_ring_capacity = 8;  // far fewer than the books: pushes meet a full ring
  Engine<Recorder> engine(rec, options);
  auto& ring = engine.resync_requests(0);

  std::multiset<InstrumentId> received;
  std::atomic<bool> done{false};
  std::thread feed([&] {
    while (received.size() < kBooks) {
      if (const ResyncRequest* r = ring.front()) {
        received.insert(r->instrument);
        ring.pop();
      } else {
        std::this_thread::yield();
      }
    }
    done.store(true, std::memory_order_release);
  });

  Event e;
  e.header.kind = EventKind::book;
  e.header.connection = 0;
  for (InstrumentId id = 0; id < kBooks; ++id) {
    e.header.instrument = id;
    e.book = with_flags(make_snapshot(10, {{"100", "1"}}, {{"101", "1"}}), kBookSnapshotResets);
    engine.on_event(e);
  }
  // Gapped deltas until every book's request got through (a stale book retries on each event).
  std::uint64_t next = 20;
  while (!done.load(std::memory_order_acquire)) {
    for (InstrumentId id = 0; id < kBooks; ++id) {
      if (engine.book(id)->status() != BookStatus::stale &&
          engine.book(id)->status() != BookStatus::live) {
        continue;
      }
      e.header.instrument = id;
      e.book = make_delta(next + 1, next, {}, {});
      engine.on_event(e);
    }
    ++next;
    std::this_thread::yield();
  }
  feed.join();

  EXPECT_EQ(received.size(), static_cast<std::size_t>(kBooks));
  EXPECT_EQ(std::set<InstrumentId>(received.begin(), received.end()).size(),
            static_cast<std::size_t>(kBooks));
  EXPECT_EQ(engine.counters().resync_requests, static_cast<std::uint64_t>(kBooks));
  EXPECT_GT(engine.counters().resync_ring_full, 0u);
  for (InstrumentId id = 0; id < kBooks; ++id) {
    EXPECT_EQ(engine.book(id)->status(), BookStatus::resyncing) << id;
  }
}

}  // namespace
}  // namespace mde
