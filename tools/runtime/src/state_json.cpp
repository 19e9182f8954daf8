#include "mde/runtime/state_json.hpp"

#include <cstdio>

namespace mde {

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

std::string venue_key(Venue venue, std::string_view id) {
  std::string key(to_string(venue));
  key += ':';
  key += id;
  return key;
}

std::string market_key(const InstrumentRegistry& registry, InstrumentId id) {
  return venue_key(registry.venue(id), registry.name(id));
}

std::vector<InstrumentId> markets_by_name(const InstrumentRegistry& registry) {
  std::vector<InstrumentId> ids;
  for (std::size_t i = 0; i < registry.size(); ++i) ids.push_back(static_cast<InstrumentId>(i));
  std::sort(ids.begin(), ids.end(), [&](InstrumentId a, InstrumentId b) {
    return market_key(registry, a) < market_key(registry, b);
  });
  return ids;
}

void accumulate(replay::ProducerStats& total, const replay::ProducerStats& input) {
  total.frames += input.frames;
  total.bytes += input.bytes;
  total.data += input.data;
  total.control += input.control;
  total.rejected += input.rejected;
  total.dropped += input.dropped;
  total.drop_notices += input.drop_notices;
  total.resync_requests += input.resync_requests;
  total.connections_refused += input.connections_refused;
  for (std::size_t i = 0; i < total.rejected_by_reason.size(); ++i) {
    total.rejected_by_reason[i] += input.rejected_by_reason[i];
  }
  for (std::size_t i = 0; i < input.rejection_samples; ++i) {
    if (total.rejection_samples == total.first_rejections.size()) break;
    total.first_rejections[total.rejection_samples++] = input.first_rejections[i];
  }
  total.decode.merge(input.decode);
}

void append_frames_json(std::string& out, const replay::ProducerStats& f) {
  out += "{\"total\": " + std::to_string(f.frames) + ", \"data\": " + std::to_string(f.data) +
         ", \"control\": " + std::to_string(f.control) +
         ", \"rejected\": " + std::to_string(f.rejected) + ", \"rejected_by_reason\": {";
  bool first = true;
  for (std::size_t i = 0; i < f.rejected_by_reason.size(); ++i) {
    if (f.rejected_by_reason[i] == 0) continue;
    if (!first) out += ", ";
    first = false;
    append_json_string(out, to_string(static_cast<DecodeStatus>(i)));
    out += ": " + std::to_string(f.rejected_by_reason[i]);
  }
  out += "}}";
}

namespace {

void append_levels(std::string& out, std::span<const PriceLevel> levels) {
  out += '[';
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (i) out += ", ";
    out += "[\"" + levels[i].price.to_string() + "\", \"" + levels[i].qty.to_string() + "\"]";
  }
  out += ']';
}

}  // namespace

void append_book_json(std::string& out, const OrderBook& book, std::int64_t exchange_ns,
                      Venue venue) {
  out += "{\"status\": \"";
  out += to_string(book.status());
  if (venue == Venue::btse) {
    out += "\", \"seq\": " + std::to_string(book.last_id());
  } else {
    out += "\", \"id\": \"" + std::to_string(book.last_id()) + '"';
  }
  out += ", \"timestamp_ms\": " + std::to_string(exchange_ns / 1'000'000) + ",\n      \"bids\": ";
  append_levels(out, book.bids());
  out += ",\n      \"asks\": ";
  append_levels(out, book.asks());
  out += '}';
}

void append_trade_json(std::string& out, const TradeStat& s) {
  out += "{\"count\": " + std::to_string(s.count) + ", \"volume\": \"" + s.volume.to_string() +
         "\", \"notional\": \"" + s.notional.to_string() + "\", \"last_id\": ";
  append_json_string(out, s.last_id.view());
  out += ", \"last_price\": \"" + s.last_price.to_string() +
         "\", \"buyer_taker_count\": " + std::to_string(s.buyer_taker_count) + '}';
}

void append_order_json(std::string& out, const Order& o, const InstrumentRegistry& registry) {
  out += "{\"market\": ";
  append_json_string(out, registry.name(o.instrument));
  out += ", \"side\": \"";
  out += to_string(o.side);
  out += "\", \"type\": \"";
  out += to_string(o.order_type);
  out += "\", \"state\": \"";
  out += to_string(o.state);
  out += "\", \"filled_qty\": \"" + o.filled_qty.to_string() + "\", \"filled_notional\": \"" +
         o.filled_notional.to_string() + "\", \"fees\": \"" + o.fees.to_string() +
         "\", \"fills\": " + std::to_string(o.fill_count) + ", \"user_order_id\": ";
  if (o.client_order_id.empty()) out += "null";
  else append_json_string(out, o.client_order_id.view());
  out += '}';
}

}  // namespace mde
