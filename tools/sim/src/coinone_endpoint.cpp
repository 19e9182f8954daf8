#include "mde/sim/coinone_endpoint.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cctype>
#include <string>
#include <system_error>
#include <utility>

#include "coinone_request.hpp"
#include "mde/core/clock.hpp"
#include "mde/core/decimal.hpp"
#include "mde/sim/capture_frames.hpp"
#include "mde/sample/coinone_generator.hpp"

namespace mde::sim {
namespace {

// DEFAULT key -> SHORT key for every public channel (protocols.md A2-A4, A6).
constexpr std::array<std::pair<std::string_view, std::string_view>, 33> kKeys{{
    {"response_type", "r"}, {"channel", "c"}, {"data", "d"}, {"quote_currency", "qc"},
    {"target_currency", "tc"}, {"timestamp", "t"}, {"id", "i"}, {"asks", "a"}, {"bids", "b"},
    {"price", "p"}, {"qty", "q"}, {"is_seller_maker", "sm"}, {"quote_volume", "qv"},
    {"target_volume", "tv"}, {"high", "hi"}, {"low", "lo"}, {"first", "fi"}, {"last", "la"},
    {"volume_power", "vp"}, {"ask_best_price", "abp"}, {"ask_best_qty", "abq"},
    {"bid_best_price", "bbp"}, {"bid_best_qty", "bbq"}, {"yesterday_high", "yhi"},
    {"yesterday_low", "ylo"}, {"yesterday_first", "yfi"}, {"yesterday_last", "yla"},
    {"yesterday_quote_volume", "yqv"}, {"yesterday_target_volume", "ytv"},
    {"error_code", "error_code"}, {"message", "message"}, {"interval", "iv"},
    {"candle_timestamp", "ct"},
}};

// The length of each kCoinoneChartIntervals entry, ms.
constexpr std::array<std::int64_t, kCoinoneChartIntervals.size()> kIntervalMs{
    60'000,     180'000,    300'000,    900'000,    1'800'000,  3'600'000,
    7'200'000, 14'400'000, 21'600'000, 86'400'000, 604'800'000};
constexpr std::int64_t kFirstMondayMs = 4 * 86'400'000;  // 1970-01-05 00:00 UTC

std::string_view map_key(std::string_view key, CoinoneFormat to) {
  for (const auto& [long_key, short_key] : kKeys) {
    if (to == CoinoneFormat::short_format && key == long_key) return short_key;
    if (to == CoinoneFormat::default_format && key == short_key) return long_key;
  }
  return key;
}

// The string value after `"key":"` (either spelling), or "".
std::string_view string_field(std::string_view frame, std::string_view long_key,
                              std::string_view short_key) {
  for (std::string_view key : {long_key, short_key}) {
    std::string pattern(1, '"');  // "key":"  (appended piecewise: GCC 12 -Wrestrict misfires)
    pattern.append(key).append("\":\"");
    const std::size_t at = frame.find(pattern);
    if (at == std::string_view::npos) continue;
    const std::size_t from = at + pattern.size();
    const std::size_t end = frame.find('"', from);
    if (end != std::string_view::npos) return frame.substr(from, end - from);
  }
  return {};
}

// The integer after `"key":` (either spelling); false when absent or not an integer.
bool number_field(std::string_view frame, std::string_view long_key, std::string_view short_key,
                  std::int64_t& out) {
  for (std::string_view key : {long_key, short_key}) {
    std::string pattern(1, '"');
    pattern.append(key).append("\":");
    const std::size_t at = frame.find(pattern);
    if (at == std::string_view::npos) continue;
    const char* from = frame.data() + at + pattern.size();
    return std::from_chars(from, frame.data() + frame.size(), out).ec == std::errc{};
  }
  return false;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string coinone_error_frame(std::int64_t code, std::string_view message,
                               std::string_view field) {
  std::string f = R"({"response_type":"ERROR","error_code":)" + std::to_string(code) +
                  R"(,"message":")" + std::string(message) + '"';
  if (!field.empty()) f += R"(,"field":")" + std::string(field) + '"';
  return f + "}";
}

std::optional<CoinoneRequest> read_coinone_request(simdjson::dom::parser& parser,
                                                   std::string_view text,
                                                   std::initializer_list<std::string_view> channels,
                                                   EndpointCounters& counters,
                                                   std::vector<std::string>& out) {
  ++counters.requests;
  auto error = [&](std::int64_t code, std::string_view message, std::string_view field = {}) {
    ++counters.errors;
    out.push_back(coinone_error_frame(code, message, field));
    return std::nullopt;
  };
  CoinoneRequest r;
  std::string_view type;
  if (parser.parse(text.data(), text.size()).get(r.root) != simdjson::SUCCESS ||
      !r.root.is_object() || r.root["request_type"].get(type) != simdjson::SUCCESS) {
    return error(160010, "Invalid Request");
  }
  if (type == "PING") {
    ++counters.pings;
    out.emplace_back(R"({"response_type":"PONG"})");
    return std::nullopt;
  }
  if (type != "SUBSCRIBE" && type != "UNSUBSCRIBE") {
    return error(160011, "Invalid Type", "request_type");
  }
  r.subscribe = type == "SUBSCRIBE";
  if (r.root["channel"].get(r.channel) != simdjson::SUCCESS ||
      std::find(channels.begin(), channels.end(), r.channel) == channels.end()) {
    return error(160011, "Invalid Type", "channel");
  }
  if (std::string_view f; r.root["format"].get(f) == simdjson::SUCCESS) {
    if (f == "SHORT") r.format = CoinoneFormat::short_format;
    else if (f != "DEFAULT") return error(160011, "Invalid Type", "format");
  } else if (r.root["format"].error() != simdjson::NO_SUCH_FIELD) {
    return error(160011, "Invalid Type", "format");
  }
  return r;
}

std::string translate_coinone_keys(std::string_view frame, CoinoneFormat to) {
  std::string out;
  out.reserve(frame.size() + (to == CoinoneFormat::default_format ? frame.size() : 0));
  std::size_t i = 0;
  while (i < frame.size()) {
    if (frame[i] != '"') {
      out += frame[i++];
      continue;
    }
    const std::size_t end = frame.find('"', i + 1);  // generated frames carry no escapes
    if (end == std::string_view::npos) {
      out.append(frame.substr(i));
      break;
    }
    const std::string_view text = frame.substr(i + 1, end - i - 1);
    const bool is_key = end + 1 < frame.size() && frame[end + 1] == ':';
    out += '"';
    out += is_key ? map_key(text, to) : text;
    out += '"';
    i = end + 1;
  }
  return out;
}

std::size_t coinone_chart_interval(std::string_view interval) {
  const auto it = std::find(kCoinoneChartIntervals.begin(), kCoinoneChartIntervals.end(), interval);
  return static_cast<std::size_t>(it - kCoinoneChartIntervals.begin());
}

std::int64_t coinone_candle_start(std::int64_t timestamp_ms, std::size_t index) {
  if (index >= kIntervalMs.size()) return timestamp_ms;
  const std::int64_t length = kIntervalMs[index];
  const std::int64_t origin = index + 1 == kIntervalMs.size() ? kFirstMondayMs : 0;  // 1w
  std::int64_t n = (timestamp_ms - origin) / length;
  if ((timestamp_ms - origin) % length < 0) --n;  // floor
  return origin + n * length;
}

const std::vector<std::string>& coinone_markets() {
  static const std::vector<std::string> markets{"XRP", "BTC", "ETH", "SOL", "DOGE"};
  return markets;
}

// ---- CoinoneMarketFeed ---------------------------------------------------------------------

struct CoinoneMarketFeed::State {
  State(std::uint64_t seed, SimClock c)
      : generator(std::make_unique<sample::CoinoneGenerator>(
            sample::GenOptions{.kind = sample::GenKind::book_heavy, .seed = seed})),
        books(coinone_markets().size()),
        candles(coinone_markets().size()),
        clock(c) {}
  explicit State(std::unique_ptr<CaptureFrames> c)
      : capture(std::move(c)), books(coinone_markets().size()), candles(coinone_markets().size()) {}

