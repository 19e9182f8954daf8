// Strict shape check of generated BTSE frames with simdjson's DOM.
#include "btse_generator_support.hpp"

#include <simdjson.h>

#include <algorithm>
#include <initializer_list>

#include "mde/core/decimal.hpp"

namespace mde::sample::testing {

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// True when the object has exactly these keys (each once).
bool has_exactly(object o, std::initializer_list<std::string_view> keys) {
  std::size_t n = 0;
  for (const auto field : o) {
    if (std::find(keys.begin(), keys.end(), field.key) == keys.end()) return false;
    ++n;
  }
  return n == keys.size();
}

// The text of each bare value after `"key":` in order of appearance (the DOM keeps only doubles).
std::vector<std::string> raw_values(std::string_view text, std::string_view key) {
  std::vector<std::string> values;
  std::string needle(1, '"');  // built by appends: GCC 12 warns falsely on "\"" + std::string
  needle.append(key);
  needle.append("\":");
  for (std::size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + 1)) {
    const std::size_t begin = at + needle.size();
    const std::size_t end = text.find_first_of(",}", begin);
    values.emplace_back(text.substr(begin, end - begin));
  }
  return values;
}

bool levels(element e, std::vector<BtseLevel>& out) {
  array a;
  if (e.get_array().get(a) != simdjson::SUCCESS) return false;
  for (const element level : a) {
    array pair;
    if (level.get_array().get(pair) != simdjson::SUCCESS || pair.size() != 2) return false;
    std::string_view price, size;
    if (pair.at(0).get_string().get(price) != simdjson::SUCCESS) return false;
    if (pair.at(1).get_string().get(size) != simdjson::SUCCESS) return false;
    out.push_back({std::string(price), std::string(size)});
  }
  return true;
}

BtseFrame bad(std::string why) {
  BtseFrame f;
  f.why = std::move(why);
  return f;
}

}  // namespace

BtseFrame parse_btse(std::string_view text) {
  if (text == "pong") {
    BtseFrame f;
    f.kind = BtseFrame::Kind::pong;
    return f;
  }
  static simdjson::dom::parser parser;
  element doc;
  if (parser.parse(simdjson::padded_string(text)).get(doc) != simdjson::SUCCESS) {
    return bad("not JSON");
  }
  object root;
  if (doc.get_object().get(root) != simdjson::SUCCESS) return bad("not an object");
  BtseFrame f;
  std::string_view s;
  if (root["event"].get_string().get(s) == simdjson::SUCCESS) {
    if (!has_exactly(root, {"event", "channel"})) return bad("ack keys");
    f.event = s;
    array channels;
    if (root["channel"].get_array().get(channels) != simdjson::SUCCESS) return bad("channel");
    for (const element c : channels) {
      if (c.get_string().get(s) != simdjson::SUCCESS) return bad("channel entry");
      f.channels.emplace_back(s);
    }
    f.kind = BtseFrame::Kind::ack;
    return f;
  }
  if (!has_exactly(root, {"topic", "data"})) return bad("envelope keys");
  if (root["topic"].get_string().get(s) != simdjson::SUCCESS) return bad("topic");
  f.topic = s;
  if (f.topic.starts_with("update:")) {
    object d;
    if (root["data"].get_object().get(d) != simdjson::SUCCESS) return bad("book data");
    if (!has_exactly(d, {"bids", "asks", "seqNum", "prevSeqNum", "type", "timestamp", "symbol"})) {
      return bad("book keys");
    }
    BtseBook& b = f.book;
    b.topic = f.topic;
    if (!levels(d["bids"], b.bids) || !levels(d["asks"], b.asks)) return bad("levels");
    if (d["seqNum"].get_int64().get(b.seq) != simdjson::SUCCESS) return bad("seqNum");
    if (d["prevSeqNum"].get_int64().get(b.prev) != simdjson::SUCCESS) return bad("prevSeqNum");
    if (d["timestamp"].get_int64().get(b.timestamp) != simdjson::SUCCESS) return bad("timestamp");
    if (d["type"].get_string().get(s) != simdjson::SUCCESS) return bad("type");
    b.type = s;
    if (b.type != "snapshot" && b.type != "delta") return bad("type value");
    if (d["symbol"].get_string().get(s) != simdjson::SUCCESS) return bad("symbol");
    b.symbol = s;
    f.kind = BtseFrame::Kind::book;
    return f;
  }
  if (f.topic.starts_with("tradeHistoryApi:")) {
    array data;
    if (root["data"].get_array().get(data) != simdjson::SUCCESS) return bad("trade data");
    const std::vector<std::string> sizes = raw_values(text, "size");
    const std::vector<std::string> prices = raw_values(text, "price");
    if (sizes.size() != data.size() || prices.size() != data.size()) return bad("numbers");
    std::size_t i = 0;
    for (const element e : data) {
      object t;
      if (e.get_object().get(t) != simdjson::SUCCESS) return bad("trade");
      if (!has_exactly(t, {"symbol", "side", "size", "price", "tradeId", "timestamp"})) {
        return bad("trade keys");
      }
      BtseTrade trade;
      if (t["symbol"].get_string().get(s) != simdjson::SUCCESS) return bad("trade symbol");
      trade.symbol = s;
      if (t["side"].get_string().get(s) != simdjson::SUCCESS) return bad("side");
      trade.side = s;
      for (const char* number : {"size", "price"}) {
        const element_type type = t[number].type();
        if (type != element_type::DOUBLE && type != element_type::INT64 &&
            type != element_type::UINT64) {
          return bad(std::string(number) + " is not a bare number");
        }
      }
      if (t["tradeId"].get_int64().get(trade.id) != simdjson::SUCCESS) return bad("tradeId");
      if (t["timestamp"].get_int64().get(trade.timestamp) != simdjson::SUCCESS) {
        return bad("trade timestamp");
      }
      trade.size = sizes[i];
      trade.price = prices[i];
      f.trades.push_back(std::move(trade));
      ++i;
    }
    if (f.trades.empty()) return bad("empty batch");
    f.kind = BtseFrame::Kind::trades;
    return f;
  }
  return bad("unknown topic");
}

