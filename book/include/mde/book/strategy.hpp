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
//     void on_trade(const TradeView& t) noexcept;    // a public trade (each id once per market)
//     void on_order(const OrderView& o) noexcept;    // an order event was applied
//     void on_asset(const AssetView& a) noexcept;    // balances changed
//     void on_status(const StatusView& s) noexcept;  // book status or feed status changed
//     void on_ticker(const TickerView& t) noexcept;  // a ticker (optional extra)
//     void on_idle() noexcept;  // the core loop found every queue empty (housekeeping, timers)
//   };
//
// on_idle runs between events, never during one, once per empty poll of the input queues: as
// often as every ~100 ns on a quiet feed, so it must be cheap (a load and a branch when nothing
// is due). It is how a strategy acts on time rather than on data (a quote that must be pulled
// after a deadline, a view that must be published while the feed is quiet).
//
// Checked at compile time (validate_strategy<S>(), which Engine<S> applies), so that a callback
// the engine would silently never call is an error with a clear message instead:
//  - a member named like a callback must have exactly that signature (`const` member functions
//    are accepted too); e.g. "on_book must be `void on_book(const mde::BookView&) noexcept`";
//  - a member whose name is a near miss of a callback is an error naming the callback meant.
//    The near misses checked: on_books, on_orderbook, on_order_book, on_depth, on_trades,
//    on_orders, on_assets, on_balance, on_balances, on_tick, on_tickers, on_statuses, on_state,
//    and the camel-case spellings onBook/OnBook, onTrade/OnTrade, onOrder/OnOrder,
//    onAsset/OnAsset, onStatus/OnStatus, onTicker/OnTicker;
//  - a strategy with no callback at all is an error, unless it says so on purpose with
//    `static constexpr bool kObservesNothing = true;` (NullStrategy).
// The checks see members by taking their address: an overloaded or template member of one of
// these names is reported as having the wrong signature. tests/book/strategy_check proves each
// message with a file that must fail to compile.
//
// VirtualStrategy is a convenience adapter for code that wants runtime polymorphism (one
// virtual call per callback; measure before using it on a hot path).
#pragma once

#include <cstdint>
#include <type_traits>

#include "mde/book/balances.hpp"
#include "mde/book/order_book.hpp"
#include "mde/book/order_tracker.hpp"
#include "mde/book/trade_stats.hpp"
#include "mde/core/events.hpp"

namespace mde {

struct BookView {
  InstrumentId instrument;
  const OrderBook& book;       // sorted, best first; book.last_change() says what moved
  const EventHeader& header;   // timestamps of the update that was applied (its last part)
  StaleReason stale_reason;    // book.stale_reason(): none unless a resetting snapshot crossed
};

struct TradeView {
  InstrumentId instrument;
  const Trade& trade;
  const EventHeader& header;
  const TradeStat& stats;  // running totals for the instrument, including this trade
};  // a trade whose id was already counted for its market is not passed on

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
  orders,  // the order stream of `connection` became stale (a gap) or fresh again
  assets,  // the balance stream of `connection` became stale or fresh again
};

struct StatusView {
  StatusSubject subject;
  InstrumentId instrument;
  BookStatus previous;
  // After the event. A book that went stale is reported once, usually already `resyncing`
  // (its resync request reached the feed); `stale` means the request is still to be sent.
  BookStatus current;
  bool stale;               // orders/assets: true when the stream just went stale
  StaleReason reason;       // why the book or stream went stale; none when it became fresh
  std::uint32_t connection; // the connection the event came on (header.connection)
  const Control* control;   // feed: the control event; nullptr otherwise
  const EventHeader& header;
};

// A strategy that wants nothing: replay and benchmarks use it to measure the engine alone.
struct NullStrategy {
  static constexpr bool kObservesNothing = true;
};

// ---- Compile-time checks -----------------------------------------------------------------