  // One market's current candle of one interval (A6).
  struct Candle {
    bool open = false;  // a trade has started it
    std::int64_t start = 0, timestamp = 0;
    std::string id;  // of the latest trade in it
    Decimal high{}, low{}, first{}, last{}, target_volume{};
    Notional quote_volume{};
    std::uint64_t updated_at = 0;             // `frames` when a trade last updated it
    mutable std::array<std::string, 2> text;  // rendered per CoinoneFormat; "" when stale
  };

  void fold_trade(std::size_t market, std::string_view text);
  [[nodiscard]] const Candle* candle(std::string_view target, std::size_t index) const {
    const auto& m = coinone_markets();
    const auto it = std::find(m.begin(), m.end(), target);
    if (it == m.end() || index >= kCoinoneChartIntervals.size()) return nullptr;
    return &candles[static_cast<std::size_t>(it - m.begin())][index];
  }

  // The next raw frame: the generator's (endless; made at `now_ns`, 0 for its own clock) or the
  // capture's ("" at its end).
  std::string_view raw(std::int64_t now_ns) {
    return capture ? capture->next() : generator->next(now_ns).text;
  }

  std::unique_ptr<sample::CoinoneGenerator> generator;  // one of these two
  std::unique_ptr<CaptureFrames> capture;
  std::vector<std::string> books;  // latest ORDERBOOK frame per market, as generated
  std::vector<std::array<Candle, kCoinoneChartIntervals.size()>> candles;  // per market
  std::uint64_t frames = 0;  // data frames next() returned
  SimClock clock = SimClock::fixed;
};

// A TRADE updates the market's candle of every interval: the first trade of a new candle opens
// it; a trade older than the current candle (a late frame: its candle has closed) changes none.
void CoinoneMarketFeed::State::fold_trade(std::size_t market, std::string_view text) {
  const std::string_view price_text = string_field(text, "price", "p");
  const std::string_view qty_text = string_field(text, "qty", "q");
  std::int64_t timestamp = 0;
  Decimal price{}, qty{};
  Notional value{};
  if (!number_field(text, "timestamp", "t", timestamp) ||
      Decimal::parse(price_text, price) != DecimalError::ok ||
      Decimal::parse(qty_text, qty) != DecimalError::ok || !checked_multiply(price, qty, value)) {
    return;
  }
  const std::string_view id = string_field(text, "id", "i");
  for (std::size_t i = 0; i < kCoinoneChartIntervals.size(); ++i) {
    Candle& c = candles[market][i];
    const std::int64_t start = coinone_candle_start(timestamp, i);
    if (c.open && start < c.start) continue;
    if (!c.open || start > c.start) {
      c.open = true;
      c.start = start;
      c.high = c.low = c.first = price;
      c.quote_volume = value;
      c.target_volume = qty;
    } else {
      Notional quote{};
      Decimal target{};
      if (!checked_add(c.quote_volume, value, quote) ||
          !checked_add(c.target_volume, qty, target)) {
        continue;
      }
      c.quote_volume = quote;
      c.target_volume = target;
      c.high = std::max(c.high, price);
      c.low = std::min(c.low, price);
    }
    c.last = price;
    c.timestamp = timestamp;
    c.id.assign(id);
    c.updated_at = frames;
    c.text[0].clear();
    c.text[1].clear();
  }
}

CoinoneMarketFeed::CoinoneMarketFeed(std::uint64_t seed, SimClock clock)
    : state_(std::make_unique<State>(seed, clock)) {}
CoinoneMarketFeed::CoinoneMarketFeed(std::unique_ptr<CaptureFrames> capture)
    : state_(std::make_unique<State>(std::move(capture))) {}
CoinoneMarketFeed::~CoinoneMarketFeed() = default;

CoinoneDataFrame CoinoneMarketFeed::next() {
  // One clock read per frame handed out (the skipped control frames share it).
  const std::int64_t now = state_->clock == SimClock::wall && !state_->capture ? wall_ns() : 0;
  for (;;) {
    const std::string_view text = state_->raw(now);
    if (text.empty()) return {{}, {}, {}, CoinoneFormat::default_format};  // capture: none now
    const std::string_view type = string_field(text, "response_type", "r");
    if (type != "DATA") continue;  // the endpoint answers requests itself
    CoinoneDataFrame f{string_field(text, "channel", "c"),
                       string_field(text, "target_currency", "tc"), text,
                       text.starts_with(R"({"r":)") ? CoinoneFormat::short_format
                                                    : CoinoneFormat::default_format};
    ++state_->frames;
    const auto& m = coinone_markets();
    const auto it = std::find(m.begin(), m.end(), f.target);
    if (it != m.end()) {
      const auto market = static_cast<std::size_t>(it - m.begin());
      if (f.channel == "ORDERBOOK") state_->books[market] = text;
      if (f.channel == "TRADE") state_->fold_trade(market, text);
    }
    return f;
  }
}

MarketFrame CoinoneMarketFeed::next_frame() {
  const CoinoneDataFrame f = next();
  // The trade or book id, which the client sees again (send stamps); ids of different markets
  // and channels may coincide, so the stamps are exact for one market per channel.
  const std::string_view id = string_field(f.text, "id", "i");
  std::uint64_t key = 0;
  (void)std::from_chars(id.data(), id.data() + id.size(), key);
  return {Venue::coinone, f.channel, f.target, f.text, static_cast<std::uint8_t>(f.format), key};
}

std::string_view CoinoneMarketFeed::latest_book(std::string_view target) const {
  const auto& m = coinone_markets();
  const auto it = std::find(m.begin(), m.end(), target);
  return it == m.end() ? std::string_view{}
                       : std::string_view(state_->books[static_cast<std::size_t>(it - m.begin())]);
}

std::string_view CoinoneMarketFeed::chart_frame(std::string_view target, std::size_t index,
                                               CoinoneFormat format) const {
  const State::Candle* c = state_->candle(target, index);
  if (c == nullptr || !c->open) return {};
  std::string& text = c->text[static_cast<std::size_t>(format)];
  if (text.empty()) {
    // A6's field order; prices and volumes as decimal strings.
    std::string f = R"({"response_type":"DATA","channel":"CHART","data":)";
    f += R"({"quote_currency":"KRW","target_currency":")";
    f.append(target);
    f += R"(","interval":")";
    f.append(kCoinoneChartIntervals[index]);
    f += R"(","timestamp":)" + std::to_string(c->timestamp) + R"(,"id":")" + c->id +
         R"(","candle_timestamp":)" + std::to_string(c->start) + R"(,"high":")" +
         c->high.to_string() + R"(","low":")" + c->low.to_string() + R"(","first":")" +
         c->first.to_string() + R"(","last":")" + c->last.to_string() +
         R"(","quote_volume":")" + c->quote_volume.to_string() + R"(","target_volume":")" +
         c->target_volume.to_string() + R"("}})";
    text = format == CoinoneFormat::default_format ? std::move(f)
                                                   : translate_coinone_keys(f, format);
  }
  return text;
}

