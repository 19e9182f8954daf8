#include "mde/sim/btse_endpoint.hpp"

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>
#include <iterator>
#include <map>
#include <string>
#include <utility>

#include "mde/core/clock.hpp"
#include "mde/core/decimal.hpp"
#include "mde/sample/btse_generator.hpp"
#include "mde/sim/capture_frames.hpp"

namespace mde::sim {
namespace {

constexpr std::string_view kBookKind = "update";
constexpr std::string_view kTradeKind = "tradeHistoryApi";
constexpr std::string_view kL1Kind = "snapshotL1";

// JSON string contents: quotes, backslashes and control characters escaped (request args are
// echoed in error frames and may hold anything).
std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[(c >> 4) & 0xf];
      out += kHex[c & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

struct BtseError {
  std::string arg;  // empty: the entry has no `arg` (a bad op, a non-JSON request)
  int code;
};

std::string_view error_message(int code) {
  switch (code) {
    case 1000: return "Market pair provided is currently not supported.";
    case 1001: return "Operation provided is currently not supported.";
    case 1002:
      return "Invalid request. Please check again your request and provide all information "
             "required.";
    default: return "Topic provided does not exist.";  // 1005
  }
}

// {"severity":"ERROR","errors":[{"arg":"...","error":{"code":1000,"message":"..."}}, ...]}
std::string errors_frame(const std::vector<BtseError>& errors) {
  std::string f = R"({"severity":"ERROR","errors":[)";
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (i != 0) f += ',';
    f += '{';
    if (!errors[i].arg.empty()) f += R"("arg":")" + escape(errors[i].arg) + "\",";
    f += R"("error":{"code":)" + std::to_string(errors[i].code) + R"(,"message":")" +
         std::string(error_message(errors[i].code)) + "\"}}";
  }
  return f + "]}";
}

// {"event":"subscribe","channel":["update:BTC-USD_0", ...]}
std::string ack_frame(std::string_view event, const std::vector<std::string>& topics) {
  std::string f = R"({"event":")" + std::string(event) + R"(","channel":[)";
  for (std::size_t i = 0; i < topics.size(); ++i) {
    if (i != 0) f += ',';
    f += '"' + topics[i] + '"';  // accepted topics only: a known market, no escapes needed
  }
  return f + "]}";
}

// "BTC-USD_0" -> "BTC-USD" (grouping 0); "BTC-USD" is the grouping 0 chain too; "BTC-USD_5"
// -> "BTC-USD", not grouping 0.
void split_grouping(std::string_view& market, bool& grouping_zero) {
  const std::size_t us = market.rfind('_');
  if (us == std::string_view::npos || us + 1 == market.size()) return;
  const std::string_view digits = market.substr(us + 1);
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return;
  }
  grouping_zero = digits == "0";
  market = market.substr(0, us);
}

}  // namespace

const std::vector<std::string>& btse_markets() {
  static const std::vector<std::string> markets{"BTC-USD", "ETH-USD", "SOL-USD", "XRP-USD"};
  return markets;
}

// ---- BtseMarketFeed ----------------------------------------------------------------------------

struct BtseMarketFeed::State {
  struct Level {
    std::string price, size;  // as the generator wrote them (spelling kept)
  };
  struct Market {
    std::string symbol;
    std::map<Decimal, Level, std::greater<>> bids;  // best first
    std::map<Decimal, Level> asks;                  // best first
    std::uint64_t seq = 0;                          // the last seqNum used on the chain
    std::int64_t timestamp_ms = 0;
    std::string trades;         // the latest trade batch frame
    std::string uncross_price;  // a crossing bid sent on the wire, deleted by the next delta
    std::string uncross_restore;  // the bid it pushed out of the window, put back then
    bool cross_pending = false;
    // snapshotL1: the `data` object for the best bid and ask below, and how often they changed.
    struct Top {
      bool present = false;
      Decimal price{};
      std::string size;
    };
    Top best_bid, best_ask;
    std::string l1;
    std::uint64_t l1_version = 0;
  };

