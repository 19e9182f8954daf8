// The simulator's seams, without sockets: where market frames come from and what one WebSocket
// path answers. Simulator (simulator.cpp) owns the sockets and the tick loop and calls these.
//
//   MarketSource        one per venue: the tick loop pulls `rate` frames a second from each and
//                       offers every frame to every open connection (deterministic per seed).
//   EndpointConnection  one per accepted WebSocket connection on a path: frames to send on open
//                       (Coinone CONNECTED), answers to each client text frame, whether it
//                       wants a market frame (rendered in its subscription's format), and the
//                       frames it derives from one (Coinone CHART, BTSE snapshotL1).
//   Route               a path and how a connection on it is opened from the upgrade request
//                       (Coinone private checks its signature headers there).
//
// Thread: the simulator's I/O thread. Tool side: allocates freely.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mde/core/venue.hpp"

namespace mde::sim {

// What the venue times in the sources' frames follow (SimOptions::clock, `mde sim --clock`).
//   wall   the wall clock (CLOCK_REALTIME) when the source produces the frame, in the venue's
//          units (ms; Coinone private: seconds), as a venue stamps them; time-derived ids (Coinone
//          `<ms><counter>`) follow it and still only increase per market. Prices, sizes, sides
//          and order flow stay the seed's; only times and those ids differ between runs.
//   fixed  the generators' own synthetic clock from sample::kDefaultStartNs, advancing with the
//          frame count, not with time: the same seed and rate give the same bytes (tests,
//          reproducible captures).
// A capture played as the source (SimOptions::source_capture) keeps its own times either way.
enum class SimClock : std::uint8_t { wall, fixed };

struct MarketFrame {
  Venue venue = Venue::unknown;
  std::string_view channel;  // the venue's channel: "ORDERBOOK", "TRADE", "update", ...
  std::string_view market;   // the venue's market name: "XRP" (Coinone target), "BTC-USD"
  std::string_view text;     // valid until the source's next call to next()
  std::uint8_t format = 0;   // venue-specific (Coinone: CoinoneFormat of `text`)
  std::uint64_t stamp_key = 0;  // an id the client sees again (trade / book id): SendStampTable
};

class MarketSource {
 public:
  virtual ~MarketSource() = default;
  [[nodiscard]] virtual MarketFrame next_frame() = 0;
};

// What one connection did, summed into SimStats by the server.
struct EndpointCounters {
  std::uint64_t requests = 0, subscribes = 0, unsubscribes = 0, pings = 0, errors = 0;
};

class EndpointConnection {
 public:
  virtual ~EndpointConnection() = default;
  // Frames sent as soon as the WebSocket is accepted.
  virtual void on_open(std::vector<std::string>& out) { (void)out; }
  // The frames answering one client text frame, in order (appended to `out`).
  virtual void on_request(std::string_view request, std::vector<std::string>& out) = 0;
  // Whether this connection wants `frame`; if so `out` is what to send and the result is true.
  [[nodiscard]] virtual bool render(const MarketFrame& frame, std::string& out) = 0;
  // Frames of channels this connection derives from `frame` rather than receiving from the
  // source (Coinone CHART candles from a TRADE, BTSE snapshotL1 from a book delta), appended to
  // `out`; sent after render's frame, whether or not render wanted `frame`.
  virtual void render_derived(const MarketFrame& frame, std::vector<std::string>& out) {
    (void)frame;
    (void)out;
  }
  // Non-zero: close the connection with this WebSocket close code right after on_open's frames
  // (4280 for a private connection whose signature did not verify).
  [[nodiscard]] virtual std::uint16_t close_code() const { return 0; }
  [[nodiscard]] virtual const EndpointCounters& counters() const = 0;
};

struct UpgradeRequest {
  std::string_view target;                                   // "/v1/private"
  std::function<std::string_view(std::string_view)> header;  // value by name; "" when absent
  std::string_view peer_address;
};

struct Route {
  std::string path;
  std::function<std::unique_ptr<EndpointConnection>(const UpgradeRequest&)> open;
  Venue venue = Venue::unknown;  // recorded with each frame sent (--record)
  // permessage-deflate when the client offers it (BTSE: protocols.md B2 "Compression"); never
  // negotiated when false (Coinone, A1).
  bool offers_deflate = false;
};

}  // namespace mde::sim
