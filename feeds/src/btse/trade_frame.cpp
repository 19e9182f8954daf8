// BTSE public trade frames (`tradeHistoryApi:SYM`, protocols.md B6): `data` is a batch of
// trades whose size and price are bare JSON numbers, parsed exactly from their text (a Java
// service writes small values as `5.0E-4`). Every element is validated before any is emitted: one
// bad trade rejects the batch.
#include <charconv>
#include <cstdint>
#include <system_error>

#include "decoder_impl.hpp"
#include "mde/feeds/exact_number.hpp"

namespace mde::btse {

namespace {

enum TradeKey { kSymbol, kSide, kSize, kPrice, kTradeId, kTimestamp };
constexpr KeySpec kTradeKeys[] = {{"symbol", "symbol"},   {"side", "side"},
                                  {"size", "size"},       {"price", "price"},
                                  {"tradeId", "tradeId"}, {"timestamp", "timestamp"}};
constexpr const char* kTradeNames[] = {"data[].symbol",  "data[].side",    "data[].size",
                                       "data[].price",   "data[].tradeId", "data[].timestamp"};

// A bare JSON number holding an exact decimal (exponent form allowed). A string where the venue
// sends a number is the wrong type: it is not this protocol.
[[nodiscard]] DecodeStatus read_number_decimal(od::value& v, Decimal& out) noexcept {
  const std::string_view tok = json::trimmed_token(v);
  if (tok.empty()) return DecodeStatus::malformed_json;
  const char c = tok.front();
  if (c == '-' || (c >= '0' && c <= '9')) {
    if (!json::is_json_number(tok)) return DecodeStatus::malformed_json;
    return parse_json_number(tok, out) == DecimalError::ok ? DecodeStatus::ok
                                                           : DecodeStatus::bad_number;
  }
  if (c == '"' || c == '{' || c == '[') return DecodeStatus::wrong_type;
  if (tok == "true" || tok == "false") return DecodeStatus::wrong_type;
  return DecodeStatus::malformed_json;  // null was handled by for_each_field
}

// `tradeId`, a JSON integer (a Java long), kept as its decimal digits. Leading zeros cannot
// occur (JSON forbids them), so the digits are the canonical text.
[[nodiscard]] DecodeStatus read_trade_id(od::value& v, ExchangeId& out) noexcept {
  const std::string_view tok = json::trimmed_token(v);
  if (tok.empty()) return DecodeStatus::malformed_json;
  const char c = tok.front();
  if (c == '"' || c == '{' || c == '[' || c == 't' || c == 'f') return DecodeStatus::wrong_type;
  if (!json::is_json_number(tok)) return DecodeStatus::malformed_json;
  std::uint64_t id;  // a negative, fractional, exponent or out-of-range id is not an id
  const auto [end, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), id);
  if (ec != std::errc() || end != tok.data() + tok.size()) return DecodeStatus::bad_number;
  return out.assign(tok) ? DecodeStatus::ok : DecodeStatus::field_too_long;
}

}  // namespace

DecodeResult Decoder::Impl::parse_trades(od::value data) noexcept {
  const char* field_name = "data";
  od::json_type t;
  if (auto e = data.type().get(t)) return {json::map_error(e), field_name};
  if (t != od::json_type::array) return {DecodeStatus::wrong_type, field_name};
  od::array arr;
  if (auto e = data.get_array().get(arr)) return {json::map_error(e), field_name};
  for (auto er : arr) {
    od::value ev;
    if (auto e = std::move(er).get(ev)) return {json::map_error(e), field_name};
    if (out.trade_count == kMaxTradesPerFrame) return {DecodeStatus::too_many_events, field_name};
    if (DecodeResult r = parse_trade(ev, out.trades[out.trade_count]); !r.ok()) return r;
    ++out.trade_count;
  }
  out.kind = FrameKind::trades;
  return {};
}

DecodeResult Decoder::Impl::parse_trade(od::value element, ParsedTrade& pt) noexcept {
  Trade& t = pt.trade;
  std::string_view symbol;
  std::int64_t ts = 0;
  SeenKeys seen;
  DecodeResult r = json::for_each_field(element, kTradeKeys, kTradeNames, Format::long_keys,
                                        "data[]", seen, [&](int index, od::value& v) -> DecodeStatus {
    std::string_view text;
    DecodeStatus s = DecodeStatus::ok;
    switch (index) {
      case kSymbol: return json::read_token(v, symbol);
      case kSide:
        if ((s = json::read_token(v, text)) != DecodeStatus::ok) return s;
        // BTSE does not say whose side this is; conventionally, and here, the aggressor's.
        if (json::same_short_text(text, "BUY")) t.taker_side = Side::buy;
        else if (json::same_short_text(text, "SELL")) t.taker_side = Side::sell;
        else return DecodeStatus::bad_value;
        return s;
      case kSize:
        s = read_number_decimal(v, t.qty);
        return s == DecodeStatus::ok && t.qty.is_negative() ? DecodeStatus::bad_number : s;
      case kPrice:
        s = read_number_decimal(v, t.price);
        return s == DecodeStatus::ok && t.price.mantissa() <= 0 ? DecodeStatus::bad_number : s;
      case kTradeId: return read_trade_id(v, t.id);
      case kTimestamp: return read_epoch(v, ts);
    }
    return s;
  });
  if (!r.ok()) return r;
  if (r = json::require(seen, bits(kSymbol, kSide, kSize, kPrice, kTradeId, kTimestamp),
                        kTradeNames);
      !r.ok()) {
    return r;
  }
  if (ts == 0) return {DecodeStatus::missing_field, "data[].timestamp"};  // 0 is "absent"
  if (r = resolve(symbol, pt.instrument, "data[].symbol"); !r.ok()) return r;
  pt.exchange_ns = ts;
  return {};
}

}  // namespace mde::btse
