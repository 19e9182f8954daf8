// The simulator's BTSE spot endpoints (protocols.md Part B), without the sockets: the market
// source and what one connection on `/ws/oss/spot` (books) or `/ws/spot` (trades) answers.
//
//   BtseMarketFeed  deterministic per seed: the mde::sample BTSE generator's price and size
//                   dynamics (faults off), re-chained by the feed itself, stamped with the wall
//                   clock or the generator's fixed one (SimClock). It keeps each market's
//                   current book (the 50-level window every subscriber sees) and one seqNum
//                   chain per market (the grouping 0 topic), shared by every connection, so a
//                   subscriber gets a snapshot of the book as of the latest seqNum and the deltas
//                   after it carry on that chain. Book frames leave it as the `data` object only;
//                   each connection wraps it in the topic it subscribed with. Fault knobs:
//                   skip_sequence (the next delta's prevSeqNum is not the last seqNum sent) and
//                   cross_book (a delta putting a bid at the best ask; the next delta of that
//                   market deletes it again), both followed by a normal chain.
//                   Or from a capture (capture_frames.hpp, played once): the capture's book frames
//                   go through the same model, so its seqNums never reach a client: each
//                   market's chain starts at 1 on an empty book, every capture snapshot (the
//                   first, a resubscribe, a recovery after the capture's own gaps) is sent as a
//                   delta carrying the difference from the book before, and each capture delta
//                   is applied and re-chained, so the chain every subscriber sees stays
//                   unbroken whatever the capture's seqNums did. Markets outside the feed's list
//                   are skipped. From the same book model it keeps each market's best bid and
//                   ask (the snapshotL1 topic, B5), re-rendered only when either changes.
//   BtseEndpoint    one per connection: `{"op":"subscribe","args":[...]}` -> the errors frame
//                   (if any topic failed) then the ack listing only the topics that succeeded,
//                   then per book topic a snapshot (up to 50 levels a side, asks worst-first) and
//                   per trade topic the latest trade batch; unsubscribe ack; plain-text
//                   `ping` -> `pong`. Errors in the documented shape: 1000 unknown market, 1001
//                   bad op, 1002 non-JSON or invalid request, 1005 unknown topic kind. Book
//                   topics on the main path (and trade topics on OSS) are left out of the ack and
//                   never delivered, as the venue does. `update:SYM` without `_0` is the `_0`
//                   chain; another grouping is acked and stays silent (the probe's behaviour).
//                   `snapshotL1:SYM` (OSS only, like the book topics): the current best bid and
//                   ask after the ack, then a frame each time a book delta changes either (no
//                   seqNum; price and size strings, as B5's example).
//
// Thread: the simulator's I/O thread. Tool side: allocates freely.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mde/core/events.hpp"
#include "mde/sim/endpoint.hpp"

namespace mde::sim {

inline constexpr std::size_t kBtseWindow = 50;  // levels a side a book topic shows

// The markets the feed serves by default (the doc's examples first).
[[nodiscard]] const std::vector<std::string>& btse_markets();

// One market's book as the feed last sent it: best first on both sides.
struct BtseBookState {
  std::uint64_t seq = 0;  // the last seqNum used on the market's chain
  std::vector<PriceLevel> bids, asks;
};

class CaptureFrames;

class BtseMarketFeed final : public MarketSource {
 public:
  // `clock`: what the frames' timestamps follow (endpoint.hpp); fixed unless told.
  explicit BtseMarketFeed(std::uint64_t seed, std::vector<std::string> markets = btse_markets(),
                          SimClock clock = SimClock::fixed);
  // From a capture instead of the generator; at its end next_frame() returns an empty text.
  explicit BtseMarketFeed(std::unique_ptr<CaptureFrames> capture,
                          std::vector<std::string> markets = btse_markets());
  ~BtseMarketFeed() override;
  BtseMarketFeed(const BtseMarketFeed&) = delete;
  BtseMarketFeed& operator=(const BtseMarketFeed&) = delete;

  // channel "update" (text: the `data` object of a delta) or "tradeHistoryApi" (text: the whole
  // frame); market "BTC-USD"; venue btse.
  [[nodiscard]] MarketFrame next_frame() override;

  [[nodiscard]] bool has_market(std::string_view market) const;
  // The `data` object of a snapshot of the market's current book at its latest seqNum ("" for
  // an unknown market).
  [[nodiscard]] std::string snapshot_data(std::string_view market) const;
  // The market's latest trade batch frame ("" before the first).
  [[nodiscard]] std::string_view recent_trades(std::string_view market) const;
  [[nodiscard]] BtseBookState book(std::string_view market) const;
  // The `data` object of the market's snapshotL1 frame: its best bid and ask as of their latest
  // change ("" for an unknown market); and how many times they changed.
  [[nodiscard]] std::string_view l1_data(std::string_view market) const;
  [[nodiscard]] std::uint64_t l1_version(std::string_view market) const;

  // Fault knobs (false for an unknown market).
  bool skip_sequence(std::string_view market);
  bool cross_book(std::string_view market);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

enum class BtsePath : std::uint8_t { oss, main };

class BtseEndpoint final : public EndpointConnection {
 public:
  BtseEndpoint(const BtseMarketFeed& feed, BtsePath path);
  ~BtseEndpoint() override;
  BtseEndpoint(const BtseEndpoint&) = delete;
  BtseEndpoint& operator=(const BtseEndpoint&) = delete;

  void on_request(std::string_view request, std::vector<std::string>& out) override;
  [[nodiscard]] bool render(const MarketFrame& frame, std::string& out) override;
  // snapshotL1 frames: after a book frame of a subscribed market that changed its top of book.
  void render_derived(const MarketFrame& frame, std::vector<std::string>& out) override;
  [[nodiscard]] const EndpointCounters& counters() const override { return counters_; }

 private:
  struct State;
  std::unique_ptr<State> state_;
  EndpointCounters counters_;
};

// `/ws/oss/spot` and `/ws/spot` over `feed` (which must outlive the routes).
[[nodiscard]] Route btse_oss_route(const BtseMarketFeed& feed);
[[nodiscard]] Route btse_main_route(const BtseMarketFeed& feed);

}  // namespace mde::sim
