// CoinoneGenerator: market state (books on a tick grid, ticker statistics, own orders and
// balances), a seeded integer-only random source, and direct-to-buffer JSON rendering.
#include "mde/sample/coinone_generator.hpp"

#include "frame_text.hpp"
#include "rng.hpp"

#include <cstring>
#include <deque>
#include <string>
#include <vector>

namespace mde::sample {

namespace {

constexpr std::int64_t kE8 = 100'000'000;  // values are carried in units of 1e-8
constexpr std::int64_t kKrwUnit = 10'000;  // 0.0001 KRW in e8 units
constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kUs = 1'000;
constexpr int kLevels = 16;

using detail::Rng;
using Out = detail::FrameText<8192>;  // the largest frame (a DEFAULT book) is under 2 KB

// Keys in both formats; `k(fmt)` picks one.
struct Key {
  std::string_view long_key;
  std::string_view short_key;
};

enum class Fmt : std::uint8_t { full, brief };  // DEFAULT, SHORT

// ---- Markets -----------------------------------------------------------------------------------

struct MarketSpec {
  const char* base;
  std::int64_t tick;         // e8
  std::int64_t start_price;  // e8, on the tick grid
  int qty_decimals;
  std::int64_t typical_qty;  // e8: a typical resting level
  int weight;                // share of public traffic
  std::int64_t day_quote_volume;   // KRW, scale of the ticker's 24h values
  std::int64_t day_target_volume;  // e8
};

constexpr MarketSpec kMarkets[] = {
    {"XRP", kE8 / 10, 6880 * (kE8 / 10), 4, 50'000 * kE8, 30, 55'904'975'548,
     80'021'677 * kE8},
    {"BTC", 1000 * kE8, 116'460'000 * kE8, 8, kE8 / 50, 25, 98'000'000'000, 840 * kE8},
    {"ETH", 1000 * kE8, 6'244'000 * kE8, 8, kE8 / 2, 20, 31'000'000'000, 4'960 * kE8},
    {"SOL", 50 * kE8, 281'450 * kE8, 4, 20 * kE8, 15, 9'100'000'000, 32'300 * kE8},
    {"DOGE", kE8 / 10, 2903 * (kE8 / 10), 2, 60'000 * kE8, 10, 4'400'000'000,
     15'150'000 * kE8},
};
constexpr int kMarketCount = static_cast<int>(sizeof kMarkets / sizeof kMarkets[0]);

struct Market {
  const MarketSpec* spec;
  std::int64_t best_bid;  // ticks
  std::int64_t spread;    // ticks, >= 1
  std::int64_t floor;     // ticks: the walk reflects here
  std::int64_t ask_gap[kLevels];  // ticks between level i-1 and i (index 0 unused)
  std::int64_t bid_gap[kLevels];
  std::int64_t ask_qty[kLevels];  // e8
  std::int64_t bid_qty[kLevels];
  std::uint64_t book_id = 0, trade_id = 0, ticker_id = 0;
  Fmt book_fmt, trade_fmt, ticker_fmt;
  bool repeat_book = false;  // after a duplicate SUBSCRIBED: resend the same book and id
  // Ticker day statistics (e8).
  std::int64_t first, high, low, last;
  std::int64_t quote_volume, target_volume;  // e4 KRW, e8 coin
  std::int64_t y_high, y_low, y_first, y_last;
  std::int64_t y_quote_volume, y_target_volume;  // e4 KRW, e8 coin

  [[nodiscard]] std::int64_t best_ask() const noexcept { return best_bid + spread; }
  [[nodiscard]] std::int64_t ask_price(int level) const noexcept {  // ticks
    std::int64_t p = best_ask();
    for (int i = 1; i <= level; ++i) p += ask_gap[i];
    return p;
  }
  [[nodiscard]] std::int64_t bid_price(int level) const noexcept {
    std::int64_t p = best_bid;
    for (int i = 1; i <= level; ++i) p -= bid_gap[i];
    return p;
  }
};

// ---- Own orders and balances (mixed) -----------------------------------------------------------

enum class OrderStage : std::uint8_t { watching, resting };

struct Order {
  int market;
  bool bid;
  OrderStage stage;
  std::int64_t price;      // e8
  std::int64_t qty;        // e8
  std::int64_t remaining;  // e8
  std::int64_t locked;     // e8 of KRW (bid) or of the target (ask) still held for this order
  std::int64_t order_s;    // order time, seconds
  char id[37];
  char client_id[37];      // empty when the order has none
};

struct Balance {
  std::int64_t available;  // e8
  std::int64_t locked;
};

constexpr std::size_t kMaxOpenOrders = 6;

struct Pending {
  std::uint32_t connection;
  std::string text;
};

}  // namespace

// ================================================================================================

struct CoinoneGenerator::State {
  explicit State(const GenOptions& o);

  GenFrame next();

  // ---- time
  std::int64_t gap_ns();
  std::int64_t exchange_ms();
  // The venue's clock in seconds (private frames): the caller's time when given one.
  [[nodiscard]] std::int64_t venue_s() const noexcept {
    return (stamp_ns != 0 ? stamp_ns : now) / 1'000'000'000;
  }
  static std::uint64_t next_id(std::uint64_t last, std::int64_t ms) noexcept {
    const std::uint64_t candidate = static_cast<std::uint64_t>(ms) * 1000 + 1;
    return candidate > last ? candidate : last + 1;
  }
  int pick_market();
  std::int64_t random_qty(const MarketSpec& spec, std::int64_t typical);

  // ---- frames
  void book(int m);
  void trade(int m);
  void ticker(int m);
  void pong();
  void private_action();
  void resubscribe(int m);

  // ---- rendering helpers
  void envelope(Fmt f, std::string_view channel);
  void market_keys(Fmt f, const Market& mk);
  void key(Fmt f, const Key& k) {
    w().put(",\"");
    w().put(f == Fmt::full ? k.long_key : k.short_key);
    w().put("\":");
  }
  void first_key(Fmt f, const Key& k) {
    w().put('"');
    w().put(f == Fmt::full ? k.long_key : k.short_key);
    w().put("\":");
  }
  void uuid(char (&dst)[37], std::uint32_t time_low, bool v1_style);
  std::string render_subscribed_public(std::string_view channel, const Market& mk);

  // ---- private flows
  struct OrderView;  // the optional fields of one MYORDER frame
  void render_order(const Order& o, std::string_view status, const OrderView& v);
  void emit_order_frame(const Order& o, std::string_view status, const OrderView& v);
  void queue_assets(std::string_view type, int market, bool krw, bool target,
                    const Order* o, const char* trade_id, bool now_frame = false);
  void place_order();
  void advance_order(std::size_t index);
  void fill(std::size_t index);
  void cancel(std::size_t index);
  Balance& target_balance(int market) { return balances[market + 1]; }

  GenOptions options;
  Rng rng;
  Out out;       // the frame next() returns
  Out scratch;   // follow-up frames rendered for the pending queue
  Out* cur = &out;
  Out& w() { return *cur; }
  GenCounts counts;
  std::int64_t now;           // the generator's own clock: paces the stream (gaps, pongs)
  std::int64_t stamp_ns = 0;  // next(now_ns): the venue times of this frame; 0: `now`
  std::uint32_t connection = kPublicConnection;
  std::vector<Market> markets;
  int market_weight_total = 0;
  std::deque<Pending> preamble;  // emitted first, in order
  std::deque<Pending> pending;   // private follow-ups (trade_done, MYASSET), emitted soon after
  std::int64_t next_pong[3] = {0, 0, 0};
  bool private_channels = false;
  Fmt order_fmt = Fmt::full, asset_fmt = Fmt::brief;
  std::vector<Order> orders;
  Balance balances[kMarketCount + 1];  // [0] is KRW
  std::int64_t krw_start = 0;
  std::uint32_t order_seq = 0, trade_seq = 0;
  std::uint16_t node_a = 0;
  std::uint64_t node_b = 0;
  bool after_connected = false;
};

// ---- Construction: markets, formats, preamble --------------------------------------------------

CoinoneGenerator::State::State(const GenOptions& o)
    : options(o), rng(o.seed ^ 0x6D64652D67656E31ull /* "mde-gen1" */), now(o.start_ns) {
  private_channels = o.kind == GenKind::mixed;
  const std::uint64_t format_salt = rng.below(2);
  for (int i = 0; i < kMarketCount; ++i) {
    Market mk{};
    mk.spec = &kMarkets[i];
    const MarketSpec& s = *mk.spec;
    // Start within +-2% of the reference price so seeds differ but stay recognisable.
    const std::int64_t ref = s.start_price / s.tick;
    mk.best_bid = ref + rng.between(-ref / 50, ref / 50);
    mk.spread = 1 + static_cast<std::int64_t>(rng.below(2));
    mk.floor = ref / 3;
    for (int l = 0; l < kLevels; ++l) {
      mk.ask_gap[l] = l == 0 ? 0 : 1 + (rng.per_mille(250) ? rng.between(1, 3) : 0);
      mk.bid_gap[l] = l == 0 ? 0 : 1 + (rng.per_mille(250) ? rng.between(1, 3) : 0);
      mk.ask_qty[l] = random_qty(s, s.typical_qty);
      mk.bid_qty[l] = random_qty(s, s.typical_qty);
    }
    // A fixed mix of formats: alternate per market and channel (the venue sets it per
    // subscription), offset by the seed.
    const auto fmt_of = [&](int channel) {
      return ((static_cast<std::uint64_t>(i + channel) + format_salt) & 1u) != 0 ? Fmt::brief
                                                                                 : Fmt::full;
    };
    mk.book_fmt = fmt_of(0);
    mk.trade_fmt = fmt_of(1);
    mk.ticker_fmt = fmt_of(0);
    const std::int64_t price = mk.best_bid * s.tick;
    mk.first = mk.last = price;
    mk.high = price + price / 100;
    mk.low = price - price / 80;
    mk.quote_volume = s.day_quote_volume / 3 * 10'000;
    mk.target_volume = s.day_target_volume / 3;
    mk.y_first = price - price / 60;
    mk.y_last = price;
    mk.y_high = price + price / 40;
    mk.y_low = price - price / 30;
    mk.y_quote_volume = s.day_quote_volume * 10'000;
    mk.y_target_volume = s.day_target_volume;
    // Round the derived statistics to the tick grid.
    for (std::int64_t* p : {&mk.high, &mk.low, &mk.y_first, &mk.y_high, &mk.y_low}) {
      *p -= *p % s.tick;
    }
    markets.push_back(mk);
    market_weight_total += s.weight;
  }
  order_fmt = format_salt != 0 ? Fmt::brief : Fmt::full;
  asset_fmt = format_salt != 0 ? Fmt::full : Fmt::brief;
  order_seq = static_cast<std::uint32_t>(rng.next());
  trade_seq = static_cast<std::uint32_t>(rng.next());
  node_a = static_cast<std::uint16_t>(rng.next());
  node_b = rng.next() & 0xFFFFFFFFFFFFull;
  krw_start = 500'000'000 * kE8;
  balances[0] = {krw_start, 0};
  for (int i = 0; i < kMarketCount; ++i) {
    // About 150M KRW worth of each coin.
    const std::int64_t qty = static_cast<std::int64_t>(
        static_cast<__int128>(150'000'000) * kE8 * kE8 / kMarkets[i].start_price);
    balances[i + 1] = {qty - qty % kE8, 0};
  }

  // CONNECTED, then the acks ~170 ms later (what the probes saw), one per subscription.
  auto add = [&](std::uint32_t conn, std::string text) {
    preamble.push_back({conn, std::move(text)});
  };
  auto connected = [&](std::uint32_t conn) {
    char id[37];
    uuid(id, static_cast<std::uint32_t>(rng.next()), false);
    add(conn, std::string(R"({"response_type":"CONNECTED","data":{"session_id":")") + id + "\"}}");
  };
  connected(kPublicConnection);
  for (const Market& mk : markets) {
    add(kPublicConnection, render_subscribed_public("ORDERBOOK", mk));
    add(kPublicConnection, render_subscribed_public("TRADE", mk));
    add(kPublicConnection, render_subscribed_public("TICKER", mk));
  }
  if (private_channels) {
    connected(kPrivateConnection);
    std::string ack = R"({"response_type":"SUBSCRIBED","channel":"MYORDER","data":[)";
    for (int i = 0; i < kMarketCount; ++i) {
      if (i > 0) ack += ',';
      ack += R"({"quote_currency":"KRW","target_currency":")";
      ack += kMarkets[i].base;
      ack += "\"}";
    }
    ack += "]}";
    add(kPrivateConnection, std::move(ack));
    add(kPrivateConnection, R"({"response_type":"SUBSCRIBED","channel":"MYASSET"})");
  }
  next_pong[kPublicConnection] = now + 20'000 * kMs + rng.between(0, 2'000) * kMs;
  next_pong[kPrivateConnection] = now + 20'000 * kMs + rng.between(0, 2'000) * kMs;
}

