#include "support/event_compare.hpp"

#include <string>

namespace mde::test {
namespace {

// Collects the first difference, with the field's name.
class Diff {
 public:
  template <class T>
  void check(const char* name, const T& a, const T& b) {
    if (!failed_ && !(a == b)) {
      failed_ = true;
      what_ = name;
    }
  }
  template <class T>
  void check_at(const char* array, std::size_t i, const char* member, const T& a, const T& b) {
    if (!failed_ && !(a == b)) {
      failed_ = true;
      what_ = std::string(array) + "[" + std::to_string(i) + "]." + member;
    }
  }
  [[nodiscard]] ::testing::AssertionResult result() const {
    if (!failed_) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "events differ at " << what_;
  }
  [[nodiscard]] bool failed() const noexcept { return failed_; }

 private:
  bool failed_ = false;
  std::string what_;
};

void compare_book(Diff& d, const BookUpdate& a, const BookUpdate& b) {
  d.check("book.id", a.id, b.id);
  d.check("book.prev_id", a.prev_id, b.prev_id);
  d.check("book.action", a.action, b.action);
  d.check("book.bid_count", a.bid_count, b.bid_count);
  d.check("book.ask_count", a.ask_count, b.ask_count);
  d.check("book.part_flags", a.part_flags, b.part_flags);
  if (d.failed()) return;
  for (std::size_t i = 0; i < a.bid_count && i < kMaxBookLevels; ++i) {
    d.check_at("book.bids", i, "price", a.bids[i].price, b.bids[i].price);
    d.check_at("book.bids", i, "qty", a.bids[i].qty, b.bids[i].qty);
  }
  for (std::size_t i = 0; i < a.ask_count && i < kMaxBookLevels; ++i) {
    d.check_at("book.asks", i, "price", a.asks[i].price, b.asks[i].price);
    d.check_at("book.asks", i, "qty", a.asks[i].qty, b.asks[i].qty);
  }
}

void compare_trade(Diff& d, const Trade& a, const Trade& b) {
  d.check("trade.id", a.id, b.id);
  d.check("trade.price", a.price, b.price);
  d.check("trade.qty", a.qty, b.qty);
  d.check("trade.taker_side", a.taker_side, b.taker_side);
}

void compare_ticker(Diff& d, const Ticker& a, const Ticker& b) {
  d.check("ticker.id", a.id, b.id);
  d.check("ticker.quote_volume", a.quote_volume, b.quote_volume);
  d.check("ticker.target_volume", a.target_volume, b.target_volume);
  d.check("ticker.yesterday_quote_volume", a.yesterday_quote_volume, b.yesterday_quote_volume);
  d.check("ticker.yesterday_target_volume", a.yesterday_target_volume, b.yesterday_target_volume);
  d.check("ticker.high", a.high, b.high);
  d.check("ticker.low", a.low, b.low);
  d.check("ticker.first", a.first, b.first);
  d.check("ticker.last", a.last, b.last);
  d.check("ticker.yesterday_high", a.yesterday_high, b.yesterday_high);
  d.check("ticker.yesterday_low", a.yesterday_low, b.yesterday_low);
  d.check("ticker.yesterday_first", a.yesterday_first, b.yesterday_first);
  d.check("ticker.yesterday_last", a.yesterday_last, b.yesterday_last);
  d.check("ticker.volume_power", a.volume_power, b.volume_power);
  d.check("ticker.present", a.present, b.present);
  if (d.failed()) return;
  if (a.present & kTickerAskBestPrice) d.check("ticker.ask_best_price", a.ask_best_price, b.ask_best_price);
  if (a.present & kTickerAskBestQty) d.check("ticker.ask_best_qty", a.ask_best_qty, b.ask_best_qty);
  if (a.present & kTickerBidBestPrice) d.check("ticker.bid_best_price", a.bid_best_price, b.bid_best_price);
  if (a.present & kTickerBidBestQty) d.check("ticker.bid_best_qty", a.bid_best_qty, b.bid_best_qty);
}

void compare_order(Diff& d, const OrderEvent& a, const OrderEvent& b) {
  d.check("order.order_id", a.order_id, b.order_id);
  d.check("order.venue_status", a.venue_status, b.venue_status);
  d.check("order.type", a.type, b.type);
  d.check("order.side", a.side, b.side);
  d.check("order.order_type", a.order_type, b.order_type);
  d.check("order.is_maker", a.is_maker, b.is_maker);
  d.check("order.executed_ns", a.executed_ns, b.executed_ns);
  d.check("order.order_ns", a.order_ns, b.order_ns);
  d.check("order.present", a.present, b.present);
  if (d.failed()) return;
  struct Optional {
    OrderField bit;
    const char* name;
    Decimal OrderEvent::*member;
  };
  static constexpr Optional kDecimals[] = {
      {kOrderPrice, "order.order_price", &OrderEvent::order_price},
      {kOrderQty, "order.order_qty", &OrderEvent::order_qty},
      {kOrderAmount, "order.order_amount", &OrderEvent::order_amount},
      {kExecutedPrice, "order.executed_price", &OrderEvent::executed_price},
      {kExecutedQty, "order.executed_qty", &OrderEvent::executed_qty},
      {kExecutedFee, "order.executed_fee", &OrderEvent::executed_fee},
      {kRemainQty, "order.remain_qty", &OrderEvent::remain_qty},
      {kRemainAmount, "order.remain_amount", &OrderEvent::remain_amount},
      {kPreventedQty, "order.prevented_qty", &OrderEvent::prevented_qty},
  };
  for (const Optional& o : kDecimals) {
    if (a.has(o.bit)) d.check(o.name, a.*o.member, b.*o.member);
  }
  if (a.has(kTradeId)) d.check("order.trade_id", a.trade_id, b.trade_id);
  if (a.has(kClientOrderId)) d.check("order.client_order_id", a.client_order_id, b.client_order_id);
}

void compare_asset(Diff& d, const AssetEvent& a, const AssetEvent& b) {
  d.check("asset.count", a.count, b.count);
  d.check("asset.reason", a.reason, b.reason);
  d.check("asset.order_id", a.order_id, b.order_id);
  d.check("asset.trade_id", a.trade_id, b.trade_id);
  d.check("asset.client_order_id", a.client_order_id, b.client_order_id);
  if (d.failed()) return;
  for (std::size_t i = 0; i < a.count && i < kMaxAssetsPerEvent; ++i) {
    d.check_at("asset.assets", i, "currency", a.assets[i].currency, b.assets[i].currency);
    d.check_at("asset.assets", i, "available", a.assets[i].available, b.assets[i].available);
    d.check_at("asset.assets", i, "locked", a.assets[i].locked, b.assets[i].locked);
  }
}

void compare_control(Diff& d, const Control& a, const Control& b) {
  d.check("control.type", a.type, b.type);
  d.check("control.channel", a.channel, b.channel);
  d.check("control.topic_count", a.topic_count, b.topic_count);
  d.check("control.session_id", a.session_id, b.session_id);
  d.check("control.message", a.message, b.message);
  d.check("control.field", a.field, b.field);
  d.check("control.topic", a.topic, b.topic);
  d.check("control.error_code", a.error_code, b.error_code);
}

}  // namespace

::testing::AssertionResult events_equal(const Event& a, const Event& b) {
  Diff d;
  d.check("header.kind", a.header.kind, b.header.kind);
  d.check("header.venue", a.header.venue, b.header.venue);
  d.check("header.instrument", a.header.instrument, b.header.instrument);
  d.check("header.exchange_ns", a.header.exchange_ns, b.header.exchange_ns);
  d.check("header.connection", a.header.connection, b.header.connection);
  if (d.failed()) return d.result();
  switch (a.header.kind) {
    case EventKind::none: break;
    case EventKind::book: compare_book(d, a.book, b.book); break;
    case EventKind::trade: compare_trade(d, a.trade, b.trade); break;
    case EventKind::ticker: compare_ticker(d, a.ticker, b.ticker); break;
    case EventKind::order: compare_order(d, a.order, b.order); break;
    case EventKind::asset: compare_asset(d, a.asset, b.asset); break;
    case EventKind::control: compare_control(d, a.control, b.control); break;
  }
  return d.result();
}

}  // namespace mde::test