  State(std::uint64_t seed, std::vector<std::string> names, SimClock c)
      : generator(std::make_unique<sample::BtseGenerator>(
            sample::BtseGenOptions{.kind = sample::GenKind::book_heavy,
                                   .seed = seed,
                                   .markets = names,
                                   .resubscribe_ppm = 0,
                                   .resync_after_fault = false})),
        clock(c) {
    add_markets(std::move(names));
  }
  State(std::unique_ptr<CaptureFrames> c, std::vector<std::string> names)
      : capture(std::move(c)) {
    add_markets(std::move(names));
    // A subscriber may come before the capture's first snapshot of a market: its chain starts
    // at 1 on an empty book (stamped now: a timestamp of 0 reads as absent), and that snapshot
    // is sent as a delta like any later one.
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    for (Market& m : markets) {
      m.seq = 1;
      m.timestamp_ms = now_ms;
      render_l1(m);
    }
  }
  void add_markets(std::vector<std::string> names) {
    for (std::string& n : names) {
      markets.emplace_back();
      markets.back().symbol = std::move(n);
      render_l1(markets.back());
    }
  }
  // The next raw frame: the generator's (endless; made at `now_ns`, 0 for its own clock) or the
  // capture's ("" at its end).
  std::string_view raw(std::int64_t now_ns) {
    return capture ? capture->next() : generator->next(now_ns).text;
  }

  template <class Self>
  static auto find_in(Self& self, std::string_view symbol) -> decltype(&self.markets.front()) {
    for (auto& m : self.markets) {
      if (m.symbol == symbol) return &m;
    }
    return nullptr;
  }
  Market* find(std::string_view symbol) { return find_in(*this, symbol); }
  const Market* find(std::string_view symbol) const { return find_in(*this, symbol); }

  MarketFrame next();
  MarketFrame book_frame(Market& m, simdjson::dom::element data);
  MarketFrame cross(Market& m);
  void put_delta_tail(Market& m);
  static void update_l1(Market& m);
  static void render_l1(Market& m);

  std::unique_ptr<sample::BtseGenerator> generator;  // one of these two
  std::unique_ptr<CaptureFrames> capture;
  simdjson::dom::parser parser;
  std::vector<Market> markets;
  std::string out;  // the frame handed out last
  SimClock clock = SimClock::fixed;  // the generator's frames; a capture keeps its own times
};

namespace {

template <class Map>
void put_levels(std::string& out, const Map& side, bool worst_first) {
  out += '[';
  std::size_t n = std::min(side.size(), kBtseWindow);
  bool first = true;
  auto put = [&](const auto& entry) {
    if (!first) out += ',';
    first = false;
    out += "[\"" + entry.second.price + "\",\"" + entry.second.size + "\"]";
  };
  if (worst_first) {
    auto it = side.begin();
    std::advance(it, static_cast<std::ptrdiff_t>(n));
    while (it != side.begin()) put(*--it);
  } else {
    for (auto it = side.begin(); n-- > 0; ++it) put(*it);
  }
  out += ']';
}

// Applies one [price, size] pair (absolute size; zero deletes) to a side; false when malformed.
template <class Map>
bool apply_level(Map& side, simdjson::dom::element pair, std::string& wire) {
  std::string_view price, size;
  simdjson::dom::array a;
  if (pair.get(a) != simdjson::SUCCESS || a.at(0).get(price) != simdjson::SUCCESS ||
      a.at(1).get(size) != simdjson::SUCCESS) {
    return false;
  }
  Decimal p{}, s{};
  if (Decimal::parse(price, p) != DecimalError::ok || Decimal::parse(size, s) != DecimalError::ok) {
    return false;
  }
  if (s.is_zero()) side.erase(p);
  else side[p] = {std::string(price), std::string(size)};
  if (wire.size() > 1) wire += ',';
  wire += "[\"";
  wire.append(price);
  wire += "\",\"";
  wire.append(size);
  wire += "\"]";
  return true;
}

// The delta entries turning side `before` into `after`: size 0 for a level gone, the new size
// for a level added or changed.
template <class Map>
void put_difference(const Map& before, const Map& after, std::string& wire) {
  auto put = [&](const std::string& price, std::string_view size) {
    if (wire.size() > 1) wire += ',';
    wire += "[\"" + price + "\",\"";
    wire.append(size);
    wire += "\"]";
  };
  for (const auto& [price, level] : before) {
    if (!after.contains(price)) put(level.price, "0");
  }
  for (const auto& [price, level] : after) {
    const auto it = before.find(price);
    if (it == before.end() || it->second.size != level.size) put(level.price, level.size);
  }
}

}  // namespace

