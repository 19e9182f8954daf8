// CoinoneGenerator: synthetic Coinone WebSocket traffic for captures, benchmarks and demos.
//
// Produces an endless, deterministic (per seed) stream of server frames with the shape of the
// real feed: several KRW markets; 16-level ORDERBOOK snapshots (asks worst-first, bids
// best-first) whose prices walk on each market's tick grid; TRADE frames at or next to the touch
// with is_seller_maker mixed; ids of the form <ms><3-digit counter> that only increase; a fixed
// mix of SHORT and DEFAULT formats (chosen per subscription, as the venue does); and for `mixed`
// also TICKER frames, MYORDER lifecycles (wait -> trade(s) -> trade_done repeating the final
// fill; cancels; cancel_post_only; stop orders in watch) with the matching MYASSET balance
// changes. Control frames: CONNECTED and SUBSCRIBED at the start, PONG every ~20 s per
// connection, and rarely a repeated SUBSCRIBED followed by the same book id again (the venue's
// duplicate-subscribe behaviour). receive_ns increases with bursty gaps (mostly tens to hundreds
// of microseconds, sometimes tens of milliseconds), so recorded-pace replay is meaningful.
//
// Every frame decodes with coinone::Decoder (tests/feeds/capture_generator_test.cpp checks it).
// Only integer arithmetic is used, so a seed gives the same bytes on every platform.
//
// Thread: tool side, one owner. The constructor allocates; next() may allocate for private
// order bookkeeping. About a microsecond of CPU per frame (a 16+16-level DEFAULT book is the
// most expensive), so two million frames take a couple of seconds; not allocation-free.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "mde/sample/gen_types.hpp"

namespace mde::sample {

inline constexpr std::uint32_t kPublicConnection = 1;
inline constexpr std::uint32_t kPrivateConnection = 2;  // mixed only

struct GenOptions {
  GenKind kind = GenKind::mixed;
  std::uint64_t seed = 1;
  std::int64_t start_ns = kDefaultStartNs;
};

// How many frames of each kind were produced so far.
struct GenCounts {
  std::uint64_t book = 0, trade = 0, ticker = 0, order = 0, asset = 0, control = 0;
  [[nodiscard]] std::uint64_t total() const noexcept {
    return book + trade + ticker + order + asset + control;
  }
};

class CoinoneGenerator {
 public:
  explicit CoinoneGenerator(const GenOptions& options);
  ~CoinoneGenerator();
  CoinoneGenerator(const CoinoneGenerator&) = delete;
  CoinoneGenerator& operator=(const CoinoneGenerator&) = delete;

  [[nodiscard]] GenFrame next();
  // The same stream, the frame made at `now_ns` (ns since the Unix epoch, e.g. the wall clock;
  // <= 0: next()): its venue times (timestamps, the ms part of ids, private seconds) are now_ns
  // and receive_ns is now_ns, while the content (prices, sizes, sides, order flow, the frame mix)
  // is what next() gives for the seed, paced by the generator's own clock. Ids still only
  // increase per market and channel; timestamps follow now_ns (non-decreasing if it is).
  // Follow-ups queued earlier (trade_done, MYASSET) keep the second they were made at.
  [[nodiscard]] GenFrame next(std::int64_t now_ns);
  [[nodiscard]] const GenCounts& counts() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace mde::sample