std::string CoinoneGenerator::State::render_subscribed_public(std::string_view channel,
                                                              const Market& mk) {
  std::string s = R"({"response_type":"SUBSCRIBED","channel":")";
  s += channel;
  s += R"(","data":{"quote_currency":"KRW","target_currency":")";
  s += mk.spec->base;
  s += "\"}}";
  return s;
}

// 8-4-4-4-12 lower-case hex. v1_style: a time-ordered first group and a fixed node, like the
// venue's order and trade ids ("1b48b023-1e4d-11e9-9ec7-00e04c3600d7"); otherwise random v4,
// like client order ids.
void CoinoneGenerator::State::uuid(char (&dst)[37], std::uint32_t time_low, bool v1_style) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::uint64_t r1 = rng.next();
  const std::uint64_t r2 = rng.next();
  std::uint64_t hi = (static_cast<std::uint64_t>(time_low) << 32) | (r1 & 0xFFFF0FFFull);
  std::uint64_t lo = (r2 & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;
  if (v1_style) {
    hi = (static_cast<std::uint64_t>(time_low) << 32) | 0x1e4d11efull;
    lo = (static_cast<std::uint64_t>(node_a | 0x8000u) << 48) | node_b;
  } else {
    hi = (hi & ~0xF000ull) | 0x4000ull;  // version 4
  }
  int n = 0;
  for (int i = 31; i >= 0; --i) {
    if (n == 8 || n == 13 || n == 18 || n == 23) dst[n++] = '-';
    const std::uint64_t word = i >= 16 ? hi : lo;
    dst[n++] = kHex[(word >> ((i % 16) * 4)) & 0xF];
  }
  dst[36] = '\0';
}

