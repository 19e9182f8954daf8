// Engine: the core thread's state and its per-event dispatch.
//
// Owns one OrderBook per instrument, the OrderTracker, the Balances and the TradeStats; applies
// every event it is handed, then calls the strategy's matching callback (statically dispatched;
// absent callbacks cost nothing; validate_strategy<Strategy>() rejects misspelled ones at compile
// time). It turns book status transitions, the producers' `dropped` and `rejected` notices and
// reconnects into status callbacks, and sends resync requests to the feeds. A `rejected` notice
// (a frame for that book or stream failed to decode: a lost update) makes the book stale with
// reason rejected_frame, as a `dropped` one does with dropped_upstream.
//
// Connections (EventHeader::connection, fixed table of kMaxConnections): stream state is per
// connection.
//  - A book remembers the connection that feeds it (the one its last update came on).
//  - The order and balance streams are stale per connection that carried them: a `dropped` or
//    `rejected` notice for the order or asset channel on connection C makes C's stream stale.
//  - A `connected` control on C says nothing about any other connection. If C had connected
//    before (a RE-connect): C's live books go stale with reason reconnect (their first fresh
//    snapshot, any id, makes them live again), and C's order and balance streams report a gap
//    through on_status (stale, reason reconnect: events may have been missed while C was down,
//    the application reconciles) before they are cleared (fresh again, reported too).
//
// Resync requests reach the feed side without a lock: each connection has an SPSC ring of
// ResyncRequest (capacity a power of two, allocated at construction). The core thread is the
// ring's producer, the feed thread of that connection its consumer (resync_requests(c)). When a
// book is stale, the engine pushes a request on the ring of the connection that feeds it; if
// that succeeded the book moves to resyncing (a full ring leaves it stale, and the push is tried
// again on the book's next event). A fresh snapshot makes it live.
//
// Thread: the core thread owns an Engine entirely; the only shared parts are the resync rings'
// consumer ends. All memory is allocated in the constructor; on_event() never allocates, locks
// or throws.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "mde/book/balances.hpp"
#include "mde/book/order_book.hpp"
#include "mde/book/order_tracker.hpp"
#include "mde/book/strategy.hpp"
#include "mde/book/trade_stats.hpp"
#include "mde/core/clock.hpp"
#include "mde/core/events.hpp"
#include "mde/core/instrument.hpp"
#include "mde/core/latency_histogram.hpp"
#include "mde/core/spsc_ring.hpp"

namespace mde {

// Connections the engine keeps stream state and a resync ring for (ids 0 .. 63).
inline constexpr std::size_t kMaxConnections = 64;
inline constexpr std::uint32_t kNoConnection = 0xFFFFFFFF;

// What the core thread asks a feed to do: resubscribe `instrument` for a fresh snapshot.
struct ResyncRequest {
  InstrumentId instrument;
  StaleReason reason;
};
static_assert(sizeof(ResyncRequest) == 4 && std::is_trivially_copyable_v<ResyncRequest>);

struct EngineOptions {
  std::size_t max_instruments = InstrumentRegistry::kCapacity;
  std::size_t max_orders = 4096;            // live + recently finished orders kept by the tracker
  std::size_t resync_ring_capacity = 256;   // per connection; rounded up to a power of two
  bool measure_stages = false;              // time queue hop, update and callback per event (TSC)
};

// Written on every event by the core thread. Aligned (and so padded) to two cache lines so that
// no heap neighbour written by another thread can share a line with it (adjacent-line prefetch
// pairs lines, hence 128).
struct alignas(128) EngineCounters {
  std::uint64_t events = 0;
  std::uint64_t books = 0;
  std::uint64_t book_updates_dropped = 0;  // every book outcome but applied and pending
  std::uint64_t book_results[kBookApplyCount] = {};  // by BookApply
  std::uint64_t trades = 0;
  std::uint64_t trades_duplicate = 0;      // trade ids already counted for their market
  std::uint64_t tickers = 0;
  std::uint64_t orders = 0;
  std::uint64_t orders_refused = 0;        // every order outcome but applied
  std::uint64_t order_results[kOrderApplyCount] = {};  // by OrderApply
  std::uint64_t assets = 0;
  std::uint64_t assets_refused = 0;        // events with a refused currency, or malformed
  std::uint64_t controls = 0;
  std::uint64_t reconnects = 0;            // `connected` on a connection that had connected
  std::uint64_t dropped_notices = 0;       // `dropped` controls from producers
  std::uint64_t dropped_events = 0;        // events they reported lost
  std::uint64_t rejected_notices = 0;      // `rejected` controls: a book / stream lost a frame
  std::uint64_t resync_requests = 0;       // requests pushed on a resync ring
  std::uint64_t resync_ring_full = 0;      // pushes that found the ring full (retried later)
  std::uint64_t bad_instrument = 0;        // instrument id outside the engine's table
  std::uint64_t bad_connection = 0;        // connection id outside the connection table
};

// Per-stage latency on the core thread, in ns (filled only with measure_stages).
struct StageLatency {
  LatencyHistogram hop;       // producer hand-off -> core thread picks the event up
  LatencyHistogram update;    // book / order / balance update
  LatencyHistogram callback;  // the strategy's callback
};

template <class Strategy>
class Engine {
  static_assert(validate_strategy<Strategy>());

