// Simulator: a local exchange over TLS WebSocket on loopback, for tests, demos and any standard
// client pointed at it with its CA file.
//
//   Simulator sim({.port = 0, .seed = 7, .cert_dir = dir});  // binds; certificate made or reused
//   sim.start();                                              // its own I/O thread
//   sim.coinone_public_url();  sim.ca_file();                 // what a client needs
//   sim.drop_connections();                                   // fault: sockets closed, no close frame
//   sim.stop();                                               // also in the destructor
//
// Endpoints are Routes (endpoint.hpp), market data comes from one MarketSource per venue (each
// ticks `rate` frames a second): today Coinone public at `/` (coinone_endpoint.hpp). Other paths
// get HTTP 404.
// Every connection is a session object with named on_* async steps (TLS handshake, HTTP upgrade
// request, WebSocket accept, read loop, write queue). The market source ticks every millisecond
// and produces `rate` frames per second (deterministic per seed), each sent to the connections
// subscribed to its (channel, market) in their format. A connection whose unsent backlog passes
// kMaxBacklog frames is closed (counted in `slow_closes`) rather than buffered without bound.
// The 21st simultaneous connection from one address is closed with code 4290, as the venue does.
// `record_path` records every frame queued for a connection (FrameRecorder, its own writer
// thread); fast_source / batch_writes / send_stamps / max_frames / market_paused are the load-test
// path (docs/ARCHITECTURE.md, "Live sessions").
//
// Thread: start() runs everything on one internal I/O thread; the public methods may be called
// from any thread (they post to it). Tool side: allocates; setup errors throw std::runtime_error.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "mde/core/send_stamps.hpp"
#include "mde/sim/fast_source.hpp"

namespace mde::sim {

struct SimOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;             // 0: pick a free port (see port())
  std::uint64_t seed = 1;
  std::uint32_t rate = 1000;          // market frames per second per venue, over all its markets
  std::uint64_t max_frames = 0;       // stop after this many market frames per venue (0: never)
  bool market_paused = false;         // no market frames until resume_market() (subscribe first)
  std::filesystem::path cert_dir;     // where the certificate is made or found (required)
  std::uint32_t max_connections_per_address = 20;
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
};

// Read from any thread while the simulator runs (relaxed counters).
struct SimStats {
  std::atomic<std::uint64_t> connections{0};     // WebSocket sessions accepted
  std::atomic<std::uint64_t> open_connections{0};
  std::atomic<std::uint64_t> tls_failures{0};    // handshakes that failed (e.g. untrusted cert)
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> subscribes{0};      // successful SUBSCRIBE requests
  std::atomic<std::uint64_t> pings{0};
  std::atomic<std::uint64_t> errors{0};          // ERROR frames sent
  std::atomic<std::uint64_t> frames_default{0};  // data frames sent in DEFAULT format
  std::atomic<std::uint64_t> frames_short{0};    // data frames sent in SHORT format
  std::atomic<std::uint64_t> drops{0};           // connections dropped by drop_connections()
  std::atomic<std::uint64_t> slow_closes{0};
  std::atomic<std::uint64_t> limit_closes{0};    // closed with 4290
  std::atomic<std::uint64_t> record_dropped{0};  // frames --record could not take (full ring)
  std::atomic<std::uint64_t> frames_sent{0};     // every frame queued to a connection
  std::atomic<std::uint64_t> market_rounds{0};   // frames produced per venue (see max_frames)
};

class Simulator {
 public:
  static constexpr std::size_t kMaxBacklog = 1 << 16;

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
  [[nodiscard]] const std::filesystem::path& ca_file() const noexcept;
  [[nodiscard]] bool certificate_generated() const noexcept;  // false: reused from cert_dir

  // Starts the market data of a simulator made with market_paused (rate counted from now).
  void resume_market();

  // Faults. Closes every open connection's socket without a close frame (like a venue restart).
  void drop_connections();

  [[nodiscard]] const SimStats& stats() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mde::sim
