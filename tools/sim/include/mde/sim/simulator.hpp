// Simulator: a local exchange over TLS WebSocket on loopback, for tests, demos and any standard
// client pointed at it with its CA file.
//
//   Simulator sim({.port = 0, .seed = 7, .cert_dir = dir});  // binds; certificate made or reused
//   sim.start();                                              // its own I/O thread
//   sim.coinone_public_url();  sim.ca_file();                 // what a client needs
//   sim.btse_oss_url();  sim.btse_main_url();                 // BTSE books / trades
//   sim.coinone_private_url();                                // signed with options.coinone_account
//   sim.drop_connections();                                   // fault: sockets closed, no close frame
//   sim.btse_skip_sequence("BTC-USD");                        // fault: a BTSE seqNum gap
//   sim.stall(500ms); sim.send_malformed(3); sim.close_all(4290);  // more faults (see below)
//   sim.refuse_next_subscribes(1, 160011, "channel"); sim.ignore_next_subscribes(1);
//   sim.stop();                                               // also in the destructor
//
// Endpoints are Routes (endpoint.hpp), market data comes from one MarketSource per venue (each
// ticks `rate` frames a second): Coinone public at `/` (coinone_endpoint.hpp) and private at
// `/v1/private` (coinone_private.hpp), BTSE spot books at `/ws/oss/spot` and trades at
// `/ws/spot` (btse_endpoint.hpp). Other paths
// get HTTP 404.
// Every connection is a session object with named on_* async steps (TLS handshake, HTTP upgrade
// request, WebSocket accept, read loop, write queue). The market source ticks every millisecond
// and produces `rate` frames per second (content deterministic per seed; venue times from the
// wall clock, or with SimClock::fixed the generators' own: then the bytes too), each sent to the
// connections subscribed to its (channel, market) in their format. A connection whose unsent backlog passes
// `max_backlog` frames is closed (counted in `slow_closes`) rather than buffered without bound:
// a BTSE one with close code 1007 ("User message buffer is full", as the venue does), its unsent
// frames discarded; a Coinone one (the venue documents nothing) by dropping the socket.
// The 21st simultaneous connection from one address is closed with code 4290, as the venue does.
// `record_path` records every frame queued for a connection (FrameRecorder, its own writer
// thread); fast_source / batch_writes / send_stamps / max_frames / market_paused are the load-test
// path (docs/ARCHITECTURE.md, "Live sessions").
//
// Thread: start() runs everything on one internal I/O thread; the public methods may be called
// from any thread (they post to it). Tool side: allocates; setup errors throw std::runtime_error.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "mde/sim/btse_endpoint.hpp"
#include "mde/feeds/coinone/auth.hpp"
#include "mde/core/send_stamps.hpp"
#include "mde/sim/fast_source.hpp"

namespace mde::sim {

// The simulator's demo Coinone account (loopback only; not a secret).
inline constexpr std::string_view kSimDemoAccessToken = "00000000-demo-4000-8000-acce55000000";
inline constexpr std::string_view kSimDemoSecretKey = "00000000-demo-4000-8000-5ec2e7000000";

// The default limit of a connection's unsent frames (SimOptions::max_backlog).
inline constexpr std::size_t kSimMaxBacklog = std::size_t{1} << 16;

struct SimOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;             // 0: pick a free port (see port())
  std::uint64_t seed = 1;
  std::uint32_t rate = 1000;          // market frames per second per venue, over all its markets
  // What the frames' venue times follow (endpoint.hpp): the wall clock when each frame is made,
  // as a venue stamps them, or `fixed`, the generators' synthetic clock (same seed and rate, same
  // bytes). Content is the seed's either way; a source capture keeps its own times.
  SimClock clock = SimClock::wall;
  std::uint64_t max_frames = 0;       // stop after this many market frames per venue (0: never)
  bool market_paused = false;         // no market frames until resume_market() (subscribe first)
  bool resume_on_subscribe = false;   // with market_paused: the first subscription resumes it
  std::filesystem::path cert_dir{};   // where the certificate is made or found (required)
  std::uint32_t max_connections_per_address = 20;
  std::size_t max_backlog = kSimMaxBacklog;   // unsent frames a connection may have queued
  // Coinone private (`/v1/private`): the account whose signature it accepts (the documented demo
  // account by default: coinone_private.hpp) and how many MYORDER/MYASSET events a second its
  // scripted own orders produce.
  coinone::Credentials coinone_account{coinone::Secret(std::string(kSimDemoAccessToken)),
                                       coinone::Secret(std::string(kSimDemoSecretKey))};
  std::uint32_t private_rate = 50;
  // Market data from this capture (native or text, capture_frames.hpp) instead of the
  // generators: its public frames of both venues, played once at `rate` frames a second per
  // venue (or, with source_paced, at their recorded receive times, at most `rate` a second);
  // afterwards the markets are quiet. Empty: the generators.
  std::string source_capture{};
  bool source_paced = false;
  // Coinone private: own orders from this TOML script (order_script.hpp) instead of the
  // built-in rounds, played once from the first MYORDER subscription. Empty: the built-in.
  std::string order_script{};
  // Every frame sent (queued for a connection), with the connection's id (the n-th WebSocket
  // accepted, from 0) and venue, into this native capture from a writer thread (empty: none).
  std::string record_path{};
  std::size_t record_ring_bytes = std::size_t{64} << 20;
  // Load tests and benchmarks (the client, not the simulator, is then what is measured):
  // ticks pre-rendered frames of one Coinone market instead of the generator (fast_source.hpp);
  std::optional<FastSourceOptions> fast_source{};
  // writes every queued frame of a connection with one TLS write (WebSocket frames encoded here,
  // not one Beast write per message);
  bool batch_writes = false;
  // stamps each market frame's send time (when queued) under its stamp_key (CallbackLatency).
  SendStampTable* send_stamps = nullptr;
  int cpu = -1;  // pin the simulator's I/O thread (-1: do not); a failure is ignored
  // The simulator's I/O thread's nice value (0 to 19; a failure is ignored). A load generator
  // sharing few CPUs with the client it measures gives way to it at 19: it then rarely preempts
  // the client's threads (the latency benchmark's --sim-nice).
  int nice = 0;
};