std::optional<std::int64_t> decimal_e8(std::string_view text) {
  Decimal d;
  if (text.empty() || text.front() == '-' || Decimal::parse(text, d) != DecimalError::ok) {
    return std::nullopt;
  }
  return d.mantissa();
}

std::optional<std::int64_t> java_number_e8(std::string_view text) {
  const std::size_t e = text.find('E');
  if (e == std::string_view::npos) {
    // Plain: digits '.' digits, no trailing zero unless the fraction is exactly "0".
    const std::size_t dot = text.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size()) return std::nullopt;
    if (text.back() == '0' && text.size() != dot + 2) return std::nullopt;
    const auto v = decimal_e8(text);
    if (!v || *v < 100'000 || *v >= 10'000'000LL * 100'000'000) return std::nullopt;
    return v;
  }
  // d.ddd E-n: one non-zero leading digit, a fraction without trailing zeros (or "0").
  const std::string_view mantissa = text.substr(0, e);
  const std::string_view exponent = text.substr(e + 1);
  if (mantissa.size() < 3 || mantissa[1] != '.' || mantissa[0] < '1' || mantissa[0] > '9') {
    return std::nullopt;
  }
  if (mantissa.back() == '0' && mantissa.size() != 3) return std::nullopt;
  if (exponent.size() < 2 || exponent[0] != '-') return std::nullopt;
  const auto m = decimal_e8(mantissa);
  const auto n = decimal_e8(exponent.substr(1));
  if (!m || !n || *n % 100'000'000 != 0) return std::nullopt;
  std::int64_t v = *m;
  for (std::int64_t k = *n / 100'000'000; k > 0; --k) {
    if (v % 10 != 0) return std::nullopt;  // finer than 1e-8
    v /= 10;
  }
  if (v >= 100'000) return std::nullopt;  // Java writes >= 1e-3 plainly
  return v;
}

}  // namespace mde::sample::testing