 public:
  using ResyncRing = SpscRing<ResyncRequest>;

  // Allocates every table (setup). `calibration` converts TSC ticks for stage timing.
  Engine(Strategy& strategy, EngineOptions options = {},
         TscCalibration calibration = TscCalibration::from_rate(1, 1))
      : strategy_(strategy),
        options_(options),
        books_(options.max_instruments),
        orders_(options.max_orders),
        trades_(options.max_instruments),
        stages_(std::make_unique<StageLatency>()),
        tsc_(calibration) {
    resync_.reserve(kMaxConnections);
    for (std::size_t c = 0; c < kMaxConnections; ++c) {
      resync_.push_back(std::make_unique<ResyncRing>(options.resync_ring_capacity));
    }
  }

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // The core loop found every input queue empty: the strategy's on_idle, if it has one.
  void on_idle() noexcept {
    if constexpr (strategy_detail::has_on_idle<Strategy>) strategy_.on_idle();
  }

  void on_event(const Event& e) noexcept {
    ++counters_.events;
    const std::uint64_t t0 = options_.measure_stages ? tsc_now() : 0;
    if (options_.measure_stages && e.header.enqueue_tsc != 0) {
      stages_->hop.record(tsc_.elapsed_ns(e.header.enqueue_tsc, t0));
    }
    switch (e.header.kind) {
      case EventKind::book: on_book(e, t0); break;
      case EventKind::trade: on_trade(e, t0); break;
      case EventKind::order: on_order(e, t0); break;
      case EventKind::asset: on_asset(e, t0); break;
      case EventKind::ticker: on_ticker(e, t0); break;
      case EventKind::control: on_control(e); break;
      case EventKind::none: break;
    }
  }

  // ---- Feed side (any one thread per connection) ----
  // The ring of resync requests for `connection`; its consumer is that connection's feed thread.
  // Throws std::out_of_range for a connection outside the table (setup-time use).
  [[nodiscard]] ResyncRing& resync_requests(std::uint32_t connection) {
    return *resync_.at(connection);
  }