MarketFrame BtseMarketFeed::State::next() {
  // One clock read per frame handed out (the skipped acks and pongs share it).
  const std::int64_t now = clock == SimClock::wall && !capture ? wall_ns() : 0;
  for (Market& m : markets) {
    if (!m.cross_pending) continue;
    if (now != 0) m.timestamp_ms = std::max(m.timestamp_ms, now / 1'000'000);
    return cross(m);
  }
  for (;;) {
    const std::string_view text = raw(now);
    if (text.empty()) return {};  // a capture's end (or, paced, nothing due yet)
    if (!text.starts_with(R"({"topic":)")) continue;  // acks and pongs: the endpoint makes those
    simdjson::dom::element root;
    if (parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) continue;
    std::string_view topic;
    if (root["topic"].get(topic) != simdjson::SUCCESS) continue;
    if (topic.starts_with("update:")) {
      simdjson::dom::element data;
      std::string_view symbol;
      if (root["data"].get(data) != simdjson::SUCCESS ||
          data["symbol"].get(symbol) != simdjson::SUCCESS) {
        continue;
      }
      if (Market* m = find(symbol)) {
        MarketFrame f = book_frame(*m, data);
        if (!f.text.empty()) return f;
      }
    } else if (topic.starts_with("tradeHistoryApi:")) {
      if (Market* m = find(topic.substr(topic.find(':') + 1))) {
        m->trades.assign(text);
        return {Venue::btse, kTradeKind, m->symbol, m->trades, 0};
      }
    }
  }
}

// A source's first snapshot of a market starts its book (the generator sends one per market at
// its start); a later one (a capture's resubscribe) is sent as a delta carrying the difference;
// a source delta is applied and sent on the feed's own chain. Returns an empty text for a frame
// that sends nothing.
MarketFrame BtseMarketFeed::State::book_frame(Market& m, simdjson::dom::element data) {
  std::string_view type;
  std::uint64_t seq = 0;
  std::int64_t ts = 0;
  simdjson::dom::array bids, asks;
  if (data["type"].get(type) != simdjson::SUCCESS ||
      data["seqNum"].get(seq) != simdjson::SUCCESS ||
      data["timestamp"].get(ts) != simdjson::SUCCESS || data["bids"].get(bids) != simdjson::SUCCESS ||
      data["asks"].get(asks) != simdjson::SUCCESS) {
    return {};
  }
  m.timestamp_ms = ts;
  std::string bid_wire = "[", ask_wire = "[";
  if (!m.uncross_price.empty()) {
    // Before the source's entries: a source entry at that price wins (last entry counts).
    bid_wire += "[\"" + m.uncross_price + "\",\"0\"]" + m.uncross_restore;
    m.uncross_price.clear();
    m.uncross_restore.clear();
  }
  if (type == "snapshot") {
    const bool first = m.seq == 0;
    auto old_bids = std::move(m.bids);
    auto old_asks = std::move(m.asks);
    m.bids.clear();
    m.asks.clear();
    std::string unused = "[";
    for (simdjson::dom::element e : bids) (void)apply_level(m.bids, e, unused);
    for (simdjson::dom::element e : asks) (void)apply_level(m.asks, e, unused);
    if (first) {
      m.seq = seq;  // the chain starts where the source's does
      update_l1(m);
      return {};
    }
    put_difference(old_bids, m.bids, bid_wire);
    put_difference(old_asks, m.asks, ask_wire);
  } else {
    for (simdjson::dom::element e : bids) (void)apply_level(m.bids, e, bid_wire);
    for (simdjson::dom::element e : asks) (void)apply_level(m.asks, e, ask_wire);
  }
  out = R"({"bids":)" + bid_wire + R"(],"asks":)" + ask_wire + ']';
  ++m.seq;
  put_delta_tail(m);
  update_l1(m);
  return {Venue::btse, kBookKind, m.symbol, out, 0};
}

