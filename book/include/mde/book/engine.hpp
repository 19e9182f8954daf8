// Engine: the core thread's state and its per-event dispatch.
//
// Owns one OrderBook per instrument, the OrderTracker, the Balances and the TradeStats; applies
// every event it is handed, then calls the strategy's matching callback (statically dispatched;
// absent callbacks cost nothing). It also turns book status transitions and the producers'
// `dropped` notices into status callbacks, and keeps resync requests for the feeds.
//
// Thread: the core thread owns an Engine entirely; nothing in it is shared. All memory is
// allocated in the constructor; on_event() never allocates, locks or throws.
#pragma once

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

namespace mde {

struct EngineOptions {
  std::size_t max_instruments = InstrumentRegistry::kCapacity;
  std::size_t max_orders = 4096;  // live + recently finished orders kept by the tracker
  bool measure_stages = false;    // time queue hop, update and callback per event (TSC)
};

// Written on every event by the core thread. Aligned (and so padded) to two cache lines so that
// no heap neighbour written by another thread can share a line with it (adjacent-line prefetch
// pairs lines, hence 128).
struct alignas(128) EngineCounters {
  std::uint64_t events = 0;
  std::uint64_t books = 0;
  std::uint64_t book_updates_dropped = 0;  // old ids, deltas on stale books
  std::uint64_t trades = 0;
  std::uint64_t tickers = 0;
  std::uint64_t orders = 0;
  std::uint64_t orders_refused = 0;        // tracker full of open orders, or no order id
  std::uint64_t assets = 0;
  std::uint64_t controls = 0;
  std::uint64_t dropped_notices = 0;       // `dropped` controls from producers
  std::uint64_t dropped_events = 0;        // events they reported lost
  std::uint64_t resync_requests = 0;       // books that went stale and want a fresh snapshot
  std::uint64_t bad_instrument = 0;        // instrument id outside the engine's table
};

// Per-stage latency on the core thread, in ns (filled only with measure_stages).
struct StageLatency {
  LatencyHistogram hop;       // producer hand-off -> core thread picks the event up
  LatencyHistogram update;    // book / order / balance update
  LatencyHistogram callback;  // the strategy's callback
};

template <class Strategy>
class Engine {
 public:
  // Allocates every table (setup). `calibration` converts TSC ticks for stage timing.
  Engine(Strategy& strategy, EngineOptions options = {},
         TscCalibration calibration = TscCalibration::from_rate(1, 1))
      : strategy_(strategy),
        options_(options),
        books_(options.max_instruments),
        orders_(options.max_orders),
        trades_(options.max_instruments),
        stages_(std::make_unique<StageLatency>()),
        tsc_(calibration) {}

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

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

  // ---- Read-only state (core thread, or any thread after the core thread has stopped) ----
  [[nodiscard]] const OrderBook* book(InstrumentId id) const noexcept {
    return id < books_.size() && books_[id].seen ? &books_[id].book : nullptr;
  }
  // Exchange time of the last applied update of that book (0 if none).
  [[nodiscard]] std::int64_t book_exchange_ns(InstrumentId id) const noexcept {
    return id < books_.size() ? books_[id].last_exchange_ns : 0;
  }
  [[nodiscard]] const OrderTracker& orders() const noexcept { return orders_; }
  [[nodiscard]] const Balances& balances() const noexcept { return balances_; }
  [[nodiscard]] const TradeStats& trades() const noexcept { return trades_; }
  [[nodiscard]] const EngineCounters& counters() const noexcept { return counters_; }
  [[nodiscard]] const StageLatency& stages() const noexcept { return *stages_; }
  [[nodiscard]] bool orders_stale() const noexcept { return orders_stale_; }
  [[nodiscard]] bool assets_stale() const noexcept { return assets_stale_; }
  [[nodiscard]] std::size_t max_instruments() const noexcept { return books_.size(); }

  // A feed calls this after it sent a resubscribe for a stale book (status -> resyncing).
  bool acknowledge_resync(InstrumentId id) noexcept {
    if (id >= books_.size()) return false;
    return books_[id].book.mark_resyncing();
  }

 private:
  struct BookSlot {
    OrderBook book;
    std::int64_t last_exchange_ns = 0;
    bool seen = false;
  };

  void record_update(std::uint64_t t0, std::uint64_t& t1) noexcept {
    if (!options_.measure_stages) return;
    t1 = tsc_now();
    stages_->update.record(tsc_.elapsed_ns(t0, t1));
  }
  void record_callback(std::uint64_t t1) noexcept {
    if (options_.measure_stages) stages_->callback.record(tsc_.elapsed_ns(t1, tsc_now()));
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
    const BookStatus before = slot.book.status();
    const BookApply result = slot.book.apply(e.book);
    std::uint64_t t1 = 0;
    record_update(t0, t1);
    if (result == BookApply::applied) {
      slot.last_exchange_ns = e.header.exchange_ns;
    } else {
      ++counters_.book_updates_dropped;
    }
    const BookStatus after = slot.book.status();
    if (after == BookStatus::stale && before != BookStatus::stale) ++counters_.resync_requests;
    if constexpr (requires { strategy_.on_book(std::declval<const BookView&>()); }) {
      if (result == BookApply::applied) strategy_.on_book(BookView{id, slot.book, e.header});
    }
    if (before != after) book_status_changed(id, before, after, e.header);
    record_callback(t1);
  }