namespace strategy_detail {

// Whether a pointer to member is exactly `void (C::*)(const View&) noexcept` (or const).
template <class PM, class View>
struct is_callback : std::false_type {};
template <class C, class View>
struct is_callback<void (C::*)(const View&) noexcept, View> : std::true_type {};
template <class C, class View>
struct is_callback<void (C::*)(const View&) const noexcept, View> : std::true_type {};

// has_<name><S>: S has a member called <name> that can be named by address.
#define MDE_STRATEGY_MEMBER_PROBE(name) \
  template <class S>                    \
  inline constexpr bool has_##name = requires { &S::name; };

// A callback: has_<name><S>, and <name>_ok<S>() saying its signature is the one the engine calls
// (the address is taken only when the member exists).
#define MDE_STRATEGY_CALLBACK_PROBE(name, View)                            \
  MDE_STRATEGY_MEMBER_PROBE(name)                                          \
  template <class S>                                                       \
  consteval bool name##_ok() {                                             \
    if constexpr (has_##name<S>) {                                         \
      return is_callback<decltype(&S::name), View>::value;                 \
    } else {                                                               \
      return true;                                                         \
    }                                                                      \
  }

MDE_STRATEGY_CALLBACK_PROBE(on_book, BookView)
MDE_STRATEGY_CALLBACK_PROBE(on_trade, TradeView)
MDE_STRATEGY_CALLBACK_PROBE(on_order, OrderView)
MDE_STRATEGY_CALLBACK_PROBE(on_asset, AssetView)
MDE_STRATEGY_CALLBACK_PROBE(on_status, StatusView)
MDE_STRATEGY_CALLBACK_PROBE(on_ticker, TickerView)
#undef MDE_STRATEGY_CALLBACK_PROBE
// on_idle takes no view: its own probe.
MDE_STRATEGY_MEMBER_PROBE(on_idle)
template <class PM>
struct is_idle_callback : std::false_type {};
template <class C>
struct is_idle_callback<void (C::*)() noexcept> : std::true_type {};
template <class C>
struct is_idle_callback<void (C::*)() const noexcept> : std::true_type {};
template <class S>
consteval bool on_idle_ok() {
  if constexpr (has_on_idle<S>) {
    return is_idle_callback<decltype(&S::on_idle)>::value;
  } else {
    return true;
  }
}
// Near misses (see the header comment).
MDE_STRATEGY_MEMBER_PROBE(on_books)
MDE_STRATEGY_MEMBER_PROBE(on_orderbook)
MDE_STRATEGY_MEMBER_PROBE(on_order_book)
MDE_STRATEGY_MEMBER_PROBE(on_depth)
MDE_STRATEGY_MEMBER_PROBE(on_trades)
MDE_STRATEGY_MEMBER_PROBE(on_orders)
MDE_STRATEGY_MEMBER_PROBE(on_assets)
MDE_STRATEGY_MEMBER_PROBE(on_balance)
MDE_STRATEGY_MEMBER_PROBE(on_balances)
MDE_STRATEGY_MEMBER_PROBE(on_tick)
MDE_STRATEGY_MEMBER_PROBE(on_tickers)
MDE_STRATEGY_MEMBER_PROBE(on_statuses)
MDE_STRATEGY_MEMBER_PROBE(on_state)
MDE_STRATEGY_MEMBER_PROBE(onBook)
MDE_STRATEGY_MEMBER_PROBE(OnBook)
MDE_STRATEGY_MEMBER_PROBE(onTrade)
MDE_STRATEGY_MEMBER_PROBE(OnTrade)
MDE_STRATEGY_MEMBER_PROBE(onOrder)
MDE_STRATEGY_MEMBER_PROBE(OnOrder)
MDE_STRATEGY_MEMBER_PROBE(onAsset)
MDE_STRATEGY_MEMBER_PROBE(OnAsset)
MDE_STRATEGY_MEMBER_PROBE(onStatus)
MDE_STRATEGY_MEMBER_PROBE(OnStatus)
MDE_STRATEGY_MEMBER_PROBE(onTicker)
MDE_STRATEGY_MEMBER_PROBE(OnTicker)
#undef MDE_STRATEGY_MEMBER_PROBE

template <class S>
inline constexpr bool observes_nothing = requires {
  requires S::kObservesNothing;
};

}  // namespace strategy_detail

