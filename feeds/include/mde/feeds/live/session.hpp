// LiveSession: one TLS WebSocket connection to a venue, kept alive and resubscribed for as long
// as it runs, decoding every frame on its I/O thread into the core thread's queue.
//
//   resolve -> TCP connect (TCP_NODELAY) -> TLS handshake (SNI, certificate and host name
//   verified) -> WebSocket upgrade (extra headers) -> send every subscription -> read loop
//
// Each step is a named on_* handler that reports its stage on failure. The read loop reads one
// message into a flat buffer, copies it into a PaddedBuffer (simdjson padding), decodes it with
// the VenueDecoder straight into the EventPublisher of the session's queue and flushes. A full
// queue back-pressures: emit() waits for room on the I/O thread, so the session stops reading and
// TCP pushes back on the venue (nothing is lost; other sessions on the same io_context wait too).
// With `recorder` set, each frame is first copied into a live-capture ring (frame_recorder.hpp),
// which never waits: a full ring costs the copy, not the frame.
//
// Timers (all on the io_context): a keepalive PING every `ping_interval`; a silence watchdog that
// declares the connection dead when no frame arrived for `silence_timeout` (PONG counts), or when
// a write has been in flight that long (a venue that sends but no longer reads); on any
// failure the socket is closed and a reconnect is scheduled after a capped exponential backoff
// with jitter (delay d = min(max, initial * 2^attempt), waited for d/2 + uniform[0, d/2)); the
// attempt count resets once a connection completes its WebSocket handshake. On every (re)connect
// all subscriptions are sent again; the venue's CONNECTED frame tells the engine the connection
// restarted (its books go stale until their first fresh snapshot). stop() says goodbye as the
// protocol asks: a WebSocket close (1000) and, once the venue answers it or `close_timeout`
// passes, the socket is shut; stop_finished() then turns true.
//
// Thread: construct and start() on the setup thread before the io_context runs; every handler
// runs on the thread running the io_context (the pinned I/O thread). stop() may be called from
// any thread (it posts). Data-path errors are counters in stats(); setup errors (a bad CA file,
// a bad URL) throw std::runtime_error from the constructor. Control-path code (connect,
// subscribe, timers) allocates; the per-frame path does not, except the flat_buffer's growth to
// the largest message seen.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "mde/core/event_queue.hpp"
#include "mde/core/events.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/coinone/auth.hpp"
#include "mde/feeds/coinone/requests.hpp"
#include "mde/feeds/decode_status.hpp"
#include "mde/feeds/publish/event_publisher.hpp"

namespace boost::asio {
class io_context;
}
namespace mde::capture {
class FrameRing;  // frame_recorder.hpp
}

