// What `mde demo` and `mde live` show while a LiveRuntime runs: a sample strategy that keeps a
// small fixed-size picture of the engine (top of book per market, the last trades, our orders,
// feed events) and the frame-read -> callback latency, and a printer thread that shows it.
//
// The picture crosses threads without a lock: the printer raises `requested`; the core thread,
// at the end of its next callback or when it next finds its queues empty (on_idle), copies the
// picture into `published` and raises `ready`
// (release); the printer reads it after seeing `ready` (acquire) and lowers both. A callback pays
// one relaxed load when nobody asked. Nothing here allocates on the core thread.
//
// Thread: ViewStrategy's callbacks run on the core thread only; snapshot() on the printer thread.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>

#include "mde/book/callback_latency.hpp"
#include "mde/book/engine.hpp"
#include "mde/book/strategy.hpp"
#include "mde/core/clock.hpp"
#include "mde/core/latency_histogram.hpp"

namespace mde::tools {

struct ViewPicture {
  static constexpr std::size_t kMarkets = 16, kTrades = 8, kOrders = 8, kEvents = 6;
  struct Market {
    InstrumentId instrument = kNoInstrument;
    PriceLevel bid{}, ask{};
    bool has_bid = false, has_ask = false;
    BookStatus status = BookStatus::empty;
    StaleReason reason = StaleReason::none;
    std::uint64_t updates = 0, trades = 0, resyncs = 0;
  };
  struct TradeLine {
    InstrumentId instrument = kNoInstrument;
    Decimal price{}, qty{};
    Side side = Side::buy;
  };
  struct OrderLine {
    ExchangeId id{};
    InstrumentId instrument = kNoInstrument;
    OrderState state = OrderState::unknown;
    Side side = Side::buy;
    Decimal price{}, filled{}, qty{};
  };
  struct FeedLine {  // the latest feed events: errors, disconnects, stream gaps
    std::uint32_t connection = 0;
    ControlType type = ControlType::connected;
    std::int64_t code = 0;
    FixedString<47> topic{};
    FixedString<63> message{};
  };
  std::array<Market, kMarkets> markets{};
  std::array<TradeLine, kTrades> trades{};  // ring; next_trade is where the next one goes
  std::array<OrderLine, kOrders> orders{};  // most recently changed first
  std::array<FeedLine, kEvents> feed{};     // ring
  std::size_t market_count = 0, next_trade = 0, trade_count = 0, order_count = 0;
  std::size_t next_feed = 0, feed_count = 0;
  std::uint64_t callbacks = 0, book_updates = 0, trade_events = 0, order_events = 0;
  std::uint64_t asset_events = 0, errors = 0, disconnects = 0, stream_gaps = 0;
};

class ViewStrategy {
 public:
  void on_book(const BookView& b) noexcept {
    measure(b.header);
    ++picture_.book_updates;
    if (ViewPicture::Market* m = market(b.instrument)) {
      ++m->updates;
      const auto bid = b.book.best_bid();
      const auto ask = b.book.best_ask();
      m->has_bid = bid.has_value();
      m->has_ask = ask.has_value();
      if (bid) m->bid = *bid;
      if (ask) m->ask = *ask;
      m->status = b.book.status();
    }
    done();
  }
  void on_trade(const TradeView& t) noexcept {
    measure(t.header);
    ++picture_.trade_events;
    if (ViewPicture::Market* m = market(t.instrument)) ++m->trades;
    picture_.trades[picture_.next_trade] = {t.instrument, t.trade.price, t.trade.qty,
                                            t.trade.taker_side};
    picture_.next_trade = (picture_.next_trade + 1) % ViewPicture::kTrades;
    if (picture_.trade_count < ViewPicture::kTrades) ++picture_.trade_count;
    done();
  }
  void on_order(const OrderView& o) noexcept {
    measure(o.header);
    ++picture_.order_events;
    if (o.update.order != nullptr) remember(*o.update.order);
    done();
  }
  void on_asset(const AssetView& a) noexcept {
    measure(a.header);
    ++picture_.asset_events;
    done();
  }
  void on_status(const StatusView& s) noexcept {
    switch (s.subject) {
      case StatusSubject::book:
        if (ViewPicture::Market* m = market(s.instrument)) {
          m->status = s.current;
          if (s.current != BookStatus::live) m->reason = s.reason;
          if (s.current == BookStatus::resyncing) ++m->resyncs;
        }
        break;
      case StatusSubject::feed:
        if (s.control != nullptr && (s.control->type == ControlType::error ||
                                     s.control->type == ControlType::disconnected)) {
          ++(s.control->type == ControlType::error ? picture_.errors : picture_.disconnects);
          ViewPicture::FeedLine& f = picture_.feed[picture_.next_feed];
          f = {s.connection, s.control->type, s.control->error_code, s.control->topic,
               s.control->message};
          picture_.next_feed = (picture_.next_feed + 1) % ViewPicture::kEvents;
          if (picture_.feed_count < ViewPicture::kEvents) ++picture_.feed_count;
        }
        break;
      case StatusSubject::orders:
      case StatusSubject::assets:
        if (s.stale) ++picture_.stream_gaps;
        break;
    }
    done();
  }