  // ---- Read-only state (core thread, or any thread after the core thread has stopped) ----
  [[nodiscard]] const OrderBook* book(InstrumentId id) const noexcept {
    return id < books_.size() && books_[id].seen ? &books_[id].book : nullptr;
  }
  // Exchange time of the last update whose levels the book holds (applied, or applied and then
  // found crossed; 0 if none).
  [[nodiscard]] std::int64_t book_exchange_ns(InstrumentId id) const noexcept {
    return id < books_.size() ? books_[id].last_exchange_ns : 0;
  }
  // The connection that feeds the book (kNoConnection if none or outside the table).
  [[nodiscard]] std::uint32_t book_connection(InstrumentId id) const noexcept {
    return id < books_.size() ? books_[id].connection : kNoConnection;
  }
  // Visits every book that received an update, by instrument id: f(InstrumentId, const OrderBook&).
  template <class F>
  void for_each_book(F&& f) const {
    for (std::size_t i = 0; i < books_.size(); ++i) {
      if (books_[i].seen) f(static_cast<InstrumentId>(i), books_[i].book);
    }
  }
  [[nodiscard]] const OrderTracker& orders() const noexcept { return orders_; }      // find(venue, id)
  [[nodiscard]] const Balances& balances() const noexcept { return balances_; }      // find(venue, ccy)
  [[nodiscard]] const TradeStats& trades() const noexcept { return trades_; }        // find / for_each
  [[nodiscard]] const EngineCounters& counters() const noexcept { return counters_; }
  [[nodiscard]] const StageLatency& stages() const noexcept { return *stages_; }
  [[nodiscard]] bool orders_stale(std::uint32_t connection) const noexcept {
    return connection < kMaxConnections && connections_[connection].orders_stale;
  }
  [[nodiscard]] bool assets_stale(std::uint32_t connection) const noexcept {
    return connection < kMaxConnections && connections_[connection].assets_stale;
  }
  [[nodiscard]] bool connected(std::uint32_t connection) const noexcept {
    return connection < kMaxConnections && connections_[connection].connected;
  }
  [[nodiscard]] std::size_t max_instruments() const noexcept { return books_.size(); }

 private:
  struct BookSlot {
    OrderBook book;
    std::int64_t last_exchange_ns = 0;
    std::uint32_t connection = kNoConnection;
    bool seen = false;
  };

  struct ConnectionState {
    bool connected = false;       // a `connected` control was seen on it
    bool carries_orders = false;  // an order event came on it
    bool carries_assets = false;
    bool orders_stale = false;
    bool assets_stale = false;
  };

  void record_update(std::uint64_t t0, std::uint64_t& t1) noexcept {
    if (!options_.measure_stages) return;
    t1 = tsc_now();
    stages_->update.record(tsc_.elapsed_ns(t0, t1));
  }
  void record_callback(std::uint64_t t1) noexcept {
    if (options_.measure_stages) stages_->callback.record(tsc_.elapsed_ns(t1, tsc_now()));
  }

  // The connection's slot in the table, or nullptr (counted) for one outside it.
  [[nodiscard]] ConnectionState* connection_state(std::uint32_t connection) noexcept {
    if (connection < kMaxConnections) return &connections_[connection];
    ++counters_.bad_connection;
    return nullptr;
  }

  void on_book(const Event& e, std::uint64_t t0) noexcept {
    ++counters_.books;
    const InstrumentId id = e.header.instrument;
    if (id >= books_.size()) {
      ++counters_.bad_instrument;
      return;
    }
    BookSlot& slot = books_[id];
    slot.seen = true;
    slot.connection = connection_state(e.header.connection) != nullptr ? e.header.connection
                                                                        : kNoConnection;
    const BookStatus before = slot.book.status();
    const BookApply result = slot.book.apply(e.book);
    ++counters_.book_results[static_cast<std::size_t>(result)];
    if (result == BookApply::applied || result == BookApply::crossed) {
      // A crossed update changed the levels too (then the book went stale): its time is theirs.
      slot.last_exchange_ns = e.header.exchange_ns;
    }
    if (result != BookApply::applied && result != BookApply::pending) {
      ++counters_.book_updates_dropped;
    }
    if (slot.book.status() == BookStatus::stale) request_resync(id, slot);
    std::uint64_t t1 = 0;
    record_update(t0, t1);
    if constexpr (strategy_detail::has_on_book<Strategy>) {
      if (result == BookApply::applied) {
        strategy_.on_book(BookView{id, slot.book, e.header, slot.book.stale_reason()});
      }
    }
    if (slot.book.status() != before) book_status_changed(id, slot, before, e.header);
    record_callback(t1);
  }

