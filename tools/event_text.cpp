#include "event_text.hpp"

#include <string>

namespace mde::tools {

std::string_view to_string(OrderEventType t) noexcept {
  switch (t) {
    case OrderEventType::unknown: return "unknown";
    case OrderEventType::pending_trigger: return "pending_trigger";
    case OrderEventType::open: return "open";
    case OrderEventType::fill: return "fill";
    case OrderEventType::filled: return "filled";
    case OrderEventType::cancelled: return "cancelled";
    case OrderEventType::cancelled_post_only: return "cancelled_post_only";
    case OrderEventType::rejected: return "rejected";
  }
  return "?";
}
std::string_view to_string(AssetChangeReason r) noexcept {
  switch (r) {
    case AssetChangeReason::unknown: return "unknown";
    case AssetChangeReason::deposit: return "deposit";
    case AssetChangeReason::withdrawal: return "withdrawal";
    case AssetChangeReason::cancel_withdrawal: return "cancel_withdrawal";
    case AssetChangeReason::order: return "order";
    case AssetChangeReason::trade: return "trade";
    case AssetChangeReason::cancel: return "cancel";
    case AssetChangeReason::cancel_post_only: return "cancel_post_only";
  }
  return "?";
}
std::string_view to_string(ControlType t) noexcept {
  switch (t) {
    case ControlType::connected: return "connected";
    case ControlType::subscribed: return "subscribed";
    case ControlType::unsubscribed: return "unsubscribed";
    case ControlType::pong: return "pong";
    case ControlType::error: return "error";
    case ControlType::dropped: return "dropped";
    case ControlType::disconnected: return "disconnected";
    case ControlType::rejected: return "rejected";
  }
  return "?";
}
std::string_view to_string(Channel c) noexcept {
  switch (c) {
    case Channel::none: return "none";
    case Channel::book: return "book";
    case Channel::trade: return "trade";
    case Channel::ticker: return "ticker";
    case Channel::candles: return "candles";
    case Channel::orders: return "orders";
    case Channel::assets: return "assets";
  }
  return "?";
}

namespace {

void levels(std::string& s, const char* name, const PriceLevel* lv, int n) {
  s += ' ';
  s += name;
  s += "=[";
  for (int i = 0; i < n; ++i) {
    if (i) s += ' ';
    s += lv[i].price.to_string() + '@' + lv[i].qty.to_string();
  }
  s += ']';
}

void opt(std::string& s, const OrderEvent& o, OrderField f, const char* name, Decimal v) {
  if (!o.has(f)) return;
  s += ' ';
  s += name;
  s += '=';
  s += v.to_string();
}

}  // namespace

std::string describe(const Event& e, const InstrumentRegistry& registry) {
  std::string s;
  const std::string market(e.header.instrument == kNoInstrument
                               ? std::string_view("-")
                               : registry.name(e.header.instrument));
  auto head = [&](const char* kind) {
    s = kind;
    s += ' ';
    s += market;
    s += " ts_ns=" + std::to_string(e.header.exchange_ns);
  };
  switch (e.header.kind) {
    case EventKind::none: return "none";
    case EventKind::book:
      head("book");
      s += " id=" + std::to_string(e.book.id);
      levels(s, "bids", e.book.bids, e.book.bid_count);
      levels(s, "asks", e.book.asks, e.book.ask_count);
      return s;
    case EventKind::trade:
      head("trade");
      s += " id=" + std::string(e.trade.id.view()) + " price=" + e.trade.price.to_string() +
           " qty=" + e.trade.qty.to_string() + " taker=" + std::string(to_string(e.trade.taker_side));
      return s;
    case EventKind::ticker: {
      const Ticker& t = e.ticker;
      head("ticker");
      s += " id=" + std::to_string(t.id) + " last=" + t.last.to_string() + " high=" +
           t.high.to_string() + " low=" + t.low.to_string() + " first=" + t.first.to_string() +
           " quote_volume=" + t.quote_volume.to_string() +
           " target_volume=" + t.target_volume.to_string();
      s += " bid=" + (t.present & kTickerBidBestPrice ? t.bid_best_price.to_string() : "null");
      s += " ask=" + (t.present & kTickerAskBestPrice ? t.ask_best_price.to_string() : "null");
      return s;
    }
    case EventKind::order: {
      const OrderEvent& o = e.order;
      head("order");
      s += " order_id=" + std::string(o.order_id.view()) + " event=" +
           std::string(to_string(o.type)) + " (" + std::string(o.venue_status.view()) + ")" +
           " side=" + std::string(to_string(o.side)) +
           " type=" + std::string(to_string(o.order_type));
      opt(s, o, kOrderPrice, "order_price", o.order_price);
      opt(s, o, kOrderQty, "order_qty", o.order_qty);
      opt(s, o, kOrderAmount, "order_amount", o.order_amount);
      if (o.has(kTradeId)) s += " trade_id=" + std::string(o.trade_id.view());
      opt(s, o, kExecutedPrice, "executed_price", o.executed_price);
      opt(s, o, kExecutedQty, "executed_qty", o.executed_qty);
      opt(s, o, kExecutedFee, "executed_fee", o.executed_fee);
      opt(s, o, kRemainQty, "remain_qty", o.remain_qty);
      opt(s, o, kRemainAmount, "remain_amount", o.remain_amount);
      if (o.has(kClientOrderId)) s += " user_order_id=" + std::string(o.client_order_id.view());
      if (o.is_maker != Tristate::unknown) {
        s += o.is_maker == Tristate::yes ? " maker" : " taker";
      }
      return s;
    }
    case EventKind::asset: {
      const AssetEvent& a = e.asset;
      head("asset");
      s += " reason=" + std::string(to_string(a.reason));
      for (int i = 0; i < a.count; ++i) {
        s += ' ' + std::string(a.assets[i].currency.view()) + ":available=" +
             a.assets[i].available.to_string() + ",locked=" + a.assets[i].locked.to_string();
      }
      return s;
    }
    case EventKind::control: {
      const Control& c = e.control;
      s = "control " + std::string(to_string(c.type)) + " channel=" +
          std::string(to_string(c.channel)) + " market=" + market;
      if (c.topic_count > 1) s += " topics=" + std::to_string(c.topic_count);
      if (!c.session_id.empty()) s += " session_id=" + std::string(c.session_id.view());
      if (c.type == ControlType::error) {
        s += " code=" + std::to_string(c.error_code) + " message=\"" +
             std::string(c.message.view()) + "\"";
        if (!c.field.empty()) s += " field=" + std::string(c.field.view());
      }
      return s;
    }
  }
  return "?";
}

std::string describe(DecodeResult r) {
  std::string s = "rejected: ";
  s += to_string(r.status);
  if (r.field && *r.field) {
    s += " (";
    s += r.field;
    s += ')';
  }
  return s;
}

}  // namespace mde::tools