// Read from any thread while the simulator runs (relaxed counters).
struct SimStats {
  std::atomic<std::uint64_t> connections{0};     // WebSocket sessions accepted
  std::atomic<std::uint64_t> open_connections{0};
  std::atomic<std::uint64_t> tls_failures{0};    // handshakes that failed (e.g. untrusted cert)
  std::atomic<std::uint64_t> deflate_connections{0};  // sessions that negotiated permessage-deflate
  std::atomic<std::uint64_t> tls13_handshakes{0};     // TLS handshakes that chose TLS 1.3
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> subscribes{0};      // successful SUBSCRIBE requests
  std::atomic<std::uint64_t> pings{0};
  std::atomic<std::uint64_t> errors{0};          // ERROR frames sent
  std::atomic<std::uint64_t> frames_default{0};  // data frames sent in DEFAULT format
  std::atomic<std::uint64_t> frames_short{0};    // data frames sent in SHORT format
  std::atomic<std::uint64_t> drops{0};           // connections dropped by drop_connections()
  std::atomic<std::uint64_t> slow_closes{0};
  std::atomic<std::uint64_t> limit_closes{0};    // closed with 4290
  std::atomic<std::uint64_t> auth_failures{0};   // private connections closed with 4280
  std::atomic<std::uint64_t> malformed{0};       // garbage frames sent by send_malformed()
  std::atomic<std::uint64_t> fault_closes{0};    // connections closed by close_all()
  std::atomic<std::uint64_t> subscribes_refused{0};  // by refuse_next_subscribes()
  std::atomic<std::uint64_t> subscribes_ignored{0};  // by ignore_next_subscribes()
  std::atomic<std::uint64_t> record_dropped{0};  // frames --record could not take (full ring)
  std::atomic<std::uint64_t> frames_sent{0};     // every frame queued to a connection
  std::atomic<std::uint64_t> market_rounds{0};   // frames produced per venue (see max_frames)
  std::atomic<std::uint64_t> client_closes{0};         // close frames received from clients
  std::atomic<std::uint64_t> client_normal_closes{0};  // of which with code 1000 (normal)
};

class Simulator {
 public:
  // Makes or reuses the certificate, binds the listening socket. Throws on failure.
  explicit Simulator(SimOptions options);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  void start();  // starts accepting and the market source on the I/O thread
  void stop();   // closes everything and joins the I/O thread (then completes the record)

  [[nodiscard]] const std::string& host() const noexcept;
  [[nodiscard]] std::uint16_t port() const noexcept;
  [[nodiscard]] std::string coinone_public_url() const;  // wss://host:port/
  [[nodiscard]] std::string btse_oss_url() const;        // wss://host:port/ws/oss/spot
  [[nodiscard]] std::string btse_main_url() const;       // wss://host:port/ws/spot
  [[nodiscard]] std::string coinone_private_url() const;  // wss://host:port/v1/private
  [[nodiscard]] const std::filesystem::path& ca_file() const noexcept;
  [[nodiscard]] bool certificate_generated() const noexcept;  // false: reused from cert_dir

  // Starts the market data of a simulator made with market_paused (rate counted from now).
  void resume_market();

  // Faults (each posts to the I/O thread; they act on the connections open when it runs).
  // Closes every open connection's socket without a close frame (like a venue restart).
  void drop_connections();
  // BTSE faults, each followed by a normal chain so a resubscribe recovers: the next delta of
  // `market` chains from a seqNum never sent (a gap); a delta puts a bid at the best ask (a
  // crossed book; the market's next delta deletes it).
  void btse_skip_sequence(std::string market);
  void btse_cross_book(std::string market);
  // The BTSE book every subscriber of `market` is sent (its 50-level window and last seqNum).
  // Waits for the I/O thread.
  [[nodiscard]] BtseBookState btse_book(std::string market) const;
  // While paused, the tick loop makes no market frames (requests are still answered): lets a
  // test compare a client's book with the simulator's at rest.
  void pause_market_data(bool paused);
  // Every open connection gets no data frame for `duration`; sockets stay open and requests are
  // still answered (a silent venue: the client's watchdog must notice).
  void stall(std::chrono::milliseconds duration);
  // Every open connection gets `count` frames that are not valid JSON (garbage, truncated).
  void send_malformed(std::uint32_t count);
  // Coinone private: the next MYORDER event is sent twice / the next two are swapped.
  void duplicate_next_order_event();
  void reorder_next_order_events();
  // A close frame with `code` (4290, 4280, ...) to every open connection.
  void close_all(std::uint16_t code);
  // Coinone (public and private paths): the next `n` SUBSCRIBE requests, on any connection, are
  // answered with ERROR `code` (160010, 160011 with `field`) instead of SUBSCRIBED / get no
  // answer at all. A client must report those subscriptions failed, not wait for them.
  void refuse_next_subscribes(std::uint32_t n, std::int64_t code, std::string field = {});
  void ignore_next_subscribes(std::uint32_t n);

  [[nodiscard]] const SimStats& stats() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mde::sim