// Re-renders the market's snapshotL1 data when its best bid or ask (price or size) changed.
void BtseMarketFeed::State::update_l1(Market& m) {
  auto same = [](const Market::Top& top, const auto& side) {
    if (side.empty()) return !top.present;
    return top.present && top.price == side.begin()->first && top.size == side.begin()->second.size;
  };
  if (same(m.best_bid, m.bids) && same(m.best_ask, m.asks)) return;
  render_l1(m);
}

void BtseMarketFeed::State::render_l1(Market& m) {
  m.l1 = R"({"bids":[)";
  auto put = [&](const auto& side, Market::Top& top) {
    top.present = !side.empty();
    if (!top.present) return;
    top.price = side.begin()->first;
    top.size = side.begin()->second.size;
    m.l1 += "[\"" + side.begin()->second.price + "\",\"" + top.size + "\"]";
  };
  put(m.bids, m.best_bid);
  m.l1 += R"(],"asks":[)";
  put(m.asks, m.best_ask);
  m.l1 += R"(],"type":"snapshotL1","symbol":")" + m.symbol + R"(","timestamp":)" +
          std::to_string(m.timestamp_ms) + "}";
  ++m.l1_version;
}

// A delta that puts a bid at the best ask: the book crosses (the model keeps it out; the next
// delta of the market deletes it on the wire).
MarketFrame BtseMarketFeed::State::cross(Market& m) {
  m.cross_pending = false;
  if (m.asks.empty()) return next();
  m.uncross_price = m.asks.begin()->second.price;
  out = R"({"bids":[[")" + m.uncross_price + R"(","0.50000"])";
  if (m.bids.size() >= kBtseWindow) {
    // The crossing bid enters the window, so its last bid leaves it (size 0), as any level
    // pushed out does: the client's book stays within 50 levels. The next delta puts it back.
    const auto& last = std::next(m.bids.begin(), kBtseWindow - 1)->second;
    out += R"(,[")" + last.price + R"(","0"])";
    m.uncross_restore = R"(,[")" + last.price + R"(",")" + last.size + R"("])";
  }
  out += R"(],"asks":[])";
  ++m.seq;
  put_delta_tail(m);
  return {Venue::btse, kBookKind, m.symbol, out, 0};
}

void BtseMarketFeed::State::put_delta_tail(Market& m) {
  out += R"(,"seqNum":)" + std::to_string(m.seq) + R"(,"prevSeqNum":)" + std::to_string(m.seq - 1) +
         R"(,"type":"delta","timestamp":)" + std::to_string(m.timestamp_ms) + R"(,"symbol":")" +
         m.symbol + "\"}";
}

BtseMarketFeed::BtseMarketFeed(std::uint64_t seed, std::vector<std::string> markets,
                               SimClock clock)
    : state_(std::make_unique<State>(seed, std::move(markets), clock)) {
  // The generator opens with every market's snapshot: a subscriber never sees an empty book.
  (void)state_->next();
}
BtseMarketFeed::BtseMarketFeed(std::unique_ptr<CaptureFrames> capture,
                               std::vector<std::string> markets)
    : state_(std::make_unique<State>(std::move(capture), std::move(markets))) {}
BtseMarketFeed::~BtseMarketFeed() = default;

MarketFrame BtseMarketFeed::next_frame() { return state_->next(); }

bool BtseMarketFeed::has_market(std::string_view market) const {
  return state_->find(market) != nullptr;
}

std::string BtseMarketFeed::snapshot_data(std::string_view market) const {
  const State::Market* m = state_->find(market);
  if (m == nullptr) return {};
  std::string d = R"({"bids":)";
  put_levels(d, m->bids, false);  // best first
  d += R"(,"asks":)";
  put_levels(d, m->asks, true);  // worst first, as on the wire
  d += R"(,"seqNum":)" + std::to_string(m->seq) + R"(,"prevSeqNum":)" +
       std::to_string(m->seq - 1) + R"(,"type":"snapshot","timestamp":)" +
       std::to_string(m->timestamp_ms) + R"(,"symbol":")" + m->symbol + "\"}";
  return d;
}

