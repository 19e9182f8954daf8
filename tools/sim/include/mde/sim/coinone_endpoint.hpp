// The simulator's Coinone public endpoint (`/`, protocols.md Part A), without the sockets: what
// one connection answers to each request, which data frames it wants, and the market source.
//
//   CoinoneMarketFeed  deterministic per seed: the mde::sample Coinone generator's public frames
//                      (its own CONNECTED/SUBSCRIBED/PONG frames are skipped: the endpoint makes
//                      those), each tagged with channel and market, stamped with the wall clock
//                      or the generator's fixed one (SimClock); it remembers each market's
//                      latest book so a new subscriber gets it at once, as the venue does. Or a
//                      capture's public Coinone frames (capture_frames.hpp), played once, each
//                      kept in the format it was recorded in: the endpoint renders it in the
//                      subscriber's format as it does the generator's.
//                      It also keeps each market's current CHART candle per interval (A6),
//                      built from its TRADE frames: a candle starts at its interval boundary on
//                      the trades' own timestamps (UTC; weeks start Monday 00:00 UTC).
//   CoinoneEndpoint    one per connection: answers SUBSCRIBE / UNSUBSCRIBE / PING with the
//                      venue's frames (SUBSCRIBED echoes the topic as sent, with long keys even
//                      for SHORT; an unknown market gets SUBSCRIBED then ERROR 160012; a bad value
//                      ERROR 160011 with `field`; non-JSON ERROR 160010), and renders data frames
//                      in the format each subscription asked for. CHART (topic with `interval`):
//                      a missing interval is ERROR 160012, an undocumented one ERROR 160011
//                      with field `interval` (no SUBSCRIBED before either); once subscribed, the
//                      current candle at once (if the market has traded), then the candle after
//                      each TRADE that updated it.
//
// Thread: the simulator's I/O thread. Tool side: allocates freely.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mde/sim/endpoint.hpp"

namespace mde::sim {

enum class CoinoneFormat : std::uint8_t { default_format, short_format };

// The same frame with DEFAULT keys turned into SHORT ones or back (only keys change: a key is a
// quoted string followed by ':'; values are never touched).
[[nodiscard]] std::string translate_coinone_keys(std::string_view frame, CoinoneFormat to);

// The markets the endpoint serves (the generator's), e.g. "XRP", "BTC"; quote is always KRW.
[[nodiscard]] const std::vector<std::string>& coinone_markets();

// The CHART intervals (protocols.md A6), in the documented order.
inline constexpr std::array<std::string_view, 11> kCoinoneChartIntervals{
    "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "1d", "1w"};

// The index of `interval` in kCoinoneChartIntervals (exact spelling), or the array's size.
[[nodiscard]] std::size_t coinone_chart_interval(std::string_view interval);

// The start (ms) of the candle of interval `index` holding the instant `timestamp_ms`: a multiple
// of the interval since the epoch (UTC), weeks from a Monday.
[[nodiscard]] std::int64_t coinone_candle_start(std::int64_t timestamp_ms, std::size_t index);

struct CoinoneDataFrame {
  std::string_view channel;  // "ORDERBOOK", "TRADE", "TICKER"
  std::string_view target;   // "XRP"
  std::string_view text;     // as generated; valid until the next call to next(); "" for none
  CoinoneFormat format;      // the format it was generated in
};

class CaptureFrames;

class CoinoneMarketFeed final : public MarketSource {
 public:
  // `clock`: what the frames' timestamps and ids follow (endpoint.hpp); fixed unless told.
  explicit CoinoneMarketFeed(std::uint64_t seed, SimClock clock = SimClock::fixed);
  // From a capture instead of the generator (markets outside coinone_markets() are never
  // subscribable, so their frames reach nobody); at its end next() returns an empty text.
  explicit CoinoneMarketFeed(std::unique_ptr<CaptureFrames> capture);
  ~CoinoneMarketFeed();
  CoinoneMarketFeed(const CoinoneMarketFeed&) = delete;
  CoinoneMarketFeed& operator=(const CoinoneMarketFeed&) = delete;

  [[nodiscard]] CoinoneDataFrame next();
  [[nodiscard]] MarketFrame next_frame() override;
  // The latest ORDERBOOK frame of a market ("" before its first one).
  [[nodiscard]] std::string_view latest_book(std::string_view target) const;
  // The CHART frame of the market's current candle of interval `index` in `format` ("" before
  // the market's first trade); rendered once per candle change and format.
  [[nodiscard]] std::string_view chart_frame(std::string_view target, std::size_t index,
                                             CoinoneFormat format) const;
  // Whether the frame next() returned last was a TRADE that updated that candle (a trade older
  // than the current candle updates none).
  [[nodiscard]] bool chart_updated(std::string_view target, std::size_t index) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

using CoinoneEndpointCounters = EndpointCounters;

class CoinoneEndpoint {
 public:
  CoinoneEndpoint();
  ~CoinoneEndpoint();
  CoinoneEndpoint(const CoinoneEndpoint&) = delete;
  CoinoneEndpoint& operator=(const CoinoneEndpoint&) = delete;

  // The frames to send in answer to one client text frame, in order (appended to `out`).
  void on_request(std::string_view request, const CoinoneMarketFeed& feed,
                  std::vector<std::string>& out);

  // Whether this connection subscribed to the frame's (channel, market); if so `out` is the
  // frame in the subscription's format and the result is true.
  [[nodiscard]] bool render(const CoinoneDataFrame& frame, std::string& out) const;
  // The CHART frames `frame` gives this connection: one per CHART subscription of its market
  // whose candle it updated (only a TRADE, just returned by feed.next(), does).
  void render_derived(const CoinoneDataFrame& frame, const CoinoneMarketFeed& feed,
                      std::vector<std::string>& out) const;

  [[nodiscard]] const CoinoneEndpointCounters& counters() const noexcept { return counters_; }

 private:
  struct State;
  std::unique_ptr<State> state_;
  CoinoneEndpointCounters counters_;
};

// {"response_type":"ERROR","error_code":<code>,"message":"<message>"[,"field":"<field>"]}
[[nodiscard]] std::string coinone_error_frame(std::int64_t code, std::string_view message,
                                              std::string_view field = {});

// {"response_type":"CONNECTED","data":{"session_id":"<uuid-shaped from seed and n>"}}
[[nodiscard]] std::string coinone_connected_frame(std::uint64_t seed, std::uint64_t n);

// The Coinone public path `/`: CONNECTED on open (a session id shaped like the venue's UUID, from
// `seed` and a per-simulator connection count), then a CoinoneEndpoint over `feed`.
[[nodiscard]] Route coinone_public_route(const CoinoneMarketFeed& feed, std::uint64_t seed,
                                         std::shared_ptr<std::uint64_t> connection_counter);

}  // namespace mde::sim