namespace mde::live {

using SessionQueue = EventQueue<Event>;

// Where to connect: wss://host:port/target.
struct Endpoint {
  std::string host;
  std::string port = "443";
  std::string target = "/";
};
// Parses "wss://host[:port][/path]" (host: a name, an IPv4 address or a bracketed IPv6 literal,
// kept without its brackets); throws std::runtime_error on anything else.
[[nodiscard]] Endpoint parse_wss_url(const std::string& url);
// The WebSocket upgrade's Host header: "host:port", an IPv6 literal in brackets.
[[nodiscard]] std::string host_header(const Endpoint& e);

struct TlsOptions {
  std::string ca_file;                // empty: the system CA store
  bool insecure_skip_verify = false;  // never verify the peer (tests against unknown certs only)
  // Allow TLS 1.3. Off by default: OpenSSL 3.0 allocates on every TLS 1.3 record it decrypts,
  // so the allocation-free read path uses TLS 1.2, ECDHE + AEAD suites only (tls.cpp).
  bool tls13 = false;
};

struct SessionTimers {
  // 0: the venue's recommendation (Coinone 20 s, protocols.md A5; BTSE 15 s, B2).
  std::chrono::milliseconds ping_interval{0};
  // No inbound frame for this long, or one write in flight this long: dead.
  std::chrono::milliseconds silence_timeout{60'000};
  std::chrono::milliseconds connect_timeout{10'000};  // per phase: TCP, TLS, WebSocket upgrade
  std::chrono::milliseconds backoff_initial{250};
  std::chrono::milliseconds backoff_max{30'000};
  std::chrono::milliseconds backoff_after_limit{60'000};  // after close 4290 (too many connections)
  // A subscription the venue has not acknowledged this long after it was sent is reported as
  // failed (BTSE: the ack lists only the topics that succeeded; an ack may never come; Coinone:
  // no SUBSCRIBED).
  std::chrono::milliseconds subscribe_ack_timeout{10'000};
  // stop(): how long the WebSocket close handshake may take before the socket is shut anyway.
  std::chrono::milliseconds close_timeout{1'000};
};

// One Coinone public subscription (ORDERBOOK, TRADE or TICKER of one market).
struct CoinoneSubscription {
  Channel channel = Channel::book;
  std::string target;  // "XRP"
  std::string quote = "KRW";
  coinone::WireFormat format = coinone::WireFormat::default_format;
};

// One BTSE spot subscription: the order book `update:SYM_0` (send it on a session to the OSS
// endpoint, wss://ws.btse.com/ws/oss/spot) or public trades `tradeHistoryApi:SYM` (on a session
// to the main endpoint, wss://ws.btse.com/ws/spot). protocols.md B1, B4, B6.
struct BtseSubscription {
  Channel channel = Channel::book;  // book or trade
  std::string market;               // "BTC-USD"
};

// One Coinone private subscription (protocols.md A7.3) on a `/v1/private` connection: MYORDER
// (Channel::orders) of `targets` against `quote`, every market when `targets` is empty; or
// MYASSET (Channel::assets, no topic).
struct CoinonePrivateSubscription {
  Channel channel = Channel::orders;
  std::vector<std::string> targets;  // MYORDER only: {"XRP", "BTC"}; empty: all markets
  std::string quote = "KRW";
  coinone::WireFormat format = coinone::WireFormat::default_format;
};

// Takes the engine's resync requests for this connection (Engine::resync_requests): writes up to
// out.size() instruments whose book went stale and returns how many. Called on the I/O thread
// after each frame; the session is that ring's only consumer. The session turns each into the
// venue's resync requests (BTSE: unsubscribe + subscribe the topic; Coinone: none needed, the
// next book frame is a whole snapshot).
struct ResyncHook {
  std::size_t (*take)(void* context, std::uint32_t connection,
                      std::span<InstrumentId> out) noexcept = nullptr;
  void* context = nullptr;
};

struct SessionOptions {
  Venue venue = Venue::coinone;
  Endpoint endpoint;
  TlsOptions tls;
  std::vector<std::pair<std::string, std::string>> headers;  // extra upgrade request headers
  std::vector<CoinoneSubscription> subscriptions;      // venue coinone
  std::vector<BtseSubscription> btse_subscriptions;   // venue btse
  std::vector<CoinonePrivateSubscription> private_subscriptions;  // endpoint `/v1/private`
  // Coinone private: signed into the upgrade headers of every connect (fresh nonce and time).
  // Never printed: see coinone::Secret.
  coinone::Credentials credentials;
  std::vector<std::string> raw_requests;  // sent verbatim after the subscriptions (tests, tools)
  SessionTimers timers;
  std::uint32_t connection = 0;  // EventHeader::connection of everything this session hands over
  std::uint64_t jitter_seed = 1;
  std::size_t max_frame_bytes = 1 << 20;
  ResyncHook resync;
  // Live capture: every frame read is copied here (receive time, venue, connection, bytes) before
  // it is decoded; a full ring drops the copy, never the frame. The session's I/O thread must be
  // the ring's only producer. Null: not recorded.
  capture::FrameRing* recorder = nullptr;
};

enum class SessionStage : std::uint8_t {
  none, resolve, connect, tls_handshake, ws_handshake, read, write, watchdog, oversized_frame,
  closed_by_venue
};
[[nodiscard]] const char* to_string(SessionStage stage) noexcept;

// Counters written by the I/O thread, readable from any thread (relaxed).
struct SessionStats {
  std::atomic<std::uint64_t> connect_attempts{0};
  std::atomic<std::uint64_t> connects{0};        // WebSocket handshakes completed
  std::atomic<std::uint64_t> disconnects{0};     // established connections lost
  std::atomic<std::uint64_t> failures{0};        // every failure, whatever the stage
  std::atomic<std::uint64_t> frames{0};
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::uint64_t> decode_errors{0};   // frames the decoder rejected
  // decode_errors by DecodeStatus (an oversized frame is frame_too_large), so a live dump
  // names its rejections as a replay of the same capture does.
  std::array<std::atomic<std::uint64_t>, kDecodeStatusCount> decode_errors_by_reason{};
  std::atomic<std::uint64_t> requests_sent{0};   // subscriptions, pings, raw requests
  std::atomic<std::uint64_t> pings_sent{0};
  std::atomic<std::uint64_t> watchdog_fires{0};
  std::atomic<std::uint64_t> resync_requests{0};
  std::atomic<std::uint64_t> queue_waits{0};     // times a full queue made the reader wait
  std::atomic<std::uint64_t> record_dropped{0};  // frames the recorder's full ring did not take
  std::atomic<std::uint64_t> slow_backoffs{0};  // reconnects delayed long by a 4290 close
  std::atomic<std::uint64_t> errors{0};              // ERROR frames from the venue
  std::atomic<std::uint64_t> clean_closes{0};  // stop()'s close handshakes the venue answered
  // Subscriptions that failed, each counted once: refused by an ERROR (BTSE naming the topic;
  // Coinone 160010/160011 for the oldest SUBSCRIBE awaited, 160012 after its SUBSCRIBED), left
  // out of the venue's ack (BTSE), or not acknowledged within subscribe_ack_timeout. Each also
  // reaches on_status as an error control naming its channel and topic.
  std::atomic<std::uint64_t> subscriptions_failed{0};
  std::atomic<SessionStage> last_failure{SessionStage::none};
  std::atomic<std::uint16_t> last_close_code{0};  // the venue's last WebSocket close code
  std::atomic<bool> connected{false};
  std::atomic<bool> stopped_by_venue{false};  // a close code that retrying cannot fix (4280)
};

class LiveSession {
 public:
  // Builds the TLS context (loads the CA file) and the decoder; throws std::runtime_error on a
  // bad option. `queue`, `registry` and `io` must outlive the session. A read frame is always
  // handed over whole: a wait for queue room ends only when the consumer makes room.
  LiveSession(boost::asio::io_context& io, SessionQueue& queue, InstrumentRegistry& registry,
              SessionOptions options);
  ~LiveSession();
  LiveSession(const LiveSession&) = delete;
  LiveSession& operator=(const LiveSession&) = delete;

  void start();  // posts the first connect
  // Posts: cancels the timers, sends the venue a WebSocket close (1000) and shuts the socket
  // when it is answered or after timers.close_timeout; no reconnect afterwards.
  void stop();
  // True once stop() has shut the socket (any thread): the io_context may then be stopped
  // without cutting a close handshake short.
  [[nodiscard]] bool stop_finished() const noexcept;

  [[nodiscard]] const SessionStats& stats() const noexcept;
  // The events this session handed to the core (data and control) and its queue waits: plain
  // counters of the I/O thread, so read them only after that thread ended (LiveRuntime::stop()).
  [[nodiscard]] const PublisherStats& publisher_stats_after_io_ended() const noexcept;
  [[nodiscard]] const SessionOptions& options() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mde::live