std::string_view BtseMarketFeed::recent_trades(std::string_view market) const {
  const State::Market* m = state_->find(market);
  return m == nullptr ? std::string_view{} : std::string_view(m->trades);
}

BtseBookState BtseMarketFeed::book(std::string_view market) const {
  BtseBookState b;
  const State::Market* m = state_->find(market);
  if (m == nullptr) return b;
  b.seq = m->seq;
  auto copy = [](const auto& side, std::vector<PriceLevel>& to) {
    for (const auto& [price, level] : side) {
      if (to.size() == kBtseWindow) break;
      Decimal q{};
      (void)Decimal::parse(level.size, q);
      to.push_back({price, q});
    }
  };
  copy(m->bids, b.bids);
  copy(m->asks, b.asks);
  return b;
}

std::string_view BtseMarketFeed::l1_data(std::string_view market) const {
  const State::Market* m = state_->find(market);
  return m == nullptr ? std::string_view{} : std::string_view(m->l1);
}

std::uint64_t BtseMarketFeed::l1_version(std::string_view market) const {
  const State::Market* m = state_->find(market);
  return m == nullptr ? 0 : m->l1_version;
}

bool BtseMarketFeed::skip_sequence(std::string_view market) {
  State::Market* m = state_->find(market);
  if (m == nullptr) return false;
  ++m->seq;  // lost: the next delta's prevSeqNum names a seqNum nobody was sent
  return true;
}

bool BtseMarketFeed::cross_book(std::string_view market) {
  State::Market* m = state_->find(market);
  if (m == nullptr) return false;
  m->cross_pending = true;
  return true;
}

// ---- BtseEndpoint ------------------------------------------------------------------------------

struct BtseEndpoint::State {
  enum class Kind : std::uint8_t { book, l1, trade };
  struct Subscription {
    std::string topic;  // as the client wrote it: data frames carry it back
    std::string market;
    Kind kind;
    std::uint64_t l1_sent = 0;  // l1: the feed's l1_version last sent
  };
  State(const BtseMarketFeed& f, BtsePath p) : feed(f), path(p) {}

  const BtseMarketFeed& feed;
  BtsePath path;
  simdjson::dom::parser parser;
  std::vector<Subscription> subscriptions;
};

BtseEndpoint::BtseEndpoint(const BtseMarketFeed& feed, BtsePath path)
    : state_(std::make_unique<State>(feed, path)) {}
BtseEndpoint::~BtseEndpoint() = default;