// One static_assert per callback and per near miss; the messages are what a user sees.
#define MDE_STRATEGY_CALLBACK_CHECK(name, View)   \
  static_assert(strategy_detail::name##_ok<S>(), \
                #name " must be `void " #name "(const mde::" #View "&) noexcept`");
#define MDE_STRATEGY_NEAR_MISS_CHECK(name, meant)                                              \
  static_assert(!strategy_detail::has_##name<S>,                                             \
                "`" #name "` is not a strategy callback: did you mean `" #meant "`?");

// Applied by Engine<S>: a compile error with a clear message for a callback with the wrong
// signature, a near-miss name, or a strategy without any callback (see the header comment).
template <class S>
consteval bool validate_strategy() {
  MDE_STRATEGY_CALLBACK_CHECK(on_book, BookView)
  MDE_STRATEGY_CALLBACK_CHECK(on_trade, TradeView)
  MDE_STRATEGY_CALLBACK_CHECK(on_order, OrderView)
  MDE_STRATEGY_CALLBACK_CHECK(on_asset, AssetView)
  MDE_STRATEGY_CALLBACK_CHECK(on_status, StatusView)
  MDE_STRATEGY_CALLBACK_CHECK(on_ticker, TickerView)
  static_assert(strategy_detail::on_idle_ok<S>(), "on_idle must be `void on_idle() noexcept`");
  MDE_STRATEGY_NEAR_MISS_CHECK(on_books, on_book)
  MDE_STRATEGY_NEAR_MISS_CHECK(on_orderbook, on_book)
  MDE_STRATEGY_NEAR_MISS_CHECK(on_order_book, on_book)
  MDE_STRATEGY_NEAR_MISS_CHECK(on_depth, on_book)
  MDE_STRATEGY_NEAR_MISS_CHECK(on_trades, on_trade)
  MDE_STRATEGY_NEAR_MISS_CHECK(on_orders, on_order)
  MDE_STRATEGY_NEAR_MISS_CHECK(on_assets, on_asset)
  MDE_STRATEGY_NEAR_MISS_CHECK(on_balance, on_asset)
  MDE_STRATEGY_NEAR_MISS_CHECK(on_balances, on_asset)
  MDE_STRATEGY_NEAR_MISS_CHECK(on_tick, on_ticker)
  MDE_STRATEGY_NEAR_MISS_CHECK(on_tickers, on_ticker)
  MDE_STRATEGY_NEAR_MISS_CHECK(on_statuses, on_status)
  MDE_STRATEGY_NEAR_MISS_CHECK(on_state, on_status)
  MDE_STRATEGY_NEAR_MISS_CHECK(onBook, on_book)
  MDE_STRATEGY_NEAR_MISS_CHECK(OnBook, on_book)
  MDE_STRATEGY_NEAR_MISS_CHECK(onTrade, on_trade)
  MDE_STRATEGY_NEAR_MISS_CHECK(OnTrade, on_trade)
  MDE_STRATEGY_NEAR_MISS_CHECK(onOrder, on_order)
  MDE_STRATEGY_NEAR_MISS_CHECK(OnOrder, on_order)
  MDE_STRATEGY_NEAR_MISS_CHECK(onAsset, on_asset)
  MDE_STRATEGY_NEAR_MISS_CHECK(OnAsset, on_asset)
  MDE_STRATEGY_NEAR_MISS_CHECK(onStatus, on_status)
  MDE_STRATEGY_NEAR_MISS_CHECK(OnStatus, on_status)
  MDE_STRATEGY_NEAR_MISS_CHECK(onTicker, on_ticker)
  MDE_STRATEGY_NEAR_MISS_CHECK(OnTicker, on_ticker)
  static_assert(strategy_detail::observes_nothing<S> || strategy_detail::has_on_book<S> ||
                    strategy_detail::has_on_trade<S> || strategy_detail::has_on_order<S> ||
                    strategy_detail::has_on_asset<S> || strategy_detail::has_on_status<S> ||
                    strategy_detail::has_on_ticker<S>,
                "a strategy must declare at least one callback (on_book, on_trade, on_order, "
                "on_asset, on_status, on_ticker), or `static constexpr bool kObservesNothing = "
                "true;`");
  return true;
}
#undef MDE_STRATEGY_CALLBACK_CHECK
#undef MDE_STRATEGY_NEAR_MISS_CHECK

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
  virtual void on_idle() noexcept {}
};

struct VirtualStrategy {
  StrategyInterface* target;
  void on_book(const BookView& v) noexcept { target->on_book(v); }
  void on_trade(const TradeView& v) noexcept { target->on_trade(v); }
  void on_order(const OrderView& v) noexcept { target->on_order(v); }
  void on_asset(const AssetView& v) noexcept { target->on_asset(v); }
  void on_status(const StatusView& v) noexcept { target->on_status(v); }
  void on_ticker(const TickerView& v) noexcept { target->on_ticker(v); }
  void on_idle() noexcept { target->on_idle(); }
};

}  // namespace mde