bool CoinoneMarketFeed::chart_updated(std::string_view target, std::size_t index) const {
  const State::Candle* c = state_->candle(target, index);
  return c != nullptr && c->open && c->updated_at == state_->frames;
}

// ---- CoinoneEndpoint -----------------------------------------------------------------------

struct CoinoneEndpoint::State {
  struct Subscription {
    std::string channel, target;  // upper case
    CoinoneFormat format;
    std::size_t interval = 0;  // CHART: the index in kCoinoneChartIntervals
  };
  simdjson::dom::parser parser;
  std::vector<Subscription> subscriptions;
};

CoinoneEndpoint::CoinoneEndpoint() : state_(std::make_unique<State>()) {}
CoinoneEndpoint::~CoinoneEndpoint() = default;

void CoinoneEndpoint::on_request(std::string_view request, const CoinoneMarketFeed& feed,
                                 std::vector<std::string>& out) {
  const std::optional<CoinoneRequest> request_read = read_coinone_request(
      state_->parser, request, {"ORDERBOOK", "TRADE", "TICKER", "CHART"}, counters_, out);
  if (!request_read) return;
  const auto [root, channel, format, subscribe] = *request_read;
  auto error = [&](std::int64_t code, std::string_view message, std::string_view field = {}) {
    ++counters_.errors;
    out.push_back(coinone_error_frame(code, message, field));
  };
  std::string_view quote, target;
  simdjson::dom::object topic;
  if (root["topic"].get(topic) != simdjson::SUCCESS ||
      topic["quote_currency"].get(quote) != simdjson::SUCCESS ||
      topic["target_currency"].get(target) != simdjson::SUCCESS) {
    return error(160012, "Invalid Topic");
  }
  // CHART's topic also names the interval: missing is a bad topic (like a missing currency),
  // an undocumented value a bad field value (like a lower-case format).
  const bool chart = channel == "CHART";
  std::string_view interval_text;
  std::size_t interval = 0;
  if (chart) {
    if (topic["interval"].get(interval_text) != simdjson::SUCCESS) {
      return error(160012, "Invalid Topic");
    }
    interval = coinone_chart_interval(interval_text);
    if (interval == kCoinoneChartIntervals.size()) {
      return error(160011, "Invalid Type", "interval");
    }
  }
  // The ack echoes the topic exactly as sent, with long keys whatever the format.
  std::string ack = std::string(R"({"response_type":")") +
                    (subscribe ? "SUBSCRIBED" : "UNSUBSCRIBED") + R"(","channel":")" +
                    std::string(channel) + R"(","data":{"quote_currency":")" + std::string(quote) +
                    R"(","target_currency":")" + std::string(target);
  if (chart) ack += R"(","interval":")" + std::string(interval_text);
  out.push_back(ack + R"("}})");
  const std::string market = upper(target);
  const auto& markets = coinone_markets();
  if (upper(quote) != "KRW" || std::find(markets.begin(), markets.end(), market) == markets.end()) {
    return error(160012, "Invalid Topic");  // after the SUBSCRIBED, as the venue does
  }
  auto& subs = state_->subscriptions;
  // The binding is captured by a name of its own: clang 14 cannot capture structured bindings.
  const auto same = [&, wanted = channel](const State::Subscription& s) {
    return s.channel == wanted && s.target == market && s.interval == interval;
  };
  subs.erase(std::remove_if(subs.begin(), subs.end(), same), subs.end());
  if (!subscribe) {
    ++counters_.unsubscribes;
    return;
  }
  ++counters_.subscribes;
  subs.push_back({std::string(channel), market, format, interval});
  // The venue sends the current book at once (a repeated subscribe repeats it, same id).
  if (channel == "ORDERBOOK") {
    if (const std::string_view book = feed.latest_book(market); !book.empty()) {
      out.push_back(translate_coinone_keys(book, format));
    }
  }
  // Likewise the current candle (a choice: A6 does not say; the ORDERBOOK rule of A2).
  if (chart) {
    const std::string_view candle = feed.chart_frame(market, interval, format);
    if (!candle.empty()) out.emplace_back(candle);
  }
}