  // A quiet feed: answer a pending request now rather than at the next callback (which could
  // be seconds away, leaving the printer with a picture older than the last events).
  void on_idle() noexcept { done(); }

  // Printer thread: the latest picture, or false when the core thread has not answered yet
  // (it answers at its next callback or empty poll).
  [[nodiscard]] bool snapshot(ViewPicture& out) noexcept {
    if (ready_.load(std::memory_order_acquire)) {
      out = published_;
      // The request is withdrawn before the picture is released: the other way round, a done()
      // in between published a picture for the old request, and the next snapshot() took that
      // one, a print interval old.
      requested_.store(false, std::memory_order_release);
      ready_.store(false, std::memory_order_release);  // the copy above is done before the next write
      return true;
    }
    requested_.store(true, std::memory_order_release);
    return false;
  }

  // After the run (the core thread joined): frame read -> callback entered, every callback.
  [[nodiscard]] const LatencyHistogram& read_to_callback() const noexcept {
    return latency_.read_to_callback;
  }
  [[nodiscard]] const ViewPicture& final_picture() const noexcept { return picture_; }

 private:
  void measure(const EventHeader& h) noexcept {
    ++picture_.callbacks;
    if (h.receive_ns != 0) latency_.record(h, 0);  // read -> callback only (no send stamps)
  }
  void done() noexcept {
    if (requested_.load(std::memory_order_relaxed) && !ready_.load(std::memory_order_acquire)) {
      published_ = picture_;
      ready_.store(true, std::memory_order_release);
    }
  }
  ViewPicture::Market* market(InstrumentId id) noexcept {
    if (id == kNoInstrument) return nullptr;
    for (std::size_t i = 0; i < picture_.market_count; ++i) {
      if (picture_.markets[i].instrument == id) return &picture_.markets[i];
    }
    if (picture_.market_count == ViewPicture::kMarkets) return nullptr;
    ViewPicture::Market& m = picture_.markets[picture_.market_count++];
    m.instrument = id;
    return &m;
  }
  void remember(const Order& o) noexcept {
    auto& lines = picture_.orders;
    std::size_t at = 0;
    while (at < picture_.order_count && !(lines[at].id == o.order_id)) ++at;
    if (at == picture_.order_count && picture_.order_count < ViewPicture::kOrders) {
      ++picture_.order_count;
    }
    if (at == ViewPicture::kOrders) at = ViewPicture::kOrders - 1;  // forget the oldest
    for (std::size_t k = at; k > 0; --k) lines[k] = lines[k - 1];  // most recent first
    lines[0] = {o.order_id, o.instrument, o.state, o.side, o.order_price, o.filled_qty, o.order_qty};
  }

  ViewPicture picture_{};  // core thread
  CallbackLatency latency_{};
  alignas(64) std::atomic<bool> requested_{false};
  alignas(64) std::atomic<bool> ready_{false};
  alignas(64) ViewPicture published_{};
};

}  // namespace mde::tools
