// The final-state report of a replay: `--dump-state OUT.json` and the human summary.
//
// Decimals are canonical strings (no exponent, no trailing fractional zeros, "0" for zero).
// Output is deterministic: books and trades by market name, orders in first-seen order, assets
// in first-seen order, so two replays of one capture produce identical bytes.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "mde/book/engine.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/replay/replay_producer.hpp"

namespace mde {

// Appends `s` as a JSON string literal (quoted, escaped).
void append_json_string(std::string& out, std::string_view s);

// Market ids seen by the registry, sorted by their "venue:market" key.
[[nodiscard]] std::vector<InstrumentId> markets_by_name(const InstrumentRegistry& registry);
// "coinone:XRP-KRW": the key books and trades are listed under.
[[nodiscard]] std::string market_key(const InstrumentRegistry& registry, InstrumentId id);
// "btse:1234" / "coinone:KRW": the key orders and assets are listed under.
[[nodiscard]] std::string venue_key(Venue venue, std::string_view id);
// Adds one input's frame counts to a run total.
void accumulate(replay::ProducerStats& total, const replay::ProducerStats& input);

void append_frames_json(std::string& out, const replay::ProducerStats& frames);
// `venue` decides how the book's position in its stream is shown: a Coinone book id as a string
// ("id"), a BTSE sequence number as an integer ("seq").
void append_book_json(std::string& out, const OrderBook& book, std::int64_t exchange_ns,
                      Venue venue);
void append_trade_json(std::string& out, const TradeStat& stat);
void append_order_json(std::string& out, const Order& order, const InstrumentRegistry& registry);

template <class Strategy>
std::string state_json(const Engine<Strategy>& engine, const replay::ProducerStats& frames,
                       const InstrumentRegistry& registry) {
  std::string out = "{\n  \"frames\": ";
  append_frames_json(out, frames);
  const std::vector<InstrumentId> markets = markets_by_name(registry);

  out += ",\n  \"books\": {";
  bool first = true;
  for (InstrumentId id : markets) {
    const OrderBook* book = engine.book(id);
    if (book == nullptr) continue;
    out += first ? "\n    " : ",\n    ";
    first = false;
    append_json_string(out, market_key(registry, id));
    out += ": ";
    append_book_json(out, *book, engine.book_exchange_ns(id), registry.venue(id));
  }
  out += first ? "}" : "\n  }";

  out += ",\n  \"trades\": {";
  first = true;
  for (InstrumentId id : markets) {
    const TradeStat* stat = engine.trades().find(id);
    if (stat == nullptr) continue;
    out += first ? "\n    " : ",\n    ";
    first = false;
    append_json_string(out, market_key(registry, id));
    out += ": ";
    append_trade_json(out, *stat);
  }
  out += first ? "}" : "\n  }";

  out += ",\n  \"orders\": {";
  first = true;
  engine.orders().for_each([&](const Order& order) {
    out += first ? "\n    " : ",\n    ";
    first = false;
    append_json_string(out, venue_key(order.venue, order.order_id.view()));
    out += ": ";
    append_order_json(out, order, registry);
  });
  out += first ? "}" : "\n  }";

  out += ",\n  \"assets\": {";
  first = true;
  for (const Balance& b : engine.balances().all()) {
    out += first ? "\n    " : ",\n    ";
    first = false;
    append_json_string(out, venue_key(b.venue, b.currency.view()));
    out += ": {\"available\": \"" + b.available.to_string() + "\", \"locked\": \"" +
           b.locked.to_string() + "\"}";
  }
  out += first ? "}" : "\n  }";
  out += "\n}\n";
  return out;
}

}  // namespace mde