void BtseEndpoint::on_request(std::string_view request, std::vector<std::string>& out) {
  ++counters_.requests;
  if (request == "ping") {  // plain text, not JSON
    ++counters_.pings;
    out.emplace_back("pong");
    return;
  }
  std::vector<BtseError> errors;
  auto flush_errors = [&] {
    if (errors.empty()) return;
    counters_.errors += 1;
    out.push_back(errors_frame(errors));
  };
  simdjson::dom::element root;
  std::string_view op;
  if (state_->parser.parse(request.data(), request.size()).get(root) != simdjson::SUCCESS ||
      !root.is_object() || root["op"].get(op) != simdjson::SUCCESS) {
    errors.push_back({{}, 1002});
    return flush_errors();
  }
  if (op != "subscribe" && op != "unsubscribe") {
    errors.push_back({{}, 1001});
    return flush_errors();
  }
  simdjson::dom::array args;
  if (root["args"].get(args) != simdjson::SUCCESS) return;  // no args: no reply (the probe's)
  const bool subscribe = op == "subscribe";
  std::vector<std::string> acked;
  std::vector<std::string> data;  // snapshots and recent trades, after the ack
  auto& subs = state_->subscriptions;
  for (simdjson::dom::element arg : args) {
    std::string_view topic;
    if (arg.get(topic) != simdjson::SUCCESS) {
      errors.push_back({{}, 1002});
      continue;
    }
    const std::size_t colon = topic.find(':');
    const std::string_view kind = topic.substr(0, colon);
    if (colon == std::string_view::npos ||
        (kind != kBookKind && kind != kTradeKind && kind != kL1Kind)) {
      errors.push_back({std::string(topic), 1005});
      continue;
    }
    const bool book = kind == kBookKind;
    const State::Kind sub_kind =
        book ? State::Kind::book : (kind == kL1Kind ? State::Kind::l1 : State::Kind::trade);
    std::string_view market = topic.substr(colon + 1);
    bool grouping_zero = true;
    if (book) split_grouping(market, grouping_zero);
    if (!state_->feed.has_market(market)) {
      errors.push_back({std::string(topic), 1000});
      continue;
    }
    // Book topics belong to OSS and everything else to the main path: the wrong path leaves the
    // topic out of the ack and never delivers it.
    if ((sub_kind != State::Kind::trade) != (state_->path == BtsePath::oss)) continue;
    acked.emplace_back(topic);
    std::erase_if(subs, [&](const State::Subscription& s) {
      return s.kind == sub_kind && s.market == market;
    });
    if (!subscribe) {
      ++counters_.unsubscribes;
      continue;
    }
    ++counters_.subscribes;
    if (!grouping_zero) continue;  // acked, then silent: only grouping 0 is served
    subs.push_back({std::string(topic), std::string(market), sub_kind,
                    state_->feed.l1_version(market)});
    if (book) {
      data.push_back(R"({"topic":")" + std::string(topic) + R"(","data":)" +
                     state_->feed.snapshot_data(market) + "}");
    } else if (sub_kind == State::Kind::l1) {
      // The current best bid and ask at once (a choice: B5 does not say; the update: topic
      // opens with a snapshot too).
      data.push_back(R"({"topic":")" + std::string(topic) + R"(","data":)" +
                     std::string(state_->feed.l1_data(market)) + "}");
    } else if (const std::string_view recent = state_->feed.recent_trades(market); !recent.empty()) {
      data.emplace_back(recent);  // the first batch repeats recent trades, as probes saw
    }
  }
  flush_errors();
  out.push_back(ack_frame(op, acked));
  for (std::string& d : data) out.push_back(std::move(d));
}

bool BtseEndpoint::render(const MarketFrame& frame, std::string& out) {
  if (frame.venue != Venue::btse) return false;
  const bool book = frame.channel == kBookKind;
  const State::Kind kind = book ? State::Kind::book : State::Kind::trade;
  for (const State::Subscription& s : state_->subscriptions) {
    if (s.kind != kind || s.market != frame.market) continue;
    if (book) {
      out = R"({"topic":")" + s.topic + R"(","data":)";
      out += frame.text;
      out += '}';
    } else {
      out.assign(frame.text);
    }
    return true;
  }
  return false;
}

void BtseEndpoint::render_derived(const MarketFrame& frame, std::vector<std::string>& out) {
  if (frame.venue != Venue::btse || frame.channel != kBookKind) return;
  for (State::Subscription& s : state_->subscriptions) {
    if (s.kind != State::Kind::l1 || s.market != frame.market) continue;
    const std::uint64_t version = state_->feed.l1_version(s.market);
    if (version == s.l1_sent) continue;  // this delta left the best bid and ask as they were
    s.l1_sent = version;
    out.push_back(R"({"topic":")" + s.topic + R"(","data":)" +
                  std::string(state_->feed.l1_data(s.market)) + "}");
  }
}

Route btse_oss_route(const BtseMarketFeed& feed) {
  return {"/ws/oss/spot", [&feed](const UpgradeRequest&) {
            return std::make_unique<BtseEndpoint>(feed, BtsePath::oss);
          },
          Venue::btse, /*offers_deflate=*/true};
}

Route btse_main_route(const BtseMarketFeed& feed) {
  return {"/ws/spot", [&feed](const UpgradeRequest&) {
            return std::make_unique<BtseEndpoint>(feed, BtsePath::main);
          },
          Venue::btse, /*offers_deflate=*/true};
}

}  // namespace mde::sim