  // Pushes a resync request for a stale book on its connection's ring; resyncing on success.
  void request_resync(InstrumentId id, BookSlot& slot) noexcept {
    if (slot.connection == kNoConnection) return;  // nowhere to send it: the book stays stale
    if (!resync_[slot.connection]->try_enqueue(ResyncRequest{id, slot.book.stale_reason()})) {
      ++counters_.resync_ring_full;
      return;
    }
    ++counters_.resync_requests;
    (void)slot.book.mark_resyncing();
  }

  void on_trade(const Event& e, std::uint64_t t0) noexcept {
    ++counters_.trades;
    const InstrumentId id = e.header.instrument;
    const TradeApply result = trades_.apply(id, e.trade, e.header.exchange_ns);
    if (result == TradeApply::bad_instrument) {
      ++counters_.bad_instrument;
      return;
    }
    if (result == TradeApply::duplicate) {
      ++counters_.trades_duplicate;
      return;
    }
    std::uint64_t t1 = 0;
    record_update(t0, t1);
    if constexpr (strategy_detail::has_on_trade<Strategy>) {
      strategy_.on_trade(TradeView{id, e.trade, e.header, *trades_.find(id)});
    }
    record_callback(t1);
  }

  void on_order(const Event& e, std::uint64_t t0) noexcept {
    ++counters_.orders;
    if (ConnectionState* c = connection_state(e.header.connection)) c->carries_orders = true;
    const OrderUpdate update = orders_.apply(e.header, e.order);
    ++counters_.order_results[static_cast<std::size_t>(update.status)];
    std::uint64_t t1 = 0;
    record_update(t0, t1);
    if (update.status != OrderApply::applied) {
      ++counters_.orders_refused;
      return;
    }
    if constexpr (strategy_detail::has_on_order<Strategy>) {
      strategy_.on_order(OrderView{update, e.order, e.header});
    }
    record_callback(t1);
  }

  void on_asset(const Event& e, std::uint64_t t0) noexcept {
    ++counters_.assets;
    if (ConnectionState* c = connection_state(e.header.connection)) c->carries_assets = true;
    // Partial / malformed events are counted by Balances too; what was stored is reported.
    if (balances_.apply(e.header, e.asset) != BalanceApply::applied) ++counters_.assets_refused;
    std::uint64_t t1 = 0;
    record_update(t0, t1);
    if constexpr (strategy_detail::has_on_asset<Strategy>) {
      strategy_.on_asset(AssetView{e.asset, balances_, e.header});
    }
    record_callback(t1);
  }

  void on_ticker(const Event& e, std::uint64_t t0) noexcept {
    ++counters_.tickers;
    std::uint64_t t1 = 0;
    record_update(t0, t1);
    if constexpr (strategy_detail::has_on_ticker<Strategy>) {
      strategy_.on_ticker(TickerView{e.header.instrument, e.ticker, e.header});
    }
    record_callback(t1);
  }

  void on_control(const Event& e) noexcept {
    ++counters_.controls;
    const Control& c = e.control;
    if (c.type == ControlType::dropped) {
      ++counters_.dropped_notices;
      counters_.dropped_events += static_cast<std::uint64_t>(c.error_code);
      on_lost_update(e, StaleReason::dropped_upstream);
      return;
    }
    if (c.type == ControlType::rejected) {
      ++counters_.rejected_notices;
      on_lost_update(e, StaleReason::rejected_frame);
      return;
    }
    if (c.type == ControlType::connected) on_connected(e.header);
    if (c.type == ControlType::disconnected) on_connection_lost(e.header);
    if constexpr (strategy_detail::has_on_status<Strategy>) {
      strategy_.on_status(StatusView{StatusSubject::feed, e.header.instrument, BookStatus::empty,
                                     BookStatus::empty, false, StaleReason::none,
                                     e.header.connection, &c, e.header});
    }
  }

  // A session (re)started on one connection: only that connection's state moves.
  void on_connected(const EventHeader& h) noexcept {
    ConnectionState* c = connection_state(h.connection);
    if (c == nullptr) return;
    if (c->connected) {
      ++counters_.reconnects;
      on_connection_lost(h);  // no-op for what a `disconnected` control already marked
    }
    c->connected = true;
    set_stream_stale(StatusSubject::orders, c->orders_stale, false, StaleReason::none, h);
    set_stream_stale(StatusSubject::assets, c->assets_stale, false, StaleReason::none, h);
  }

