// The strategy API: what the engine calls on the core thread after it has applied an event.
//
// Dispatch is static: the engine is a template over the strategy type and calls only the
// callbacks the strategy declares (each is optional), so an unused callback costs nothing and no
// call is virtual. Every callback gets const views into engine state, valid only for the call.
// Callbacks run on the core thread and must not block or allocate (the engine's allocation test
// replays 100 000+ frames through a strategy and asserts zero heap allocations).
//
//   struct MyStrategy {
//     void on_book(const BookView& b) noexcept;      // a book changed (applied update)
//     void on_trade(const TradeView& t) noexcept;    // a public trade
//     void on_order(const OrderView& o) noexcept;    // an order event was applied
//     void on_asset(const AssetView& a) noexcept;    // balances changed
//     void on_status(const StatusView& s) noexcept;  // book status or feed status changed
//     void on_ticker(const TickerView& t) noexcept;  // a ticker (optional extra)
//   };
//
// VirtualStrategy is a convenience adapter for code that wants runtime polymorphism (one
// virtual call per callback; measure before using it on a hot path).
#pragma once

#include <cstdint>

#include "mde/book/balances.hpp"
#include "mde/book/order_book.hpp"
#include "mde/book/order_tracker.hpp"
#include "mde/book/trade_stats.hpp"
#include "mde/core/events.hpp"

namespace mde {

struct BookView {
  InstrumentId instrument;
  const OrderBook& book;       // sorted, best first; book.last_change() says what moved
  const EventHeader& header;   // timestamps of the update that was applied
};

struct TradeView {
  InstrumentId instrument;
  const Trade& trade;
  const EventHeader& header;
  const TradeStat& stats;  // running totals for the instrument, including this trade
};

struct OrderView {
  const OrderUpdate& update;  // update.order is the order's state after the event
  const OrderEvent& event;
  const EventHeader& header;
};

struct AssetView {
  const AssetEvent& event;
  const Balances& balances;
  const EventHeader& header;
};

struct TickerView {
  InstrumentId instrument;
  const Ticker& ticker;
  const EventHeader& header;
};

// A status change the strategy may want to react to (stop quoting a stale book, say).
enum class StatusSubject : std::uint8_t {
  book,    // `instrument`'s book moved from `previous` to `current`
  feed,    // a control frame from a venue (connected, subscribed, error, ...): see `control`
  orders,  // the order stream became stale (events were dropped) or fresh again
  assets,  // the balance stream became stale or fresh again
};

struct StatusView {
  StatusSubject subject;
  InstrumentId instrument;
  BookStatus previous;
  BookStatus current;
  bool stale;               // orders/assets: true when the stream just went stale
  const Control* control;   // feed: the control event; nullptr otherwise
  const EventHeader& header;
};

// A strategy that wants nothing: replay and benchmarks use it to measure the engine alone.
struct NullStrategy {};

// Runtime-polymorphic adapter: derive from StrategyInterface, hand the engine a VirtualStrategy.
class StrategyInterface {
 public:
  virtual ~StrategyInterface() = default;
  virtual void on_book(const BookView&) noexcept {}
  virtual void on_trade(const TradeView&) noexcept {}
  virtual void on_order(const OrderView&) noexcept {}
  virtual void on_asset(const AssetView&) noexcept {}
  virtual void on_status(const StatusView&) noexcept {}
  virtual void on_ticker(const TickerView&) noexcept {}
};

struct VirtualStrategy {
  StrategyInterface* target;
  void on_book(const BookView& v) noexcept { target->on_book(v); }
  void on_trade(const TradeView& v) noexcept { target->on_trade(v); }
  void on_order(const OrderView& v) noexcept { target->on_order(v); }
  void on_asset(const AssetView& v) noexcept { target->on_asset(v); }
  void on_status(const StatusView& v) noexcept { target->on_status(v); }
  void on_ticker(const TickerView& v) noexcept { target->on_ticker(v); }
};

}  // namespace mde