// ---- Time --------------------------------------------------------------------------------------

// Bursty inter-arrival gaps: mostly tens to hundreds of microseconds, some milliseconds, a few
// tens of milliseconds (quiet spells). Mean about 2 ms.
std::int64_t CoinoneGenerator::State::gap_ns() {
  const std::uint64_t r = rng.below(100);
  if (r < 70) return rng.between(5 * kUs, 400 * kUs);
  if (r < 96) return rng.between(400 * kUs, 5 * kMs);
  return rng.between(5 * kMs, 50 * kMs);
}

// The venue's clock: 1 to 5 ms behind our receive time (network and gateway); or the time the
// caller produces the frame at (the lag drawn all the same, so the content does not change).
std::int64_t CoinoneGenerator::State::exchange_ms() {
  const std::int64_t lag = rng.between(1 * kMs, 5 * kMs);
  return (stamp_ns != 0 ? stamp_ns : now - lag) / kMs;
}

int CoinoneGenerator::State::pick_market() {
  std::int64_t r = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(market_weight_total)));
  for (int i = 0; i < kMarketCount; ++i) {
    r -= kMarkets[i].weight;
    if (r < 0) return i;
  }
  return 0;
}

// Between 1/1000 and 2x `typical`, rounded down to the market's quantity precision (at least
// one unit of it).
std::int64_t CoinoneGenerator::State::random_qty(const MarketSpec& spec, std::int64_t typical) {
  std::int64_t unit = kE8;
  for (int i = 0; i < spec.qty_decimals; ++i) unit /= 10;
  // Mostly near the typical size, sometimes small odd lots.
  const std::int64_t scale = rng.per_mille(200) ? rng.between(1, 100) : rng.between(100, 2000);
  std::int64_t q = static_cast<std::int64_t>(static_cast<__int128>(typical) * scale / 1000);
  // Ragged tails like the wire ("71156.78279601"), not just round numbers.
  if (rng.per_mille(600)) q += rng.between(0, unit * 9999) % (typical > 0 ? typical : 1);
  q -= q % unit;
  return q < unit ? unit : q;
}

