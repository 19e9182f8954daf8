// BtseGenerator: per market, the venue's book (deeper than the 50-level window), the window last
// sent to the client (deltas are the exact difference), the seqNum chain and recent trades; frames
// rendered straight into a fixed buffer.
#include "mde/sample/btse_generator.hpp"

#include <algorithm>
#include <deque>
#include <functional>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "frame_text.hpp"
#include "rng.hpp"

namespace mde::sample {

namespace {

using detail::Rng;

constexpr std::int64_t kE8 = 100'000'000;  // prices and sizes are carried in units of 1e-8
constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kUs = 1'000;
constexpr std::uint64_t kMillion = 1'000'000;
constexpr std::size_t kWindow = 50;        // levels a side the venue shows
constexpr std::size_t kMinSide = 12;       // trades never sweep a side thinner than this
constexpr std::size_t kRecentTrades = 20;  // what a (re)subscribe repeats
constexpr std::int64_t kPongEveryNs = 15'000 * kMs;

// The largest frame is a re-quote delta (up to 100 entries on one side plus a few on the other,
// under 40 bytes each) or a 50+50-level snapshot: well under 8 KB.
using Out = detail::FrameText<16384>;

struct Spec {
  std::string_view symbol;
  std::int64_t tick;           // e8
  int price_decimals;          // places the wire keeps, trailing zeros included ("59249.0")
  std::int64_t start_price;    // e8, on the grid
  int size_decimals;           // ("0.24000")
  std::int64_t typical_size;   // e8: a resting level
  std::int64_t typical_trade;  // e8
  std::size_t depth;           // levels a side of the venue's book (the window shows <= 50)
  int weight;                  // share of traffic
};

constexpr Spec kKnown[] = {
    {"BTC-USD", kE8 / 10, 1, 108'250 * kE8, 5, kE8 / 4, kE8 / 200, 80, 50},
    {"ETH-USD", kE8 / 100, 2, 3'890 * kE8, 4, 4 * kE8, kE8 / 10, 70, 35},
    {"SOL-USD", kE8 / 100, 2, 185 * kE8, 3, 60 * kE8, 2 * kE8, 60, 15},
    {"XRP-USD", kE8 / 10'000, 4, 24'500 * (kE8 / 10'000), 1, 8'000 * kE8, 300 * kE8, 40, 10},
};
constexpr Spec kGeneric = {"", kE8 / 100, 2, 100 * kE8, 3, 50 * kE8, 3 * kE8 / 2, 45, 10};

using Bids = std::map<std::int64_t, std::int64_t, std::greater<>>;  // ticks -> e8, best first
using Asks = std::map<std::int64_t, std::int64_t>;                  // ticks -> e8, best first

struct Entry {
  std::int64_t price;  // ticks
  std::int64_t size;   // e8; 0 deletes
};
using Window = std::vector<Entry>;  // one side as the client holds it, best first

struct TradeRecord {
  std::int64_t id, price, size, ts_ms;  // price and size e8
  bool buy;
};

struct Market {
  Spec spec;
  std::string symbol;
  std::int64_t unit = 1;  // e8 of the smallest size step
  Bids bids;              // the venue's book
  Asks asks;
  Window shown_bids;  // the window as last sent to the client
  Window shown_asks;
  std::int64_t seq = 0;    // the last seqNum used (sent, or lost in a gap)
  std::int64_t ts_ms = 0;  // the last exchange timestamp (never runs backwards)
  std::int64_t trade_id = 0;
  std::int64_t floor = 0, ceiling = 0;  // ticks: takers lean back inside these
  std::deque<TradeRecord> recent;
  std::string last_delta;  // for duplicates
  bool repeat_delta = false;
  bool dirty = false;            // trades changed the book since the last delta
  bool probe_key_order = false;  // "symbol" before "timestamp", as a futures probe saw
  std::int64_t resync_at = -1;   // after a fault: when the client resubscribes (receive ns)

  [[nodiscard]] std::int64_t best_bid() const noexcept { return bids.begin()->first; }
  [[nodiscard]] std::int64_t best_ask() const noexcept { return asks.begin()->first; }
};

enum class Action : std::uint8_t {
  ack_books,
  ack_trades,
  unsubscribe_book,
  snapshot,
  recent_trades
};

struct Pending {
  Action action;
  int market;  // -1: every market (the first acks)
};

// A side's direction: +1 when worse prices are higher (asks), -1 when lower (bids).
template <class Side>
constexpr std::int64_t kAway = std::is_same_v<Side, Asks> ? 1 : -1;

}  // namespace

// ================================================================================================

struct BtseGenerator::State {
  explicit State(const BtseGenOptions& o);

  GenFrame next();

  // ---- market dynamics
  std::int64_t gap_ns();
  std::int64_t exchange_ms(Market& mk);
  void rebase(std::int64_t now_ns);
  int pick_market();
  std::int64_t random_size(const Market& mk, std::int64_t typical);
  bool chance(std::uint32_t ppm) { return rng.below(kMillion) < ppm; }
  template <class Side>
  std::size_t skewed_index(const Side& side);
  template <class Side>
  void side_action(Market& mk, Side& side);
  void book_actions(Market& mk);
  template <class Side>
  void keep_depth(Market& mk, Side& side);
  template <class Side>
  void fill_hole(Market& mk, Side& side);
  template <class Side>
  void requote(Market& mk, Side& side);
  void schedule_resync(Market& mk);

  // ---- frames
  void start_frame(std::uint32_t conn) {
    out.reset();
    connection = conn;
  }
  void ack(std::string_view event, bool books, int market);
  void snapshot(Market& mk);
  void delta(Market& mk);
  void changes(Market& mk);
  void add_cross(Market& mk);
  void trade_batch(Market& mk);
  void recent_trades(Market& mk);
  void pong(std::uint32_t conn);
  void render_pending(const Pending& p);

  // ---- rendering helpers
  void topic(std::string_view prefix, const Market& mk, std::string_view suffix);
  void price(const Market& mk, std::int64_t ticks);
  void size(const Market& mk, std::int64_t e8);
  void level(const Market& mk, const Entry& e, bool first);
  void book_data(Market& mk, std::string_view type);
  void java_number(std::int64_t e8);
  void trade_object(const Market& mk, const TradeRecord& t);

  BtseGenOptions options;
  Rng rng;
  Out out;
  std::uint32_t connection = 0;
  std::int64_t now;           // the generator's own clock: paces the stream (gaps, pongs, resyncs)
  std::int64_t stamp_ns = 0;  // next(now_ns): the venue times of this frame; 0: `now`
  bool rebased = false;       // the trades from before the first next(now_ns) moved onto its clock
  BtseGenCounts counts;
  std::vector<Market> markets;
  int weight_total = 0;
  std::deque<Pending> pending;  // emitted first, in order, a fraction of a millisecond apart
  std::int64_t next_pong_book = 0, next_pong_trade = 0;
  bool fixed_style = true;  // this frame keeps trailing zeros
  std::vector<Entry> bid_changes, ask_changes;
  Window spare;
  std::size_t dirty_cursor = 0;
};

// ---- Construction ------------------------------------------------------------------------------

BtseGenerator::State::State(const BtseGenOptions& o)
    : options(o), rng(o.seed ^ 0x6D64652D62747365ull /* "mde-btse" */), now(o.start_ns) {
  if (o.markets.empty()) throw std::invalid_argument("BtseGenerator: no markets");
  for (const std::string& name : o.markets) {
    // Short names keep every frame far inside the fixed buffer (20 trades name it 21 times).
    const bool bad =
        name.empty() || name.size() > 32 || std::any_of(name.begin(), name.end(), [](char c) {
          return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
        });
    if (bad) throw std::invalid_argument("BtseGenerator: bad market name '" + name + "'");
    for (const Market& other : markets) {
      if (other.symbol == name) throw std::invalid_argument("BtseGenerator: " + name + " twice");
    }
    Market mk;
    mk.spec = kGeneric;
    for (const Spec& s : kKnown) {
      if (s.symbol == name) mk.spec = s;
    }
    mk.symbol = name;
    const Spec& s = mk.spec;
    mk.unit = kE8;
    for (int i = 0; i < s.size_decimals; ++i) mk.unit /= 10;
    // Start within +-2% of the reference price so seeds differ but stay recognisable.
    const std::int64_t ref = s.start_price / s.tick;
    const std::int64_t bid = ref + rng.between(-ref / 50, ref / 50);
    mk.floor = ref / 3;
    mk.ceiling = ref * 3;
    std::int64_t p = bid;
    for (std::size_t l = 0; l < s.depth; ++l) {
      mk.bids[p] = random_size(mk, s.typical_size);
      p -= 1 + (rng.per_mille(250) ? rng.between(1, 3) : 0);
    }
    p = bid + 1 + static_cast<std::int64_t>(rng.below(2));
    for (std::size_t l = 0; l < s.depth; ++l) {
      mk.asks[p] = random_size(mk, s.typical_size);
      p += 1 + (rng.per_mille(250) ? rng.between(1, 3) : 0);
    }
    mk.seq = rng.between(600'000, 90'000'000);
    mk.trade_id = rng.between(100'000'000, 900'000'000);
    mk.probe_key_order = rng.per_mille(300);
    // Trades from before we subscribed: the first batch repeats them.
    const std::int64_t history = rng.between(5, static_cast<std::int64_t>(kRecentTrades));
    std::int64_t ts = now / kMs - history * 1'500;
    for (std::int64_t i = 0; i < history; ++i) {
      ts += rng.between(10, 1'400);  // stays before `now`
      const bool buy = rng.below(2) == 0;
      const std::int64_t at =
          (buy ? mk.best_ask() : mk.best_bid()) + (buy ? 1 : -1) * rng.between(0, 2);
      mk.recent.push_back({++mk.trade_id, at * s.tick, random_size(mk, s.typical_trade), ts, buy});
    }
    mk.ts_ms = ts;
    weight_total += s.weight;
    markets.push_back(std::move(mk));
  }
  // The book acks and snapshots on the OSS connection (the first snapshot sometimes before its
  // ack, as probes saw), then the trade ack and the recent-trades batches on the main one.
  const bool snapshot_first = rng.per_mille(300);
  const int n = static_cast<int>(markets.size());
  if (snapshot_first) pending.push_back({Action::snapshot, 0});
  pending.push_back({Action::ack_books, -1});
  for (int m = snapshot_first ? 1 : 0; m < n; ++m) pending.push_back({Action::snapshot, m});
  pending.push_back({Action::ack_trades, -1});
  for (int m = 0; m < n; ++m) pending.push_back({Action::recent_trades, m});
  next_pong_book = now + kPongEveryNs + rng.between(0, 1'000) * kMs;
  next_pong_trade = now + kPongEveryNs + rng.between(0, 1'000) * kMs;
}

// ---- Time and randomness -----------------------------------------------------------------------

// Bursty inter-arrival gaps like the Coinone generator's: mean about 2 ms.
std::int64_t BtseGenerator::State::gap_ns() {
  const std::uint64_t r = rng.below(100);
  if (r < 70) return rng.between(5 * kUs, 400 * kUs);
  if (r < 96) return rng.between(400 * kUs, 5 * kMs);
  return rng.between(5 * kMs, 50 * kMs);
}

// The venue's clock: 1 to 5 ms behind our receive time, or the time the caller produces the frame
// at (the lag drawn all the same, so the content does not change); never backwards per market.
std::int64_t BtseGenerator::State::exchange_ms(Market& mk) {
  const std::int64_t lag = rng.between(1 * kMs, 5 * kMs);
  const std::int64_t ms = (stamp_ns != 0 ? stamp_ns : now - lag) / kMs;
  mk.ts_ms = std::max(mk.ts_ms, ms);
  return mk.ts_ms;
}

// The first time the caller gives the time: the trades made so far (those from before the
// subscription, which the first batch repeats) keep their spacing but move onto its clock, so
// they stay just before it.
void BtseGenerator::State::rebase(std::int64_t now_ns) {
  if (rebased) return;
  rebased = true;
  const std::int64_t shift = now_ns / kMs - now / kMs;
  for (Market& mk : markets) {
    for (TradeRecord& t : mk.recent) t.ts_ms += shift;
    mk.ts_ms += shift;
  }
}

int BtseGenerator::State::pick_market() {
  auto r = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(weight_total)));
  for (std::size_t i = 0; i < markets.size(); ++i) {
    r -= markets[i].spec.weight;
    if (r < 0) return static_cast<int>(i);
  }
  return 0;
}

// Between 1/1000 and 2x `typical`, with ragged tails, on the market's size grid (>= one unit).
std::int64_t BtseGenerator::State::random_size(const Market& mk, std::int64_t typical) {
  const std::int64_t scale = rng.per_mille(200) ? rng.between(1, 100) : rng.between(100, 2000);
  std::int64_t q = static_cast<std::int64_t>(static_cast<__int128>(typical) * scale / 1000);
  if (rng.per_mille(600)) q += rng.between(0, mk.unit * 9999) % (typical > 0 ? typical : 1);
  q -= q % mk.unit;
  return q < mk.unit ? mk.unit : q;
}

// A level inside the window, near the touch more often.
template <class Side>
std::size_t BtseGenerator::State::skewed_index(const Side& side) {
  const std::size_t shown = std::min(side.size(), kWindow);
  std::size_t i = static_cast<std::size_t>(rng.below(shown));
  if (rng.per_mille(500)) i /= 4;
  return i;
}

// ---- Book dynamics -----------------------------------------------------------------------------

// One maker action on one side: resize, insert between levels, cancel, or keep the depth.
template <class Side>
void BtseGenerator::State::side_action(Market& mk, Side& side) {
  constexpr std::int64_t away = kAway<Side>;
  const Spec& s = mk.spec;
  const std::uint64_t r = rng.below(100);
  const std::size_t i = skewed_index(side);
  auto level = std::next(side.begin(), static_cast<std::ptrdiff_t>(i));
  if (r < 20 && side.size() > kMinSide + 2) {
    side.erase(level);  // a cancel; at the touch it moves the touch away
  } else if (r < 40 && std::next(level) != side.end()) {
    const std::int64_t gap = (std::next(level)->first - level->first) * away;
    if (gap > 1) {
      side[level->first + away * rng.between(1, gap - 1)] = random_size(mk, s.typical_size);
    } else {
      level->second = random_size(mk, s.typical_size);
    }
  } else if (r < 90) {
    level->second = random_size(mk, s.typical_size);
  } else if (side.size() > s.depth + 8) {
    side.erase(std::prev(side.end()));
  }
  keep_depth(mk, side);
}

// Makers quote densely near the touch: the first hole wider than 2 ticks among the top 20 levels
// (left by a sweep, or by a trend that leaves the far side's old levels behind) gets a level.
template <class Side>
void BtseGenerator::State::fill_hole(Market& mk, Side& side) {
  constexpr std::int64_t away = kAway<Side>;
  auto it = side.begin();
  for (int i = 0; i < 20 && std::next(it) != side.end(); ++i, ++it) {
    const std::int64_t gap = (std::next(it)->first - it->first) * away;
    if (gap > 2) {
      side[it->first + away * rng.between(1, std::min<std::int64_t>(gap - 1, 3))] =
          random_size(mk, mk.spec.typical_size);
      return;
    }
  }
}

// Deep makers keep the venue's book near its depth (well over kMinSide after any sweep).
template <class Side>
void BtseGenerator::State::keep_depth(Market& mk, Side& side) {
  const std::size_t depth = mk.spec.depth;
  while (side.size() < depth && (side.size() < depth - 10 || rng.per_mille(300))) {
    const std::int64_t worst = std::prev(side.end())->first;
    side[worst + kAway<Side> * rng.between(1, 3)] = random_size(mk, mk.spec.typical_size);
  }
}

void BtseGenerator::State::book_actions(Market& mk) {
  const int n = 1 + (rng.per_mille(300) ? static_cast<int>(rng.between(1, 3)) : 0);
  for (int k = 0; k < n; ++k) {
    const bool bid = rng.below(2) == 0;
    const std::int64_t spread = mk.best_ask() - mk.best_bid();
    if (spread > 1 && rng.per_mille(spread >= 3 ? 800 : 400)) {
      // A maker improves the touch inside the spread (never crossing).
      const std::int64_t step = rng.between(1, spread - 1);
      if (bid)
        mk.bids[mk.best_bid() + step] = random_size(mk, mk.spec.typical_size);
      else
        mk.asks[mk.best_ask() - step] = random_size(mk, mk.spec.typical_size);
    } else if (bid) {
      side_action(mk, mk.bids);
    } else {
      side_action(mk, mk.asks);
    }
    if (rng.per_mille(500)) {
      if (bid)
        fill_hole(mk, mk.bids);
      else
        fill_hole(mk, mk.asks);
    }
  }
  if (rng.per_mille(3)) {
    if (rng.below(2) == 0)
      requote(mk, mk.bids);
    else
      requote(mk, mk.asks);
  }
}

// A market maker re-quotes a whole side a few ticks further away with new sizes: every level of
// the window changes, so one side of the delta holds more than 50 entries (inserts and deletes
// interleaved, so a client's side transiently grows past 50 while applying it).
template <class Side>
void BtseGenerator::State::requote(Market& mk, Side& side) {
  constexpr std::int64_t away = kAway<Side>;
  const std::int64_t shift = rng.between(1, 3);
  std::vector<std::int64_t> prices;
  for (auto it = side.begin(); it != side.end() && prices.size() < kWindow; ++it) {
    prices.push_back(it->first);
  }
  for (const std::int64_t p : prices) side.erase(p);
  for (const std::int64_t p : prices)
    side[p + away * shift] = random_size(mk, mk.spec.typical_size);
}

void BtseGenerator::State::schedule_resync(Market& mk) {
  if (options.resync_after_fault && mk.resync_at < 0) {
    mk.resync_at = now + rng.between(30 * kMs, 200 * kMs);
  }
}

// ---- Book frames -------------------------------------------------------------------------------

namespace {

// What the client must change to go from `shown` to the top of `full`: levels that left the
// window as size 0, new or resized levels with their size. `shown` becomes the new window
// (`scratch` is its spare buffer). A merge of two lists sorted best first: no allocation once the
// vectors have grown.
template <class Side>
void window_diff(const Side& full, Window& shown, Window& scratch, std::vector<Entry>& out) {
  const typename Side::key_compare before;
  scratch.clear();
  for (auto it = full.begin(); it != full.end() && scratch.size() < kWindow; ++it) {
    scratch.push_back({it->first, it->second});
  }
  out.clear();
  std::size_t i = 0, j = 0;
  while (i < shown.size() || j < scratch.size()) {
    if (j == scratch.size() || (i < shown.size() && before(shown[i].price, scratch[j].price))) {
      out.push_back({shown[i++].price, 0});
    } else if (i == shown.size() || before(scratch[j].price, shown[i].price)) {
      out.push_back(scratch[j++]);
    } else {
      if (shown[i].size != scratch[j].size) out.push_back(scratch[j]);
      ++i;
      ++j;
    }
  }
  shown.swap(scratch);
}

}  // namespace

// The next delta's entries (both sides, shuffled: the wire's levels are unordered). Never empty.
void BtseGenerator::State::changes(Market& mk) {
  if (!mk.dirty || rng.per_mille(300)) book_actions(mk);
  mk.dirty = false;
  for (int attempt = 0;; ++attempt) {
    window_diff(mk.bids, mk.shown_bids, spare, bid_changes);
    window_diff(mk.asks, mk.shown_asks, spare, ask_changes);
    if (!bid_changes.empty() || !ask_changes.empty()) break;
    if (attempt < 2) {
      book_actions(mk);
    } else {  // nothing visible moved: the touch size changes
      std::int64_t& touch = mk.bids.begin()->second;
      touch = touch == mk.unit ? 2 * mk.unit : touch - mk.unit;
    }
  }
  for (std::vector<Entry>* v : {&bid_changes, &ask_changes}) {
    for (std::size_t i = v->size(); i > 1; --i) {
      std::swap((*v)[i - 1], (*v)[static_cast<std::size_t>(rng.below(i))]);
    }
  }
}

// A crossed book: a bid at or above the best ask (or an ask at or below the best bid) that the
// venue's book does not hold, so the next delta deletes it again.
void BtseGenerator::State::add_cross(Market& mk) {
  const std::int64_t size = random_size(mk, mk.spec.typical_size);
  const std::int64_t beyond = rng.between(0, 2);
  if (rng.below(2) == 0) {
    const std::int64_t p = mk.shown_asks.front().price + beyond;
    mk.shown_bids.insert(mk.shown_bids.begin(), {p, size});
    bid_changes.insert(
        bid_changes.begin() + static_cast<std::ptrdiff_t>(rng.below(bid_changes.size() + 1)),
        {p, size});
  } else {
    const std::int64_t p = mk.shown_bids.front().price - beyond;
    mk.shown_asks.insert(mk.shown_asks.begin(), {p, size});
    ask_changes.insert(
        ask_changes.begin() + static_cast<std::ptrdiff_t>(rng.below(ask_changes.size() + 1)),
        {p, size});
  }
}

void BtseGenerator::State::snapshot(Market& mk) {
  window_diff(mk.bids, mk.shown_bids, spare, bid_changes);
  window_diff(mk.asks, mk.shown_asks, spare, ask_changes);
  ++mk.seq;
  mk.last_delta.clear();
  mk.repeat_delta = false;
  start_frame(options.book_connection);
  fixed_style = rng.per_mille(750);
  topic(R"({"topic":"update:)", mk, R"(_0","data":{"bids":[)");
  for (const Entry& e : mk.shown_bids) level(mk, e, &e == &mk.shown_bids.front());  // best first
  out.put(R"(],"asks":[)");
  for (auto it = mk.shown_asks.rbegin(); it != mk.shown_asks.rend(); ++it) {  // worst first
    level(mk, *it, it == mk.shown_asks.rbegin());
  }
  out.put(']');
  book_data(mk, "snapshot");
  ++counts.snapshot;
}

void BtseGenerator::State::delta(Market& mk) {
  if (chance(options.gap_ppm)) {
    changes(mk);  // the lost message: the client never sees these changes
    ++mk.seq;
    ++counts.gaps;
    schedule_resync(mk);
  }
  changes(mk);
  if (chance(options.cross_ppm)) {
    add_cross(mk);
    ++counts.crosses;
    schedule_resync(mk);
  }
  ++mk.seq;
  start_frame(options.book_connection);
  fixed_style = rng.per_mille(750);
  // The doc's own delta example drops the grouping suffix; it shares the _0 chain.
  topic(R"({"topic":"update:)", mk,
        rng.per_mille(100) ? R"(","data":{"bids":[)" : R"(_0","data":{"bids":[)");
  for (std::size_t i = 0; i < bid_changes.size(); ++i) level(mk, bid_changes[i], i == 0);
  out.put(R"(],"asks":[)");
  for (std::size_t i = 0; i < ask_changes.size(); ++i) level(mk, ask_changes[i], i == 0);
  out.put(']');
  book_data(mk, "delta");
  mk.last_delta.assign(out.view());
  mk.repeat_delta = chance(options.duplicate_ppm);
  ++counts.delta;
}

// The keys after the levels, in the doc's order or (per market) the futures probe's.
void BtseGenerator::State::book_data(Market& mk, std::string_view type) {
  out.put(R"(,"seqNum":)");
  out.put_u64(static_cast<std::uint64_t>(mk.seq));
  out.put(R"(,"prevSeqNum":)");
  out.put_u64(static_cast<std::uint64_t>(mk.seq - 1));
  out.put(R"(,"type":")");
  out.put(type);
  const std::int64_t ts = exchange_ms(mk);
  if (mk.probe_key_order) {
    out.put(R"(","symbol":")");
    out.put(mk.symbol);
    out.put(R"(","timestamp":)");
    out.put_u64(static_cast<std::uint64_t>(ts));
  } else {
    out.put(R"(","timestamp":)");
    out.put_u64(static_cast<std::uint64_t>(ts));
    out.put(R"(,"symbol":")");
    out.put(mk.symbol);
    out.put('"');
  }
  out.put("}}");
}

// ---- Trade frames ------------------------------------------------------------------------------

// One taker sweeping the touch: 1..8 trades at the best levels on the other side.
void BtseGenerator::State::trade_batch(Market& mk) {
  const std::int64_t bid = mk.best_bid();
  const bool buy = bid < mk.floor     ? rng.per_mille(800)
                   : bid > mk.ceiling ? rng.per_mille(200)
                                      : rng.below(2) == 0;
  const std::int64_t n = rng.per_mille(650)   ? 1
                         : rng.per_mille(700) ? rng.between(2, 3)
                                              : rng.between(4, 8);
  const std::int64_t ts = exchange_ms(mk);
  const bool sweep = rng.per_mille(60);  // takes whole levels
  start_frame(options.trade_connection);
  topic(R"({"topic":"tradeHistoryApi:)", mk, R"(","data":[)");
  for (std::int64_t k = 0; k < n; ++k) {
    auto take = [&](auto& side) {
      auto level = side.begin();
      std::int64_t qty = sweep ? level->second : random_size(mk, mk.spec.typical_trade);
      const bool may_empty = side.size() > kMinSide;
      if (qty >= level->second && !may_empty && level->second > mk.unit) {
        qty = level->second - mk.unit;
      }
      TradeRecord t{++mk.trade_id, level->first * mk.spec.tick, 0, ts, buy};
      if (qty >= level->second) {
        t.size = level->second;
        side.erase(level);
      } else {
        t.size = qty;
        level->second -= qty;
      }
      return t;
    };
    const TradeRecord t = buy ? take(mk.asks) : take(mk.bids);
    if (k > 0) out.put(',');
    trade_object(mk, t);
    mk.recent.push_back(t);
    if (mk.recent.size() > kRecentTrades) mk.recent.pop_front();
    ++counts.trades;
  }
  out.put("]}");
  if (buy)
    keep_depth(mk, mk.asks);
  else
    keep_depth(mk, mk.bids);
  mk.dirty = true;
  ++counts.trade_batch;
}

// The batch a (re)subscribe gets first: the last trades again, oldest first.
void BtseGenerator::State::recent_trades(Market& mk) {
  start_frame(options.trade_connection);
  topic(R"({"topic":"tradeHistoryApi:)", mk, R"(","data":[)");
  for (std::size_t i = 0; i < mk.recent.size(); ++i) {
    if (i > 0) out.put(',');
    trade_object(mk, mk.recent[i]);
    ++counts.trades;
  }
  out.put("]}");
  ++counts.trade_batch;
}

void BtseGenerator::State::trade_object(const Market& mk, const TradeRecord& t) {
  out.put(R"({"symbol":")");
  out.put(mk.symbol);
  out.put(t.buy ? R"(","side":"BUY","size":)" : R"(","side":"SELL","size":)");
  java_number(t.size);
  out.put(R"(,"price":)");
  java_number(t.price);
  out.put(R"(,"tradeId":)");
  out.put_u64(static_cast<std::uint64_t>(t.id));
  out.put(R"(,"timestamp":)");
  out.put_u64(static_cast<std::uint64_t>(t.ts_ms));
  out.put('}');
}

// ---- Control frames ----------------------------------------------------------------------------

// `{"event":"subscribe","channel":[...]}` for one market's topic or every market's (then in a
// seeded order: the venue's list need not follow the request).
void BtseGenerator::State::ack(std::string_view event, bool books, int market) {
  start_frame(books ? options.book_connection : options.trade_connection);
  out.put(R"({"event":")");
  out.put(event);
  out.put(R"(","channel":[)");
  std::vector<int> order;
  if (market >= 0) {
    order.push_back(market);
  } else {
    for (int m = 0; m < static_cast<int>(markets.size()); ++m) order.push_back(m);
    for (std::size_t i = order.size(); i > 1; --i) {
      std::swap(order[i - 1], order[static_cast<std::size_t>(rng.below(i))]);
    }
  }
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Market& mk = markets[static_cast<std::size_t>(order[i])];
    topic(i == 0 ? (books ? R"("update:)" : R"("tradeHistoryApi:)")
                 : (books ? R"(,"update:)" : R"(,"tradeHistoryApi:)"),
          mk, books ? R"(_0")" : R"(")");
  }
  out.put("]}");
  ++counts.control;
}

void BtseGenerator::State::pong(std::uint32_t conn) {
  start_frame(conn);
  out.put("pong");
  ++counts.control;
}

void BtseGenerator::State::render_pending(const Pending& p) {
  Market* mk = p.market >= 0 ? &markets[static_cast<std::size_t>(p.market)] : nullptr;
  switch (p.action) {
    case Action::ack_books:
      ack("subscribe", true, p.market);
      break;
    case Action::ack_trades:
      ack("subscribe", false, p.market);
      break;
    case Action::unsubscribe_book:
      ack("unsubscribe", true, p.market);
      break;
    case Action::snapshot:
      snapshot(*mk);
      break;
    case Action::recent_trades:
      recent_trades(*mk);
      break;
  }
}

// ---- Rendering helpers -------------------------------------------------------------------------

void BtseGenerator::State::topic(std::string_view prefix, const Market& mk,
                                 std::string_view suffix) {
  out.put(prefix);
  out.put(mk.symbol);
  out.put(suffix);
}

// Book prices and sizes are strings; this frame either keeps the wire's trailing zeros
// ("59249.0", "0.24000") or drops them ("59249", "0.24"): the same level either way.
void BtseGenerator::State::price(const Market& mk, std::int64_t ticks) {
  out.put('"');
  out.put_fixed(ticks * mk.spec.tick, 8, mk.spec.price_decimals, !fixed_style);
  out.put('"');
}

void BtseGenerator::State::size(const Market& mk, std::int64_t e8) {
  if (e8 == 0 && (!fixed_style || rng.per_mille(850))) {
    out.put(R"("0")");
    return;
  }
  out.put('"');
  out.put_fixed(e8, 8, mk.spec.size_decimals, !fixed_style);
  out.put('"');
}

// One `["price","size"]` pair of a book side.
void BtseGenerator::State::level(const Market& mk, const Entry& e, bool first) {
  out.put(first ? "[" : ",[");
  price(mk, e.price);
  out.put(',');
  size(mk, e.size);
  out.put(']');
}

// A positive value as Java's Double.toString writes it (the venue is a Java service): plain with
// at least one fraction digit for 1e-3 <= v < 1e7 ("0.007", "5302.8", "1.0"), otherwise
// computerized scientific notation ("5.0E-4", "1.25E-4", "1.2E7"). Our values have at most 8
// fraction digits, so the shortest round-trip digits are exactly the decimal's digits.
void BtseGenerator::State::java_number(std::int64_t e8) {
  constexpr std::int64_t kMilli = kE8 / 1000;
  if (e8 >= kMilli && e8 < 10'000'000 * kE8) {
    out.put_fixed(e8, 8, 8, true);
    if (e8 % kE8 == 0) out.put(".0");
    return;
  }
  char digits[20];
  int n = 0;
  for (std::int64_t v = e8; v != 0; v /= 10) digits[n++] = static_cast<char>('0' + v % 10);
  const int exponent = n - 1 - 8;  // value = d.ddd x 10^exponent
  int last = 0;                    // trailing zeros of the mantissa are dropped
  while (last < n - 1 && digits[last] == '0') ++last;
  out.put(digits[n - 1]);
  out.put('.');
  if (last == n - 1) out.put('0');
  for (int i = n - 2; i >= last; --i) out.put(digits[i]);
  out.put('E');
  if (exponent < 0) out.put('-');
  out.put_u64(static_cast<std::uint64_t>(exponent < 0 ? -exponent : exponent));
}

// ---- The stream --------------------------------------------------------------------------------

GenFrame BtseGenerator::State::next() {
  if (!pending.empty()) {
    const Pending p = pending.front();
    pending.pop_front();
    now += rng.between(20 * kUs, 400 * kUs);
    render_pending(p);
    return {now, connection, out.view(), Venue::btse};
  }
  now += gap_ns();
  if (now >= next_pong_book || now >= next_pong_trade) {
    const bool book = now >= next_pong_book;
    (book ? next_pong_book : next_pong_trade) = now + kPongEveryNs + rng.between(-500, 500) * kMs;
    pong(book ? options.book_connection : options.trade_connection);
    return {now, connection, out.view(), Venue::btse};
  }
  for (Market& mk : markets) {
    if (mk.repeat_delta) {
      mk.repeat_delta = false;
      start_frame(options.book_connection);
      out.put(mk.last_delta);
      ++counts.delta;
      ++counts.duplicates;
      return {now, connection, out.view(), Venue::btse};
    }
  }
  for (std::size_t m = 0; m < markets.size(); ++m) {
    if (markets[m].resync_at >= 0 && now >= markets[m].resync_at) {
      // The client that saw the gap or cross resubscribes the topic: the venue acks both, then
      // sends a fresh snapshot (the chain carries on).
      markets[m].resync_at = -1;
      ++counts.resyncs;
      const int i = static_cast<int>(m);
      ack("unsubscribe", true, i);
      pending.push_back({Action::ack_books, i});
      pending.push_back({Action::snapshot, i});
      return {now, connection, out.view(), Venue::btse};
    }
  }
  if (chance(options.resubscribe_ppm)) {
    const int m = pick_market();
    ++counts.resubscribes;
    const bool books = rng.below(2) == 0;
    ack("subscribe", books, m);
    pending.push_back({books ? Action::snapshot : Action::recent_trades, m});
    return {now, connection, out.view(), Venue::btse};
  }
  // Per-mille share of book deltas; the rest are trade batches.
  std::uint64_t w_book = 600;
  switch (options.kind) {
    case GenKind::trade_heavy:
      w_book = 250;
      break;
    case GenKind::book_heavy:
      w_book = 880;
      break;
    case GenKind::mixed:
      break;
  }
  if (rng.below(1000) < w_book) {
    // Trades just changed a book: its delta usually follows soon.
    int m = -1;
    if (rng.per_mille(500)) {
      for (std::size_t k = 0; k < markets.size() && m < 0; ++k) {
        const std::size_t i = (dirty_cursor + k) % markets.size();
        if (markets[i].dirty) m = static_cast<int>(i);
      }
      dirty_cursor = (dirty_cursor + 1) % markets.size();
    }
    delta(markets[static_cast<std::size_t>(m >= 0 ? m : pick_market())]);
  } else {
    trade_batch(markets[static_cast<std::size_t>(pick_market())]);
  }
  return {now, connection, out.view(), Venue::btse};
}

// ---- Public wrapper ----------------------------------------------------------------------------

BtseGenerator::BtseGenerator(const BtseGenOptions& options)
    : state_(std::make_unique<State>(options)) {}

BtseGenerator::~BtseGenerator() = default;

GenFrame BtseGenerator::next() {
  return state_->next();
}

GenFrame BtseGenerator::next(std::int64_t now_ns) {
  if (now_ns <= 0) return next();
  State& s = *state_;
  s.rebase(now_ns);
  s.stamp_ns = now_ns;
  GenFrame f = s.next();
  s.stamp_ns = 0;
  f.receive_ns = now_ns;
  return f;
}

const BtseGenCounts& BtseGenerator::counts() const noexcept {
  return state_->counts;
}

}  // namespace mde::sample