  // The connection went down (a live session says so at once; a replay only learns it from the
  // next CONNECTED): its live books go stale with reason reconnect, and its private streams
  // report the gap, since whatever happened while it was down was missed. Nothing else moves.
  void on_connection_lost(const EventHeader& h) noexcept {
    ConnectionState* c = connection_state(h.connection);
    if (c == nullptr) return;
    for (std::size_t i = 0; i < books_.size(); ++i) {
      BookSlot& slot = books_[i];
      if (!slot.seen || slot.connection != h.connection || !slot.book.live()) continue;
      (void)slot.book.mark_stale(StaleReason::reconnect);
      request_resync(static_cast<InstrumentId>(i), slot);
      book_status_changed(static_cast<InstrumentId>(i), slot, BookStatus::live, h);
    }
    if (c->carries_orders) set_stream_stale(StatusSubject::orders, c->orders_stale, true,
                                            StaleReason::reconnect, h);
    if (c->carries_assets) set_stream_stale(StatusSubject::assets, c->assets_stale, true,
                                            StaleReason::reconnect, h);
  }

  // A producer lost events (a full queue) or frames (its decoder rejected them): whatever they
  // would have changed can no longer be trusted.
  void on_lost_update(const Event& e, StaleReason why) noexcept {
    const InstrumentId id = e.header.instrument;
    switch (e.control.channel) {
      case Channel::book:
        if (id < books_.size()) {
          BookSlot& slot = books_[id];
          const BookStatus before = slot.book.status();
          if (slot.connection == kNoConnection && connection_state(e.header.connection)) {
            slot.connection = e.header.connection;
          }
          if (slot.book.mark_stale(why)) {
            request_resync(id, slot);
            book_status_changed(id, slot, before, e.header);
          }
        } else {
          ++counters_.bad_instrument;
        }
        break;
      case Channel::orders:
        if (ConnectionState* c = connection_state(e.header.connection)) {
          set_stream_stale(StatusSubject::orders, c->orders_stale, true, why, e.header);
        }
        break;
      case Channel::assets:
        if (ConnectionState* c = connection_state(e.header.connection)) {
          set_stream_stale(StatusSubject::assets, c->assets_stale, true, why, e.header);
        }
        break;
      default:
        break;  // trades and tickers carry no state that a loss corrupts
    }
  }

  void book_status_changed(InstrumentId id, const BookSlot& slot, BookStatus before,
                           const EventHeader& h) noexcept {
    if constexpr (strategy_detail::has_on_status<Strategy>) {
      strategy_.on_status(StatusView{StatusSubject::book, id, before, slot.book.status(), false,
                                     slot.book.stale_reason(), h.connection, nullptr, h});
    } else {
      (void)id, (void)slot, (void)before, (void)h;
    }
  }

  // Moves one stream flag to `stale` and reports it, if it changes.
  void set_stream_stale(StatusSubject subject, bool& flag, bool stale, StaleReason reason,
                        const EventHeader& h) noexcept {
    if (flag == stale) return;
    flag = stale;
    if constexpr (strategy_detail::has_on_status<Strategy>) {
      strategy_.on_status(StatusView{subject, h.instrument, BookStatus::empty, BookStatus::empty,
                                     stale, reason, h.connection, nullptr, h});
    } else {
      (void)subject, (void)reason, (void)h;
    }
  }

  Strategy& strategy_;
  EngineOptions options_;
  std::vector<BookSlot> books_;  // indexed by InstrumentId; sized once
  OrderTracker orders_;
  Balances balances_;
  TradeStats trades_;
  EngineCounters counters_;
  std::array<ConnectionState, kMaxConnections> connections_{};
  std::vector<std::unique_ptr<ResyncRing>> resync_;  // one per connection; sized once
  std::unique_ptr<StageLatency> stages_;  // 3 x 28 KiB: kept off the engine object
  TscCalibration tsc_;
};

}  // namespace mde