// ---- Public frames -----------------------------------------------------------------------------

void CoinoneGenerator::State::envelope(Fmt f, std::string_view channel) {
  w().put(f == Fmt::full ? R"({"response_type":"DATA","channel":")" : R"({"r":"DATA","c":")");
  w().put(channel);
  w().put(f == Fmt::full ? R"(","data":{)" : R"(","d":{)");
}

void CoinoneGenerator::State::market_keys(Fmt f, const Market& mk) {
  w().put(f == Fmt::full ? R"("quote_currency":"KRW","target_currency":")" : R"("qc":"KRW","tc":")");
  w().put(mk.spec->base);
  w().put('"');
}

void CoinoneGenerator::State::book(int m) {
  Market& mk = markets[static_cast<std::size_t>(m)];
  const MarketSpec& s = *mk.spec;
  if (!mk.repeat_book) {
    // The touch walks one tick at a time and reflects off a floor far below the start.
    if (rng.per_mille(250)) {
      const bool up = rng.below(2) == 0 || mk.best_bid <= mk.floor;
      mk.best_bid += up ? 1 : -1;
    }
    if (rng.per_mille(150)) mk.spread = rng.per_mille(700) ? 1 : rng.between(2, 3);
    const std::int64_t changes = rng.between(1, 4);
    for (std::int64_t c = 0; c < changes; ++c) {
      const auto level = static_cast<std::size_t>(rng.below(kLevels));
      // Levels near the touch change more often.
      const std::size_t l = rng.per_mille(500) ? level / 4 : level;
      if (rng.below(2) == 0) mk.ask_qty[l] = random_qty(s, s.typical_qty);
      else mk.bid_qty[l] = random_qty(s, s.typical_qty);
    }
    if (rng.per_mille(100)) {
      const auto l = static_cast<std::size_t>(rng.between(1, kLevels - 1));
      const std::int64_t gap = rng.per_mille(750) ? 1 : rng.between(2, 4);
      if (rng.below(2) == 0) mk.ask_gap[l] = gap;
      else mk.bid_gap[l] = gap;
    }
    mk.book_id = next_id(mk.book_id, exchange_ms());
  }
  mk.repeat_book = false;
  const Fmt f = mk.book_fmt;
  const bool full = f == Fmt::full;
  const int dp = 8;
  w().reset();
  envelope(f, "ORDERBOOK");
  market_keys(f, mk);
  w().put(full ? R"(,"timestamp":)" : R"(,"t":)");
  w().put_u64(mk.book_id / 1000);  // the ms part of the id, as on the wire
  w().put(full ? R"(,"id":)" : R"(,"i":)");
  w().quoted_u64(mk.book_id);
  const std::string_view price_key = full ? R"({"price":)" : R"({"p":)";
  const std::string_view qty_key = full ? R"(,"qty":)" : R"(,"q":)";
  // Asks worst first (descending), best ask last.
  std::int64_t ask_prices[kLevels];
  ask_prices[0] = mk.best_ask();
  for (int i = 1; i < kLevels; ++i) ask_prices[i] = ask_prices[i - 1] + mk.ask_gap[i];
  w().put(full ? R"(,"asks":[)" : R"(,"a":[)");
  for (int i = kLevels - 1; i >= 0; --i) {
    w().put(price_key);
    w().quoted_e8(ask_prices[i] * s.tick, dp, true);
    w().put(qty_key);
    w().quoted_e8(mk.ask_qty[i], dp, true);
    w().put(i == 0 ? "}" : "},");
  }
  // Bids best first (descending).
  w().put(full ? R"(],"bids":[)" : R"(],"b":[)");
  std::int64_t bid = mk.best_bid;
  for (int i = 0; i < kLevels; ++i) {
    if (i > 0) bid -= mk.bid_gap[i];
    w().put(price_key);
    w().quoted_e8(bid * s.tick, dp, true);
    w().put(qty_key);
    w().quoted_e8(mk.bid_qty[i], dp, true);
    w().put(i == kLevels - 1 ? "}" : "},");
  }
  w().put("]}}");
  ++counts.book;
}

void CoinoneGenerator::State::trade(int m) {
  Market& mk = markets[static_cast<std::size_t>(m)];
  const MarketSpec& s = *mk.spec;
  // is_seller_maker == true: the buyer lifted the ask.
  const bool seller_maker = rng.below(2) == 0;
  const int level = rng.per_mille(150) ? 1 : 0;
  const std::int64_t price = (seller_maker ? mk.ask_price(level) : mk.bid_price(level)) * s.tick;
  const std::int64_t qty = random_qty(s, s.typical_qty / 40);
  // Aggressive flow sometimes takes out the touch and moves it.
  if (rng.per_mille(80)) {
    if (seller_maker) mk.best_bid += 1;
    else if (mk.best_bid > mk.floor) mk.best_bid -= 1;
  }
  mk.last = price;
  if (price > mk.high) mk.high = price;
  if (price < mk.low) mk.low = price;
  mk.target_volume += qty;
  mk.quote_volume +=
      static_cast<std::int64_t>(static_cast<__int128>(price) * qty / (kE8 * 10'000));
  mk.trade_id = next_id(mk.trade_id, exchange_ms());

  const Fmt f = mk.trade_fmt;
  const bool full = f == Fmt::full;
  w().reset();
  envelope(f, "TRADE");
  market_keys(f, mk);
  w().put(full ? R"(,"id":)" : R"(,"i":)");
  w().quoted_u64(mk.trade_id);
  w().put(full ? R"(,"timestamp":)" : R"(,"t":)");
  w().put_u64(mk.trade_id / 1000);
  w().put(full ? R"(,"price":)" : R"(,"p":)");
  w().quoted_e8(price, 8, true);
  w().put(full ? R"(,"qty":)" : R"(,"q":)");
  w().quoted_e8(qty, 8, true);
  w().put(full ? R"(,"is_seller_maker":)" : R"(,"sm":)");
  w().put(seller_maker ? "true}}" : "false}}");
  ++counts.trade;
}

void CoinoneGenerator::State::ticker(int m) {
  Market& mk = markets[static_cast<std::size_t>(m)];
  const MarketSpec& s = *mk.spec;
  mk.ticker_id = next_id(mk.ticker_id, exchange_ms());
  const Fmt f = mk.ticker_fmt;
  const std::int64_t volume_power = rng.between(40, 260);
  auto num = [&](const Key& k, std::int64_t v, int dp) {
    key(f, k);
    w().quoted_e8(v, dp, true);
  };
  w().reset();
  envelope(f, "TICKER");
  market_keys(f, mk);
  key(f, {"timestamp", "t"});
  w().put_u64(mk.ticker_id / 1000);
  key(f, {"quote_volume", "qv"});
  w().quoted_e4(mk.quote_volume);
  num({"target_volume", "tv"}, mk.target_volume, 8);
  if (f == Fmt::full) {  // the two formats order their keys differently on the wire
    num({"high", "hi"}, mk.high, 8);
    num({"low", "lo"}, mk.low, 8);
    num({"first", "fi"}, mk.first, 8);
    num({"last", "la"}, mk.last, 8);
  } else {
    num({"first", "fi"}, mk.first, 8);
    num({"low", "lo"}, mk.low, 8);
    num({"high", "hi"}, mk.high, 8);
    num({"last", "la"}, mk.last, 8);
  }
  num({"volume_power", "vp"}, volume_power * kE8, 0);
  num({"ask_best_price", "abp"}, mk.best_ask() * s.tick, 8);
  num({"ask_best_qty", "abq"}, mk.ask_qty[0], 8);
  num({"bid_best_price", "bbp"}, mk.best_bid * s.tick, 8);
  num({"bid_best_qty", "bbq"}, mk.bid_qty[0], 8);
  key(f, {"id", "i"});
  w().quoted_u64(mk.ticker_id);
  if (f == Fmt::full) {
    num({"yesterday_high", "yhi"}, mk.y_high, 8);
    num({"yesterday_low", "ylo"}, mk.y_low, 8);
    num({"yesterday_first", "yfi"}, mk.y_first, 8);
    num({"yesterday_last", "yla"}, mk.y_last, 8);
  } else {
    num({"yesterday_first", "yfi"}, mk.y_first, 8);
    num({"yesterday_low", "ylo"}, mk.y_low, 8);
    num({"yesterday_high", "yhi"}, mk.y_high, 8);
    num({"yesterday_last", "yla"}, mk.y_last, 8);
  }
  key(f, {"yesterday_quote_volume", "yqv"});
  w().quoted_e4(mk.y_quote_volume);
  num({"yesterday_target_volume", "ytv"}, mk.y_target_volume, 8);
  w().put("}}");
  ++counts.ticker;
}

void CoinoneGenerator::State::pong() {
  w().reset();
  w().put(R"({"response_type":"PONG"})");
  ++counts.control;
}

// A duplicate SUBSCRIBE: the venue acks again and resends the current book with the same id.
void CoinoneGenerator::State::resubscribe(int m) {
  Market& mk = markets[static_cast<std::size_t>(m)];
  w().reset();
  w().put(render_subscribed_public("ORDERBOOK", mk));
  if (mk.book_id != 0) mk.repeat_book = true;
  ++counts.control;
}

// ---- Private frames ----------------------------------------------------------------------------

// The optional MYORDER values; kNull leaves a field null.
constexpr std::int64_t kNull = INT64_MIN;

struct CoinoneGenerator::State::OrderView {
  std::int64_t order_price = kNull, order_qty = kNull;
  const char* trade_id = nullptr;
  int is_maker = -1;  // -1 null, 0 false, 1 true
  std::int64_t executed_price = kNull, executed_qty = kNull, executed_fee = kNull;
  std::int64_t remain_qty = kNull, remain_amount = kNull;
  bool client_id = true;
  std::int64_t executed_s = kNull, order_s = kNull;
  std::int64_t timestamp_s = 0;
};

void CoinoneGenerator::State::render_order(const Order& o, std::string_view status,
                                           const OrderView& v) {
  const Fmt f = order_fmt;
  const Market& mk = markets[static_cast<std::size_t>(o.market)];
  auto null_or = [&](const Key& k, std::int64_t value, int dp, bool trim) {
    key(f, k);
    if (value == kNull) w().put("null");
    else w().quoted_e8(value, dp, trim);
  };
  auto int_or_null = [&](const Key& k, std::int64_t value) {
    key(f, k);
    if (value == kNull) w().put("null");
    else w().put_u64(static_cast<std::uint64_t>(value));
  };
  w().reset();
  envelope(f, "MYORDER");
  market_keys(f, mk);
  key(f, {"order_id", "oi"});
  w().quoted(o.id);
  key(f, {"type", "t"});
  w().put(R"("LIMIT")");
  key(f, {"status", "st"});
  w().quoted(status);
  key(f, {"side", "s"});
  w().put(o.bid ? R"("BID")" : R"("ASK")");
  null_or({"order_price", "op"}, v.order_price, 4, false);
  null_or({"order_qty", "oq"}, v.order_qty, 8, false);
  null_or({"order_amount", "oa"}, kNull, 0, false);
  key(f, {"trade_id", "ti"});
  if (v.trade_id == nullptr) w().put("null");
  else w().quoted(v.trade_id);
  key(f, {"is_maker", "im"});
  w().put(v.is_maker < 0 ? "null" : v.is_maker > 0 ? "true" : "false");
  null_or({"executed_price", "ep"}, v.executed_price, 8, true);
  null_or({"executed_qty", "eq"}, v.executed_qty, 8, false);
  null_or({"executed_fee", "ef"}, v.executed_fee, 8, false);
  null_or({"remain_qty", "rq"}, v.remain_qty, 8, false);
  null_or({"remain_amount", "ra"}, v.remain_amount, 8, true);
  key(f, {"user_order_id", "ui"});
  if (!v.client_id || o.client_id[0] == '\0') w().put("null");
  else w().quoted(o.client_id);
  null_or({"prevented_qty", "pq"}, kNull, 0, false);
  int_or_null({"executed_timestamp", "et"}, v.executed_s);
  int_or_null({"order_timestamp", "ot"}, v.order_s);
  int_or_null({"timestamp", "ts"}, v.timestamp_s);
  w().put("}}");
}

void CoinoneGenerator::State::emit_order_frame(const Order& o, std::string_view status,
                                               const OrderView& v) {
  render_order(o, status, v);
  connection = kPrivateConnection;
  ++counts.order;
}

// A MYASSET frame with the balances of KRW and/or the order's coin after a change: queued as a
// follow-up, or (now_frame) rendered as the frame being returned.
void CoinoneGenerator::State::queue_assets(std::string_view type, int market, bool krw,
                                           bool target, const Order* o, const char* trade_id,
                                           bool now_frame) {
  const Fmt f = asset_fmt;
  const bool full = f == Fmt::full;
  cur = now_frame ? &out : &scratch;
  w().reset();
  envelope(f, "MYASSET");
  w().put(full ? R"("assets":[)" : R"("as":[)");
  bool first = true;
  auto balance = [&](const char* currency, const Balance& b, int dp) {
    if (!first) w().put(',');
    first = false;
    w().put(full ? R"({"currency":")" : R"({"c":")");
    w().put(currency);
    w().put(full ? R"(","available":)" : R"(","a":)");
    w().quoted_e8(b.available, dp, false);
    w().put(full ? R"(,"limit":)" : R"(,"l":)");
    w().quoted_e8(b.locked, dp, false);
    w().put('}');
  };
  if (krw) balance("KRW", balances[0], 4);
  if (target) balance(kMarkets[market].base, target_balance(market), 8);
  w().put(']');
  key(f, {"type", "t"});
  w().quoted(type);
  key(f, {"timestamp", "ts"});
  w().put_u64(static_cast<std::uint64_t>(venue_s()));
  // The documented but rarely seen correlation keys.
  if (o != nullptr && rng.per_mille(250)) {
    key(f, {"order_id", "oi"});
    w().quoted(o->id);
    if (trade_id != nullptr) {
      key(f, {"trade_id", "ti"});
      w().quoted(trade_id);
    }
  }
  w().put("}}");
  if (now_frame) {
    connection = kPrivateConnection;
    ++counts.asset;
  } else {
    pending.push_back({kPrivateConnection, std::string(scratch.view())});
  }
  cur = &out;
}

// Locks funds for a new order; picks a side the balances can carry, drifting back toward the
// starting mix so balances never run dry on long runs.
void CoinoneGenerator::State::place_order() {
  const int m = pick_market();
  const Market& mk = markets[static_cast<std::size_t>(m)];
  const MarketSpec& s = *mk.spec;
  Order o{};
  o.market = m;
  const std::int64_t krw_free = balances[0].available;
  const std::int64_t bid_bias = krw_free >= krw_start ? 650 : krw_free <= krw_start / 2 ? 250 : 500;
  o.bid = rng.per_mille(static_cast<std::uint64_t>(bid_bias));
  const std::int64_t offset = rng.per_mille(600) ? 0 : rng.between(1, 5);
  o.price = (o.bid ? mk.best_bid - offset : mk.best_ask() + offset) * s.tick;
  std::int64_t unit = kE8;
  for (int i = 0; i < s.qty_decimals; ++i) unit /= 10;
  const std::int64_t notional_krw = rng.between(300'000, 6'000'000) * kE8;
  std::int64_t qty = static_cast<std::int64_t>(static_cast<__int128>(notional_krw) * kE8 / o.price);
  qty -= qty % unit;
  if (qty < unit) qty = unit;
  o.qty = o.remaining = qty;
  // KRW amounts are kept on the venue's 4-decimal grid so balances add up exactly.
  std::int64_t cost = static_cast<std::int64_t>(static_cast<__int128>(o.price) * qty / kE8);
  cost -= cost % kKrwUnit;
  Balance& coin = target_balance(m);
  if (o.bid && balances[0].available < cost) o.bid = false;
  if (!o.bid && coin.available < qty) {
    // Neither side affordable: a deposit arrives instead.
    if (balances[0].available < cost) {
      balances[0].available += krw_start / 4;
      queue_assets("deposit", m, true, false, nullptr, nullptr, true);
      return;
    }
    o.bid = true;
  }
  o.order_s = venue_s();
  uuid(o.id, ++order_seq, true);
  if (rng.per_mille(700)) uuid(o.client_id, 0, false);
  else o.client_id[0] = '\0';

  // Post-only that would cross: rejected at once, funds never held.
  if (rng.per_mille(60)) {
    OrderView v;
    v.executed_qty = qty;
    v.executed_s = 0;  // the venue sends 0 here
    v.timestamp_s = o.order_s;
    emit_order_frame(o, "cancel_post_only", v);
    queue_assets("cancel_post_only", m, o.bid, !o.bid, &o, nullptr);
    return;
  }
  o.locked = o.bid ? cost : qty;
  if (o.bid) {
    balances[0].available -= cost;
    balances[0].locked += cost;
  } else {
    coin.available -= qty;
    coin.locked += qty;
  }
  OrderView v;
  v.order_price = o.price;
  v.order_qty = qty;
  v.timestamp_s = o.order_s;
  if (rng.per_mille(80)) {  // a stop order waiting for its trigger
    o.stage = OrderStage::watching;
    v.executed_s = o.order_s;  // as in the seed's watch example
    emit_order_frame(o, "watch", v);
  } else {
    o.stage = OrderStage::resting;
    v.order_s = o.order_s;
    emit_order_frame(o, "wait", v);
    queue_assets("order", m, o.bid, !o.bid, &o, nullptr);
  }
  orders.push_back(o);
}

void CoinoneGenerator::State::fill(std::size_t index) {
  Order& o = orders[index];
  const MarketSpec& s = kMarkets[o.market];
  std::int64_t unit = kE8;
  for (int i = 0; i < s.qty_decimals; ++i) unit /= 10;
  std::int64_t qty = o.remaining;
  if (o.remaining > unit && rng.per_mille(450)) {
    qty = o.remaining * rng.between(10, 70) / 100;
    qty -= qty % unit;
    if (qty < unit) qty = unit;
  }
  const bool final = qty == o.remaining;
  o.remaining -= qty;
  const bool maker = rng.per_mille(750);
  std::int64_t notional = static_cast<std::int64_t>(static_cast<__int128>(o.price) * qty / kE8);
  notional -= notional % kKrwUnit;
  std::int64_t fee_krw = notional * (maker ? 2 : 4) / 10'000;  // 2 bp maker, 4 bp taker
  fee_krw -= fee_krw % kKrwUnit;
  Balance& coin = target_balance(o.market);
  // Release exactly what this fill used; the final fill releases whatever is left.
  const std::int64_t release = final ? o.locked : (o.bid ? notional : qty);
  o.locked -= release;
  if (o.bid) {
    balances[0].locked -= release;
    balances[0].available += release - notional - fee_krw;
    coin.available += qty;
  } else {
    coin.locked -= release;
    balances[0].available += notional - fee_krw;
  }
  char trade_id[37];
  uuid(trade_id, ++trade_seq, true);
  const std::int64_t ts = venue_s();
  OrderView v;
  v.trade_id = trade_id;
  v.is_maker = maker ? 1 : 0;
  v.executed_price = o.price;
  v.executed_qty = qty;
  v.executed_fee = fee_krw;
  v.remain_qty = o.remaining;
  v.remain_amount = 0;
  v.executed_s = ts;
  v.order_s = o.order_s;
  v.timestamp_s = ts;
  // Seed 001 shows one final fill reported as "done"; keep that rare variant in the mix.
  emit_order_frame(o, final && rng.per_mille(50) ? "done" : "trade", v);
  if (final) {
    // trade_done repeats the final fill (same trade id, qty, fee and timestamp).
    cur = &scratch;
    render_order(o, "trade_done", v);
    cur = &out;
    pending.push_back({kPrivateConnection, std::string(scratch.view())});
  }
  queue_assets("trade", o.market, true, true, &o, trade_id);
  if (final) orders.erase(orders.begin() + static_cast<std::ptrdiff_t>(index));
}

void CoinoneGenerator::State::cancel(std::size_t index) {
  Order o = orders[index];
  orders.erase(orders.begin() + static_cast<std::ptrdiff_t>(index));
  if (o.bid) {
    balances[0].locked -= o.locked;
    balances[0].available += o.locked;
  } else {
    Balance& coin = target_balance(o.market);
    coin.locked -= o.locked;
    coin.available += o.locked;
  }
  const std::int64_t ts = venue_s();
  OrderView v;
  v.executed_qty = o.remaining;  // a cancel reports the cancelled quantity here
  v.remain_qty = 0;
  v.executed_s = ts;
  v.timestamp_s = ts;
  emit_order_frame(o, "cancel", v);
  queue_assets("cancel", o.market, o.bid, !o.bid, &o, nullptr);
}

void CoinoneGenerator::State::advance_order(std::size_t index) {
  Order& o = orders[index];
  if (o.stage == OrderStage::watching) {
    if (rng.per_mille(300)) {
      cancel(index);
      return;
    }
    // Triggered: the stop order now rests like any limit order, and its order time is the
    // trigger's (as the simulator sends it): the wait and every fill carry it.
    o.stage = OrderStage::resting;
    o.order_s = venue_s();
    OrderView v;
    v.order_price = o.price;
    v.order_qty = o.qty;
    v.order_s = o.order_s;
    v.timestamp_s = o.order_s;
    emit_order_frame(o, "wait", v);
    queue_assets("order", o.market, o.bid, !o.bid, &o, nullptr);
    return;
  }
  if (rng.per_mille(700)) fill(index);
  else cancel(index);
}

void CoinoneGenerator::State::private_action() {
  if (orders.empty() || (orders.size() < kMaxOpenOrders && rng.per_mille(420))) {
    place_order();
  } else {
    advance_order(static_cast<std::size_t>(rng.below(orders.size())));
  }
}

// ---- The stream --------------------------------------------------------------------------------

GenFrame CoinoneGenerator::State::next() {
  connection = kPublicConnection;
  if (!preamble.empty()) {
    // CONNECTED first; the acks come ~170 ms later, a fraction of a millisecond apart.
    const bool connected = preamble.front().text.find("CONNECTED") != std::string::npos;
    now += connected ? rng.between(1 * kMs, 3 * kMs)
                     : (after_connected ? 170 * kMs : 0) + rng.between(20 * kUs, 300 * kUs);
    after_connected = connected;
    w().reset();
    w().put(preamble.front().text);
    connection = preamble.front().connection;
    preamble.pop_front();
    ++counts.control;
    return {now, connection, w().view()};
  }
  now += gap_ns();
  for (std::uint32_t c : {kPublicConnection, kPrivateConnection}) {
    if (c == kPrivateConnection && !private_channels) continue;
    if (now >= next_pong[c]) {
      next_pong[c] = now + 20'000 * kMs + rng.between(-500, 500) * kMs;
      pong();
      return {now, c, w().view()};
    }
  }
  if (!pending.empty() && (pending.size() > 3 || rng.per_mille(500))) {
    w().reset();
    w().put(pending.front().text);
    connection = pending.front().connection;
    pending.pop_front();
    if (w().view().find("MYASSET") != std::string_view::npos) ++counts.asset;
    else ++counts.order;
    return {now, connection, w().view()};
  }
  for (int m = 0; m < kMarketCount; ++m) {
    if (markets[static_cast<std::size_t>(m)].repeat_book) {
      book(m);
      return {now, connection, w().view()};
    }
  }
  // Per-mille weights of book / trade / ticker / private actions.
  std::uint64_t w_book = 480, w_trade = 360, w_ticker = 70;  // mixed: the rest is private
  switch (options.kind) {
    case GenKind::trade_heavy: w_book = 200; w_trade = 780; w_ticker = 20; break;
    case GenKind::book_heavy: w_book = 850; w_trade = 130; w_ticker = 20; break;
    case GenKind::mixed: break;
  }
  const std::uint64_t r = rng.below(1000);
  if (rng.below(200'000) == 0) {
    resubscribe(pick_market());
  } else if (r < w_book) {
    book(pick_market());
  } else if (r < w_book + w_trade) {
    trade(pick_market());
  } else if (r < w_book + w_trade + w_ticker) {
    ticker(pick_market());
  } else if (private_channels) {
    private_action();
  } else {
    book(pick_market());
  }
  return {now, connection, w().view()};
}

// ---- Public wrapper ----------------------------------------------------------------------------

CoinoneGenerator::CoinoneGenerator(const GenOptions& options)
    : state_(std::make_unique<State>(options)) {}

CoinoneGenerator::~CoinoneGenerator() = default;

GenFrame CoinoneGenerator::next() {
  GenFrame f = state_->next();
  f.venue = Venue::coinone;
  return f;
}

GenFrame CoinoneGenerator::next(std::int64_t now_ns) {
  if (now_ns <= 0) return next();
  state_->stamp_ns = now_ns;
  GenFrame f = state_->next();
  state_->stamp_ns = 0;
  f.receive_ns = now_ns;
  f.venue = Venue::coinone;
  return f;
}

const GenCounts& CoinoneGenerator::counts() const noexcept { return state_->counts; }

}  // namespace mde::sample