  void on_trade(const Event& e, std::uint64_t t0) noexcept {
    ++counters_.trades;
    const InstrumentId id = e.header.instrument;
    if (!trades_.apply(id, e.trade, e.header.exchange_ns)) {
      ++counters_.bad_instrument;
      return;
    }
    std::uint64_t t1 = 0;
    record_update(t0, t1);
    if constexpr (requires { strategy_.on_trade(std::declval<const TradeView&>()); }) {
      strategy_.on_trade(TradeView{id, e.trade, e.header, *trades_.find(id)});
    }
    record_callback(t1);
  }

  void on_order(const Event& e, std::uint64_t t0) noexcept {
    ++counters_.orders;
    const OrderUpdate update = orders_.apply(e.header, e.order);
    std::uint64_t t1 = 0;
    record_update(t0, t1);
    if (update.status != OrderApply::applied) {
      ++counters_.orders_refused;
      return;
    }
    if constexpr (requires { strategy_.on_order(std::declval<const OrderView&>()); }) {
      strategy_.on_order(OrderView{update, e.order, e.header});
    }
    record_callback(t1);
  }

  void on_asset(const Event& e, std::uint64_t t0) noexcept {
    ++counters_.assets;
    (void)balances_.apply(e.header, e.asset);  // partial/malformed are counted by Balances
    std::uint64_t t1 = 0;
    record_update(t0, t1);
    if constexpr (requires { strategy_.on_asset(std::declval<const AssetView&>()); }) {
      strategy_.on_asset(AssetView{e.asset, balances_, e.header});
    }
    record_callback(t1);
  }

  void on_ticker(const Event& e, std::uint64_t t0) noexcept {
    ++counters_.tickers;
    std::uint64_t t1 = 0;
    record_update(t0, t1);
    if constexpr (requires { strategy_.on_ticker(std::declval<const TickerView&>()); }) {
      strategy_.on_ticker(TickerView{e.header.instrument, e.ticker, e.header});
    }
    record_callback(t1);
  }

  void on_control(const Event& e) noexcept {
    ++counters_.controls;
    const Control& c = e.control;
    if (c.type == ControlType::dropped) {
      on_dropped(e);
      return;
    }
    if (c.type == ControlType::connected) {
      // A new session: the feed reconciles order and balance state on connect, so the streams
      // count as fresh again from here.
      if (orders_stale_) stream_status(StatusSubject::orders, orders_stale_ = false, e.header);
      if (assets_stale_) stream_status(StatusSubject::assets, assets_stale_ = false, e.header);
    }
    if constexpr (requires { strategy_.on_status(std::declval<const StatusView&>()); }) {
      strategy_.on_status(StatusView{StatusSubject::feed, e.header.instrument, BookStatus::empty,
                                     BookStatus::empty, false, &c, e.header});
    }
  }

  // A producer lost events to a full queue: whatever they touched can no longer be trusted.
  void on_dropped(const Event& e) noexcept {
    ++counters_.dropped_notices;
    counters_.dropped_events += static_cast<std::uint64_t>(e.control.error_code);
    const InstrumentId id = e.header.instrument;
    switch (e.control.channel) {
      case Channel::book:
        if (id < books_.size()) {
          BookSlot& slot = books_[id];
          const BookStatus before = slot.book.status();
          if (slot.book.mark_stale()) {
            ++counters_.resync_requests;
            book_status_changed(id, before, slot.book.status(), e.header);
          }
        }
        break;
      case Channel::orders:
        if (!orders_stale_) stream_status(StatusSubject::orders, orders_stale_ = true, e.header);
        break;
      case Channel::assets:
        if (!assets_stale_) stream_status(StatusSubject::assets, assets_stale_ = true, e.header);
        break;
      default:
        break;  // trades and tickers carry no state that a loss corrupts
    }
  }

  void book_status_changed(InstrumentId id, BookStatus before, BookStatus after,
                           const EventHeader& h) noexcept {
    if constexpr (requires { strategy_.on_status(std::declval<const StatusView&>()); }) {
      strategy_.on_status(StatusView{StatusSubject::book, id, before, after, false, nullptr, h});
    }
  }

  void stream_status(StatusSubject subject, bool stale, const EventHeader& h) noexcept {
    if constexpr (requires { strategy_.on_status(std::declval<const StatusView&>()); }) {
      strategy_.on_status(StatusView{subject, h.instrument, BookStatus::empty, BookStatus::empty,
                                     stale, nullptr, h});
    }
  }

  Strategy& strategy_;
  EngineOptions options_;
  std::vector<BookSlot> books_;  // indexed by InstrumentId; sized once
  OrderTracker orders_;
  Balances balances_;
  TradeStats trades_;
  EngineCounters counters_;
  std::unique_ptr<StageLatency> stages_;  // 3 x 28 KiB: kept off the engine object
  TscCalibration tsc_;
  bool orders_stale_ = false;
  bool assets_stale_ = false;
};

}  // namespace mde
