// BtseGenerator: synthetic BTSE spot WebSocket traffic (protocols.md Part B: B3, B4, B6) for
// captures, tests, benchmarks and the exchange simulator.
//
// An endless, deterministic (per seed) stream of the frames a client subscribed to the order book
// (OSS endpoint, one connection) and public trades (main endpoint, another connection) receives,
// for several markets (default BTC-USD and ETH-USD):
// - subscribe acks `{"event":"subscribe","channel":[...]}` listing the topics (in any order; the
//   first snapshot sometimes arrives before its ack, as probes saw);
// - `update:SYM_0` books: a snapshot of up to 50 levels a side (asks worst-first, bids best-first),
//   then deltas with an unbroken seqNum/prevSeqNum chain: unordered levels, absolute sizes, "0"
//   deletes, levels leaving the 50-level window sent as size 0 (the client's book stays <= 50),
//   now and then a re-quote that puts more than 50 entries on one side, and sometimes the topic
//   without `_0`. Prices and sizes are strings, with trailing zeros ("59249.0", "0.24000") or
//   without, chosen per frame. The venue's book behind the window is deeper than 50 levels;
//   trades eat the touch, and makers refill and improve it, so prices walk on each market's grid;
//   a delta is the exact difference between the window last sent and the venue's book now.
// - `tradeHistoryApi:SYM` batches: `data` an array of 1..8 trades (one taker sweeping the touch)
//   with bare JSON numbers for size and price written as Java's Double.toString does (so sizes
//   below 0.001 come in exponent form, "5.0E-4"), tradeId increasing per market, side BUY/SELL;
//   the first batch after a (re)subscribe repeats recent trades.
// - plain-text `pong` on each connection about every 15 s (the client pings).
// Knobs (BtseGenOptions) inject the faults a client must survive: a skipped seqNum (the message is
// lost), a crossed book, a duplicated delta, a resubscribe (fresh snapshot, chain carrying on).
// After a gap or a cross the stream behaves as a correct client's would: the topic is
// unsubscribed and subscribed again (both acks), and a fresh snapshot follows.
//
// Only integer arithmetic is used, so a seed gives the same bytes on every platform.
//
// Thread: tool side, one owner. Allocates (std::map books); about a microsecond per frame.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mde/sample/gen_types.hpp"

namespace mde::sample {

// Connection ids distinct from the Coinone generator's (1, 2), so one capture can hold both.
inline constexpr std::uint32_t kBtseBookConnection = 3;   // OSS endpoint: update: topics
inline constexpr std::uint32_t kBtseTradeConnection = 4;  // main endpoint: tradeHistoryApi:

struct BtseGenOptions {
  GenKind kind = GenKind::mixed;  // trade-heavy / book-heavy / mixed: the share of trade batches
  std::uint64_t seed = 1;
  std::int64_t start_ns = kDefaultStartNs;
  // Known markets (BTC-USD, ETH-USD, SOL-USD, XRP-USD) get realistic grids and sizes; any other
  // BASE-QUOTE name gets a generic one. At least one; names of 1..32 characters without quotes,
  // backslashes or control characters.
  std::vector<std::string> markets = {"BTC-USD", "ETH-USD"};
  // Probabilities in parts per million. gap, cross, duplicate: per delta sent; resubscribe: per
  // frame.
  std::uint32_t gap_ppm = 0;           // skip a seqNum: the delta carrying it is lost
  std::uint32_t cross_ppm = 0;         // a delta adds a level that crosses the book
  std::uint32_t duplicate_ppm = 0;     // the delta just sent is sent again, same seqNum
  std::uint32_t resubscribe_ppm = 20;  // a topic again: ack, fresh snapshot or recent trades
  bool resync_after_fault = true;      // after a gap or cross: unsubscribe + subscribe + snapshot
  std::uint32_t book_connection = kBtseBookConnection;
  std::uint32_t trade_connection = kBtseTradeConnection;
};

struct BtseGenCounts {
  std::uint64_t snapshot = 0, delta = 0, trade_batch = 0, control = 0;  // frames (delta
                                                                        // includes duplicates)
  std::uint64_t trades = 0;  // trades inside the batches (repeats included)
  std::uint64_t gaps = 0, crosses = 0, duplicates = 0, resubscribes = 0, resyncs = 0;
  [[nodiscard]] std::uint64_t total() const noexcept {
    return snapshot + delta + trade_batch + control;
  }
};

class BtseGenerator {
 public:
  // Throws std::invalid_argument when `markets` is empty or holds a name it cannot write.
  explicit BtseGenerator(const BtseGenOptions& options);
  ~BtseGenerator();
  BtseGenerator(const BtseGenerator&) = delete;
  BtseGenerator& operator=(const BtseGenerator&) = delete;

  [[nodiscard]] GenFrame next();  // venue = Venue::btse
  // The same stream, the frame made at `now_ns` (ns since the Unix epoch, e.g. the wall clock;
  // <= 0: next()): its timestamps are now_ns's millisecond (never backwards per market) and
  // receive_ns is now_ns, while the content (books, trades, seqNums, tradeIds, the frame mix) is
  // what next() gives for the seed, paced by the generator's own clock. On the first such call
  // the trades made so far (repeated by the first batch) move onto now_ns's clock, just before it.
  [[nodiscard]] GenFrame next(std::int64_t now_ns);
  [[nodiscard]] const BtseGenCounts& counts() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace mde::sample
