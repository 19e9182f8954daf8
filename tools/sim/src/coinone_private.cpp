#include "mde/sim/coinone_private.hpp"

#include <openssl/crypto.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "coinone_request.hpp"
#include "mde/core/clock.hpp"
#include "mde/sim/coinone_endpoint.hpp"
#include "mde/sim/order_script.hpp"

namespace mde::sim {
namespace {

std::string upper_case(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool same_text(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// ---- the script's frames -------------------------------------------------------------------

// A frame written once with DEFAULT keys and once with SHORT keys (protocols.md A7.4, A7.5).
class TwoFormatWriter {
 public:
  void begin(std::string_view channel) {
    long_ = R"({"response_type":"DATA","channel":")" + std::string(channel) + R"(","data":{)";
    short_ = R"({"r":"DATA","c":")" + std::string(channel) + R"(","d":{)";
    first_ = true;
  }
  // `value` is JSON as written: "\"text\"", "null", "false", "123".
  void field(std::string_view long_key, std::string_view short_key, std::string_view value) {
    const char* sep = first_ ? "" : ",";
    first_ = false;
    long_.append(sep).append("\"").append(long_key).append("\":").append(value);
    short_.append(sep).append("\"").append(short_key).append("\":").append(value);
  }
  // A venue time in seconds: where its digits are is kept, so that SimClock::wall can write the
  // time over them (a 10-digit value; any other is left as it is): the time the event is sent,
  // or for `order_timestamp` the time its order was placed.
  void stamp_field(std::string_view long_key, std::string_view short_key, std::int64_t seconds,
                   bool order_time = false) {
    const std::string value = std::to_string(seconds);
    field(long_key, short_key, value);
    if (value.size() != kStampDigits || stamps_ == kMaxStamps) return;
    long_stamps_[stamps_] = static_cast<std::uint32_t>(long_.size() - value.size());
    short_stamps_[stamps_] = static_cast<std::uint32_t>(short_.size() - value.size());
    order_time_[stamps_] = order_time;
    ++stamps_;
  }
  void raw(std::string_view long_text, std::string_view short_text) {
    long_ += long_text;
    short_ += short_text;
  }
  void end() {
    long_ += "}}";
    short_ += "}}";
  }
  std::string long_, short_;
  static constexpr std::size_t kStampDigits = 10;  // seconds until the year 2286
  static constexpr std::size_t kMaxStamps = 3;     // MYORDER: executed, order and event time
  std::array<std::uint32_t, kMaxStamps> long_stamps_{}, short_stamps_{};  // offsets of the digits
  std::array<bool, kMaxStamps> order_time_{};  // the stamp is the order's placement time
  std::uint8_t stamps_ = 0;

 private:
  bool first_ = true;
};

// Writes `v` as exactly `width` decimal digits at `out`.
void put_digits(char* out, std::size_t width, std::uint64_t v) noexcept {
  for (std::size_t i = width; i-- > 0; v /= 10) out[i] = static_cast<char>('0' + v % 10);
}

std::string json_string(std::string_view s) {
  std::string out;  // appended piecewise: GCC 12 -Wrestrict misfires on "\"" + string
  out.reserve(s.size() + 2);
  out.push_back('"');
  out.append(s);
  out.push_back('"');
  return out;
}

constexpr std::int64_t kUnit = 100'000'000;  // 1e-8 units per 1

// A non-negative fixed-point value in 1e-8 units as the venue writes decimals.
std::string decimal8(std::int64_t v) {
  char text[40];
  std::snprintf(text, sizeof text, "%lld.%08lld", static_cast<long long>(v / kUnit),
                static_cast<long long>(v % kUnit));
  return text;
}

// The same without trailing zeros ("6244000", "812.5"), as the venue writes executed prices.
std::string plain_decimal(std::int64_t v) {
  std::string text = decimal8(v);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

// price x qty, both in 1e-8 units, in 1e-8 units (exact for the script's sizes).
std::int64_t notional(std::int64_t price, std::int64_t qty) {
  return static_cast<std::int64_t>(static_cast<__int128>(price) * qty / kUnit);
}

struct Event {
  std::string channel;  // "MYORDER" / "MYASSET"
  std::string target;
  std::string long_text, short_text;
  std::string order_id;  // MYORDER only
  std::uint8_t status = 0;
  // Where the venue times' digits are in each text (TwoFormatWriter::stamp_field).
  std::array<std::uint32_t, TwoFormatWriter::kMaxStamps> long_stamps{}, short_stamps{};
  std::array<bool, TwoFormatWriter::kMaxStamps> order_time{};
  std::uint8_t stamps = 0;
  // A fault's repeat of an event (duplicate_next_order_event) and its original share the texts
  // the original was sent as, so the repeat is the same bytes whenever it goes out.
  struct SentAs {
    std::string long_text, short_text;
  };
  std::shared_ptr<SentAs> sent_as;
  bool repeat = false;

  Event() = default;
  Event(std::string_view c, std::string t, TwoFormatWriter&& w, std::string oid, std::uint8_t st)
      : channel(c), target(std::move(t)), long_text(std::move(w.long_)),
        short_text(std::move(w.short_)), order_id(std::move(oid)), status(st),
        long_stamps(w.long_stamps_), short_stamps(w.short_stamps_), order_time(w.order_time_),
        stamps(w.stamps_) {}

  // SimClock::wall: every venue time in the event becomes `event_s`, and its order_timestamp
  // `order_s` (same width, in place).
  void restamp(std::int64_t event_s, std::int64_t order_s) noexcept {
    for (std::size_t i = 0; i < stamps; ++i) {
      const std::int64_t v = order_time[i] ? order_s : event_s;
      if (v < 1'000'000'000 || v > 9'999'999'999) continue;  // not 10 digits
      put_digits(long_text.data() + long_stamps[i], TwoFormatWriter::kStampDigits,
                 static_cast<std::uint64_t>(v));
      put_digits(short_text.data() + short_stamps[i], TwoFormatWriter::kStampDigits,
                 static_cast<std::uint64_t>(v));
    }
  }
};

// An order's times as its events are stamped, as the A7.4 examples show them: `order_timestamp`
// is when the order was placed on the book (its wait event: ot == ts there), repeated by its
// fills; the events the examples show with ot null keep it null (watch: a stop order not placed
// yet; cancel; cancel_post_only). A stop order is placed when its wait follows the watch.
// `trade_done` repeats its last fill, times included (A7.6). The feed makes one order's events
// at a time, so one order is followed at a time.
struct OrderTimes {
  std::string order_id;
  std::int64_t placed = 0, last_fill = 0;  // seconds

  // The event time to stamp on `status` of `id` made at `now`; follows the order's times.
  std::int64_t event(const std::string& id, std::uint8_t status, std::int64_t now);
};

enum Status : std::uint8_t { kWait, kWatch, kTrade, kTradeDone, kCancel, kCancelPostOnly };
constexpr std::array<std::string_view, 6> kStatus{"wait",   "watch",  "trade",
                                                  "trade_done", "cancel", "cancel_post_only"};

std::int64_t OrderTimes::event(const std::string& id, std::uint8_t status, std::int64_t now) {
  if (id != order_id) {
    order_id = id;
    placed = now;
    last_fill = now;
  }
  if (status == kWait) placed = now;
  if (status == kTradeDone) return last_fill;
  if (status == kTrade) last_fill = now;
  return now;
}

struct Balance {
  std::int64_t available = 0, locked = 0;  // 1e-8 units
};

}  // namespace

bool verify_coinone_auth(std::string_view payload, std::string_view signature,
                         const coinone::Credentials& account) {
  if (payload.empty() || signature.size() != 128 || account.empty()) return false;
  std::string json;
  if (!coinone::base64_decode(payload, json)) return false;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string_view token, nonce;
  std::int64_t timestamp = 0;
  if (parser.parse(json).get(root) != simdjson::SUCCESS ||
      root["access_token"].get(token) != simdjson::SUCCESS ||
      root["nonce"].get(nonce) != simdjson::SUCCESS ||
      root["timestamp"].get(timestamp) != simdjson::SUCCESS || nonce.empty() || timestamp <= 0) {
    return false;
  }
  if (!same_text(token, account.access_token.reveal_for_signing())) return false;
  const std::string_view secret = account.secret_key.reveal_for_signing();
  return same_text(signature, coinone::hmac_sha512_hex(secret, payload)) ||
         same_text(signature, coinone::hmac_sha512_hex(upper_case(secret), payload));
}

// ---- CoinonePrivateFeed --------------------------------------------------------------------

struct CoinonePrivateFeed::State {
  State(std::uint64_t s, std::uint32_t market, std::uint32_t events, SimClock c)
      : seed(s), market_rate(std::max<std::uint32_t>(1, market)), event_rate(events),
        rng(s * 0x9E3779B97F4A7C15ULL + 1), sim_clock(c) {
    balances["KRW"] = {1'000'000'000LL * 100'000'000LL, 0};  // 1e9 KRW
    balances["XRP"] = {1'000'000LL * 100'000'000LL, 0};
    balances["BTC"] = {10LL * 100'000'000LL, 0};
    for (const std::string& m : coinone_markets()) {  // what a script may trade
      balances.try_emplace(m, Balance{1'000'000 * kUnit, 0});
    }
  }

  std::uint64_t next_random() {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
  }

  std::string id(unsigned group, unsigned kind, std::uint64_t n) const {
    char text[48];
    std::snprintf(text, sizeof text, "%08llx-%04x-4000-%x00%x-%012llx",
                  static_cast<unsigned long long>(seed & 0xffffffffULL), group, 8 + group, kind,
                  static_cast<unsigned long long>(n & 0xffffffffffffULL));
    return text;
  }

  // `price` and quantities in 1e-8 units; -1: null. A market order's opening event has no
  // order_price, and a market BID gives order_amount (quote) instead of order_qty.
  void order_event(const std::string& target, const std::string& order_id, Status st,
                   std::string_view side, std::int64_t price, std::int64_t qty,
                   const std::string& trade_id, std::int64_t executed, std::int64_t remain,
                   std::string_view type = "LIMIT") {
    const std::int64_t ts = made.event(order_id, st, st == kTradeDone ? clock : ++clock);
    TwoFormatWriter w;
    w.begin("MYORDER");
    w.field("quote_currency", "qc", json_string("KRW"));
    w.field("target_currency", "tc", json_string(target));
    w.field("order_id", "oi", json_string(order_id));
    w.field("type", "t", json_string(type));
    w.field("status", "st", json_string(kStatus[st]));
    w.field("side", "s", json_string(side));
    const bool opening = st == kWait || st == kWatch;
    const bool fill = st == kTrade || st == kTradeDone;
    const bool market = type == "MARKET", market_bid = market && side == "BID";
    w.field("order_price", "op", opening && !market ? json_string(decimal8(price)) : "null");
    w.field("order_qty", "oq", opening && !market_bid ? json_string(decimal8(qty)) : "null");
    w.field("order_amount", "oa",
            opening && market_bid ? json_string(decimal8(notional(price, qty))) : "null");
    w.field("trade_id", "ti", fill ? json_string(trade_id) : "null");
    w.field("is_maker", "im", fill ? "true" : "null");
    w.field("executed_price", "ep", fill ? json_string(plain_decimal(price)) : "null");
    w.field("executed_qty", "eq", executed >= 0 ? json_string(decimal8(executed)) : "null");
    w.field("executed_fee", "ef", fill ? json_string("0.00000000") : "null");
    w.field("remain_qty", "rq", remain >= 0 ? json_string(decimal8(remain)) : "null");
    w.field("remain_amount", "ra", "null");
    w.field("user_order_id", "ui", "null");
    w.field("prevented_qty", "pq", "null");
    // executed_timestamp: null on wait, 0 on a post-only cancel, the event's time otherwise
    // (watch included); order_timestamp: on wait and fills only (the A7.4 examples).
    if (st == kWait) w.field("executed_timestamp", "et", "null");
    else if (st == kCancelPostOnly) w.field("executed_timestamp", "et", "0");
    else w.stamp_field("executed_timestamp", "et", ts);
    if (st == kWait || fill) w.stamp_field("order_timestamp", "ot", made.placed, true);
    else w.field("order_timestamp", "ot", "null");
    w.stamp_field("timestamp", "ts", ts);
    w.end();
    queue.emplace_back("MYORDER", target, std::move(w), order_id, st);
  }

  void asset_event(std::string_view reason, std::initializer_list<std::string_view> currencies) {
    TwoFormatWriter w;
    w.begin("MYASSET");
    w.raw(R"("assets":[)", R"("as":[)");
    bool first = true;
    for (std::string_view c : currencies) {
      const Balance& b = balances[std::string(c)];
      const std::string a = decimal8(b.available), l = decimal8(b.locked);
      w.raw(std::string(first ? "" : ",") + R"({"currency":")" + std::string(c) +
                R"(","available":")" + a + R"(","limit":")" + l + "\"}",
            std::string(first ? "" : ",") + R"({"c":")" + std::string(c) + R"(","a":")" + a +
                R"(","l":")" + l + "\"}");
      first = false;
    }
    w.raw("],", "],");
    w.field("type", "t", json_string(reason));
    w.stamp_field("timestamp", "ts", ++clock);
    w.end();
    queue.emplace_back("MYASSET", "", std::move(w), "", 0);
  }

  // Locks funds for an order (BID: KRW; ASK: the coin) and says so.
  void lock(const std::string& target, bool bid, std::int64_t notional, std::int64_t qty,
            std::string_view reason) {
    Balance& b = balances[bid ? "KRW" : target];
    const std::int64_t v = bid ? notional : qty;
    b.available -= v;
    b.locked += v;
    asset_event(reason, {bid ? "KRW" : std::string_view(target)});
  }
  void release(const std::string& target, bool bid, std::int64_t notional, std::int64_t qty,
               std::string_view reason) {
    Balance& b = balances[bid ? "KRW" : target];
    const std::int64_t v = bid ? notional : qty;
    b.available += v;
    b.locked -= v;
    asset_event(reason, {bid ? "KRW" : std::string_view(target)});
  }
  void filled(const std::string& target, bool bid, std::int64_t price, std::int64_t qty) {
    const std::int64_t value = notional(price, qty);
    if (bid) {
      balances["KRW"].locked -= value;
      balances[target].available += qty;
    } else {
      balances[target].locked -= qty;
      balances["KRW"].available += value;
    }
    asset_event("trade", {"KRW", std::string_view(target)});
  }

  // One round of the script: four orders, every event queued in order.
  void script_round() {
    const bool xrp = round % 2 == 0;
    const std::string target = xrp ? "XRP" : "BTC";
    const std::int64_t unit = xrp ? 100LL * 100000000 : 1000000;  // 100 XRP, 0.01 BTC
    const std::int64_t base = xrp ? 800 : 90'000'000;
    const auto price = [&] {  // whole KRW, in 1e-8 units
      return (base + static_cast<std::int64_t>(next_random() % (xrp ? 20 : 200000))) * kUnit;
    };
    const std::uint64_t n = round * 4;
    ++round;
    {  // k=0: a limit BID filled in two fills; trade_done repeats the last fill
      const std::string oid = id(0, 0, n);
      const std::int64_t p = price(), f1 = unit * 2 / 5, f2 = unit - f1;
      order_event(target, oid, kWait, "BID", p, unit, "", -1, -1);
      lock(target, true, notional(p, unit), unit, "order");
      const std::string t1 = id(1, 0, trade_seq++), t2 = id(1, 0, trade_seq++);
      order_event(target, oid, kTrade, "BID", p, unit, t1, f1, unit - f1);
      filled(target, true, p, f1);
      order_event(target, oid, kTrade, "BID", p, unit, t2, f2, 0);
      filled(target, true, p, f2);
      order_event(target, oid, kTradeDone, "BID", p, unit, t2, f2, 0);
    }
    {  // k=1: a stop ASK: watch, triggered (wait), cancelled whole
      const std::string oid = id(0, 1, n + 1);
      const std::int64_t p = price();
      order_event(target, oid, kWatch, "ASK", p, unit, "", -1, -1);
      order_event(target, oid, kWait, "ASK", p, unit, "", -1, -1);
      lock(target, false, notional(p, unit), unit, "order");
      order_event(target, oid, kCancel, "ASK", p, unit, "", unit, 0);
      release(target, false, notional(p, unit), unit, "cancel");
    }
    {  // k=2: a post-only BID that would have taken liquidity
      const std::string oid = id(0, 2, n + 2);
      const std::int64_t p = price();
      order_event(target, oid, kWait, "BID", p, unit, "", -1, -1);
      lock(target, true, notional(p, unit), unit, "order");
      order_event(target, oid, kCancelPostOnly, "BID", p, unit, "", unit, -1);
      release(target, true, notional(p, unit), unit, "cancel_post_only");
    }
    {  // k=3: a limit ASK filled a quarter, the rest cancelled
      const std::string oid = id(0, 3, n + 3);
      const std::int64_t p = price(), f = unit / 4;
      order_event(target, oid, kWait, "ASK", p, unit, "", -1, -1);
      lock(target, false, notional(p, unit), unit, "order");
      order_event(target, oid, kTrade, "ASK", p, unit, id(1, 3, trade_seq++), f, unit - f);
      filled(target, false, p, f);
      order_event(target, oid, kCancel, "ASK", p, unit, "", unit - f, 0);
      release(target, false, notional(p, unit - f), unit - f, "cancel");
    }
  }

  // One order of an order script, every event of its steps queued in order (order_script.hpp).
  void play_order(std::size_t index) {
    const ScriptedOrder& o = script.orders[index];
    const std::string oid = id(2, 0, index);
    const std::string_view side = o.bid ? "BID" : "ASK";
    const std::string_view type = o.type == ScriptOrderType::market ? "MARKET" : "LIMIT";
    const auto event = [&](Status st, const std::string& trade_id, std::int64_t executed,
                           std::int64_t remain) {
      order_event(o.market, oid, st, side, o.price, o.qty, trade_id, executed, remain, type);
    };
    std::int64_t done = 0, last_fill = 0;
    std::string last_trade;
    bool locked = false;
    for (const ScriptStep& step : o.steps) {
      switch (step.kind) {
        case ScriptStepKind::wait:
          event(kWait, "", -1, -1);
          lock(o.market, o.bid, notional(o.price, o.qty), o.qty, "order");
          locked = true;
          break;
        case ScriptStepKind::watch: event(kWatch, "", -1, -1); break;
        case ScriptStepKind::trade:
          last_trade = id(3, 0, trade_seq++);
          last_fill = step.qty;
          done += step.qty;
          event(kTrade, last_trade, step.qty, o.qty - done);
          filled(o.market, o.bid, o.price, step.qty);
          break;
        case ScriptStepKind::trade_done: event(kTradeDone, last_trade, last_fill, 0); break;
        case ScriptStepKind::cancel:
          event(kCancel, "", o.qty - done, 0);
          if (locked) {  // a stop order cancelled in watch had nothing locked
            release(o.market, o.bid, notional(o.price, o.qty - done), o.qty - done, "cancel");
          }
          break;
        case ScriptStepKind::cancel_post_only:
          event(kCancelPostOnly, "", o.qty, -1);
          if (locked) {
            release(o.market, o.bid, notional(o.price, o.qty), o.qty, "cancel_post_only");
          }
          break;
      }
    }
  }

  [[nodiscard]] bool scripted() const noexcept { return !script.orders.empty(); }

  // Queues more events: the next built-in round, or the script's next order (false when the
  // script has been played whole).
  bool queue_more() {
    if (!scripted()) {
      script_round();
      return true;
    }
    if (script_next == script.orders.size()) return false;
    play_order(script_next++);
    return true;
  }

  // The index of the first queued MYORDER event from `from` on that `match` accepts (queueing
  // more as needed: every built-in round has events of every kind), or npos.
  template <class Match>
  std::size_t find_order_event(std::size_t from, Match match) {
    for (;;) {
      for (std::size_t i = from; i < queue.size(); ++i) {
        if (queue[i].channel == "MYORDER" && match(queue[i])) return i;
      }
      if (!queue_more()) return std::string::npos;
    }
  }

  std::uint64_t seed;
  std::uint32_t market_rate, event_rate;
  std::uint64_t rng;
  std::uint64_t credit = 0;
  std::uint64_t round = 0, trade_seq = 0;
  std::int64_t clock = 1761017305;  // seconds, as the venue's private examples (SimClock::fixed)
  SimClock sim_clock;               // wall: each event is restamped when it is yielded
  OrderTimes made, sent;            // the order being queued / being yielded (wall)
  std::deque<Event> queue;
  std::map<std::string, Balance> balances;
  Event current;
  std::uint64_t order_events = 0;
  OrderScript script;           // empty: the built-in rounds
  std::size_t script_next = 0;  // the script's next order to queue
  bool script_started = false;  // the first MYORDER subscription came (start_script())
};

CoinonePrivateFeed::CoinonePrivateFeed(std::uint64_t seed, std::uint32_t market_rate,
                                       std::uint32_t event_rate, OrderScript script,
                                       SimClock clock)
    : state_(std::make_unique<State>(seed, market_rate, event_rate, clock)) {
  state_->script = std::move(script);
}
CoinonePrivateFeed::~CoinonePrivateFeed() = default;

MarketFrame CoinonePrivateFeed::next_frame() {
  State& s = *state_;
  if (s.scripted() && !s.script_started) return {};  // a script waits for its first subscriber
  s.credit += s.event_rate;
  if (s.credit < s.market_rate) return {};
  s.credit -= s.market_rate;
  if (s.queue.empty() && !s.queue_more()) {
    s.credit = 0;  // played whole: nothing more, ever
    return {};
  }
  Event next = std::move(s.queue.front());
  s.queue.pop_front();
  if (next.repeat && next.sent_as && !next.sent_as->long_text.empty()) {
    next.long_text = next.sent_as->long_text;
    next.short_text = next.sent_as->short_text;
  } else if (s.sim_clock == SimClock::wall) {
    const std::int64_t now = wall_ns() / 1'000'000'000;
    const bool order = next.channel == "MYORDER";
    const std::int64_t at = order ? s.sent.event(next.order_id, next.status, now) : now;
    next.restamp(at, s.sent.placed);  // after event(): a new order's placement is `now`
  }
  if (next.sent_as && !next.repeat) *next.sent_as = {next.long_text, next.short_text};
  s.current = std::move(next);
  if (s.current.channel == "MYORDER") ++s.order_events;
  return {Venue::coinone, s.current.channel, s.current.target, s.current.long_text, 0};
}

std::string_view CoinonePrivateFeed::last_short() const noexcept {
  return state_->current.short_text;
}

// The next fill (`trade`) is sent twice, same trade_id: a repeat the client must not count.
void CoinonePrivateFeed::duplicate_next_order_event() {
  State& s = *state_;
  const std::size_t i = s.find_order_event(0, [](const Event& e) { return e.status == kTrade; });
  if (i == std::string::npos) return;  // a script with no fill left
  s.queue[i].sent_as = std::make_shared<Event::SentAs>();
  Event copy = s.queue[i];
  copy.repeat = true;
  s.queue.insert(s.queue.begin() + static_cast<std::ptrdiff_t>(i) + 1, std::move(copy));
}

// The next order's opening event (`wait` or `watch`) swaps places with that order's next event,
// so the client sees a change before the order it changes, then a late, lower-ranked status.
void CoinonePrivateFeed::reorder_next_order_events() {
  State& s = *state_;
  const std::size_t a = s.find_order_event(
      0, [](const Event& e) { return e.status == kWait || e.status == kWatch; });
  if (a == std::string::npos) return;
  const std::string id = s.queue[a].order_id;
  const std::size_t b = s.find_order_event(a + 1, [&](const Event& e) { return e.order_id == id; });
  if (b == std::string::npos) return;
  std::swap(s.queue[a], s.queue[b]);
}

std::uint64_t CoinonePrivateFeed::order_events() const noexcept { return state_->order_events; }

void CoinonePrivateFeed::start_script() noexcept { state_->script_started = true; }
bool CoinonePrivateFeed::script_played() const noexcept {
  const State& s = *state_;
  return s.scripted() && s.script_next == s.script.orders.size() && s.queue.empty();
}

std::optional<ScriptedOrderOutcome> coinone_scripted_outcome(std::string_view order_id) {
  // <seed>-0000-4000-800k-<n>: k is the order's part in its round.
  if (order_id.size() != 36 || order_id.substr(8, 6) != "-0000-" ||
      order_id.substr(18, 4) != "-800") {
    return std::nullopt;
  }
  switch (order_id[22]) {
    case '0': return ScriptedOrderOutcome{"trade_done", "BID", 1.0};
    case '1': return ScriptedOrderOutcome{"cancel", "ASK", 0.0};
    case '2': return ScriptedOrderOutcome{"cancel_post_only", "BID", 0.0};
    case '3': return ScriptedOrderOutcome{"cancel", "ASK", 0.25};
    default: return std::nullopt;
  }
}

// ---- the `/v1/private` route ---------------------------------------------------------------

namespace {

class CoinonePrivateConnection final : public EndpointConnection {
 public:
  CoinonePrivateConnection(CoinonePrivateFeed& feed, std::string connected, bool authorized)
      : feed_(feed), connected_(std::move(connected)), authorized_(authorized) {}

  void on_open(std::vector<std::string>& out) override { out.push_back(connected_); }
  [[nodiscard]] std::uint16_t close_code() const override { return authorized_ ? 0 : 4280; }

  void on_request(std::string_view request, std::vector<std::string>& out) override {
    const std::optional<CoinoneRequest> read =
        read_coinone_request(parser_, request, {"MYORDER", "MYASSET"}, counters_, out);
    if (!read) return;
    const auto& [root, channel, format, subscribe] = *read;
    const bool is_short = format == CoinoneFormat::short_format;
    auto error = [&](std::int64_t code, std::string_view message) {
      ++counters_.errors;
      out.push_back(coinone_error_frame(code, message));
    };
    const std::string ack = std::string(R"({"response_type":")") +
                            (subscribe ? "SUBSCRIBED" : "UNSUBSCRIBED") + R"(","channel":")" +
                            std::string(channel) + '"';
    if (channel == "MYASSET") {  // no topic; the ack carries no data
      out.push_back(ack + "}");
      assets_ = subscribe;
      assets_short_ = is_short;
      count(subscribe);
      return;
    }
    // MYORDER: a topic array (echoed in the ack), or none for every market.
    std::vector<std::string> markets;
    bool all = true;
    std::string echo;
    if (simdjson::dom::element topic; root["topic"].get(topic) == simdjson::SUCCESS &&
                                      !topic.is_null()) {
      simdjson::dom::array list;
      if (topic.get(list) != simdjson::SUCCESS) return error(160012, "Invalid Topic");
      all = false;
      for (simdjson::dom::element t : list) {
        std::string_view q, m;
        if (t["quote_currency"].get(q) != simdjson::SUCCESS ||
            t["target_currency"].get(m) != simdjson::SUCCESS) {
          return error(160012, "Invalid Topic");
        }
        echo += std::string(echo.empty() ? "" : ",") + R"({"quote_currency":")" + std::string(q) +
                R"(","target_currency":")" + std::string(m) + "\"}";
        markets.push_back(upper_case(q) == "KRW" ? upper_case(m) : std::string());
      }
    }
    out.push_back(all ? ack + "}" : ack + R"(,"data":[)" + echo + "]}");
    const auto& known = coinone_markets();
    for (const std::string& m : markets) {
      if (std::find(known.begin(), known.end(), m) == known.end()) {
        return error(160012, "Invalid Topic");  // after the SUBSCRIBED, as the venue does
      }
    }
    orders_ = subscribe;
    orders_all_ = all;
    orders_short_ = is_short;
    order_markets_ = std::move(markets);
    count(subscribe);
    if (subscribe) feed_.start_script();
  }

  bool render(const MarketFrame& frame, std::string& out) override {
    if (frame.venue != Venue::coinone || frame.text.empty()) return false;
    bool as_short = false;
    if (frame.channel == "MYORDER") {
      if (!orders_ || (!orders_all_ && std::find(order_markets_.begin(), order_markets_.end(),
                                                 frame.market) == order_markets_.end())) {
        return false;
      }
      as_short = orders_short_;
    } else if (frame.channel == "MYASSET") {
      if (!assets_) return false;
      as_short = assets_short_;
    } else {
      return false;
    }
    out = as_short ? feed_.last_short() : frame.text;
    return true;
  }
  const EndpointCounters& counters() const override { return counters_; }

 private:
  void count(bool subscribe) { ++(subscribe ? counters_.subscribes : counters_.unsubscribes); }

  CoinonePrivateFeed& feed_;  // a MYORDER subscription starts its script
  std::string connected_;
  bool authorized_;
  simdjson::dom::parser parser_;
  EndpointCounters counters_;
  std::vector<std::string> order_markets_;
  bool orders_ = false, orders_all_ = false, orders_short_ = false;
  bool assets_ = false, assets_short_ = false;
};

}  // namespace

Route coinone_private_route(CoinonePrivateFeed& feed, coinone::Credentials account,
                            std::uint64_t seed, std::shared_ptr<std::uint64_t> connection_counter) {
  return {"/v1/private", [&feed, account = std::move(account), seed,
                          counter = std::move(connection_counter)](const UpgradeRequest& up) {
            const bool ok = verify_coinone_auth(up.header(coinone::kPayloadHeader),
                                                up.header(coinone::kSignatureHeader), account);
            return std::make_unique<CoinonePrivateConnection>(
                feed, coinone_connected_frame(seed, ++*counter), ok);
          },
          Venue::coinone};
}

}  // namespace mde::sim