bool CoinoneEndpoint::render(const CoinoneDataFrame& frame, std::string& out) const {
  for (const State::Subscription& s : state_->subscriptions) {
    // CHART frames are the feed's candles (render_derived), never a source's frames.
    if (s.channel != frame.channel || s.target != frame.target || s.channel == "CHART") continue;
    out = s.format == frame.format ? std::string(frame.text)
                                   : translate_coinone_keys(frame.text, s.format);
    return true;
  }
  return false;
}

void CoinoneEndpoint::render_derived(const CoinoneDataFrame& frame, const CoinoneMarketFeed& feed,
                                     std::vector<std::string>& out) const {
  if (frame.channel != "TRADE") return;
  for (const State::Subscription& s : state_->subscriptions) {
    if (s.target != frame.target || s.channel != "CHART") continue;
    if (!feed.chart_updated(s.target, s.interval)) continue;
    out.emplace_back(feed.chart_frame(s.target, s.interval, s.format));
  }
}

// ---- the `/` route -------------------------------------------------------------------------

namespace {

class CoinonePublicConnection final : public EndpointConnection {
 public:
  CoinonePublicConnection(const CoinoneMarketFeed& feed, std::string connected)
      : feed_(feed), connected_(std::move(connected)) {}

  void on_open(std::vector<std::string>& out) override { out.push_back(connected_); }
  void on_request(std::string_view request, std::vector<std::string>& out) override {
    endpoint_.on_request(request, feed_, out);
  }
  bool render(const MarketFrame& frame, std::string& out) override {
    if (frame.venue != Venue::coinone) return false;
    return endpoint_.render({frame.channel, frame.market, frame.text,
                             static_cast<CoinoneFormat>(frame.format)},
                            out);
  }
  void render_derived(const MarketFrame& frame, std::vector<std::string>& out) override {
    if (frame.venue != Venue::coinone) return;
    endpoint_.render_derived({frame.channel, frame.market, frame.text,
                              static_cast<CoinoneFormat>(frame.format)},
                             feed_, out);
  }
  const EndpointCounters& counters() const override { return endpoint_.counters(); }

 private:
  const CoinoneMarketFeed& feed_;
  CoinoneEndpoint endpoint_;
  std::string connected_;
};

}  // namespace

std::string coinone_connected_frame(std::uint64_t seed, std::uint64_t n) {
  char id[48];
  std::snprintf(id, sizeof id, "%08llx-%04x-%04x-%04x-%012llx",
                static_cast<unsigned long long>(seed & 0xffffffffULL),
                static_cast<unsigned>(n >> 32 & 0xffff), 0x4000u | static_cast<unsigned>(n & 0xfff),
                0x8000u, static_cast<unsigned long long>(n & 0xffffffffffffULL));
  return std::string(R"({"response_type":"CONNECTED","data":{"session_id":")") + id + "\"}}";
}

Route coinone_public_route(const CoinoneMarketFeed& feed, std::uint64_t seed,
                           std::shared_ptr<std::uint64_t> connection_counter) {
  return {"/", [&feed, seed, counter = std::move(connection_counter)](const UpgradeRequest&) {
            return std::make_unique<CoinonePublicConnection>(
                feed, coinone_connected_frame(seed, ++*counter));
          },
          Venue::coinone};
}

}  // namespace mde::sim
