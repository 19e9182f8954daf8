#include "mde/feeds/live/session.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <algorithm>
#include <cstdio>
#include <random>
#include <stdexcept>

#include "mde/core/clock.hpp"
#include "mde/core/frame.hpp"
#include "mde/feeds/capture/connection_marker.hpp"
#include "mde/feeds/capture/frame_recorder.hpp"
#include "mde/feeds/publish/event_publisher.hpp"
#include "mde/feeds/venue_decoder.hpp"
#include "error_attribution.hpp"
#include "handler_arena.hpp"
#include "outbox.hpp"
#include "tls.hpp"
#include "venue_protocol.hpp"

namespace mde::live {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Stream = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;

// One connection attempt: the stream with the buffers and the operation memory (arena) its
// operations use. Handlers hold it (shared_ptr), so an abandoned connection's buffers and arena
// outlive its last operation.
struct Connection {
  Connection(asio::io_context& io, asio::ssl::context& tls) : ws(io, tls) {}
  HandlerArena arena;  // declared first: destroyed last
  Stream ws;
  beast::flat_buffer buffer;
  Outbox outbox;  // front() is being written while `writing`
  bool writing = false;
  std::int64_t write_started_ns = 0;  // now_ns() when the write in flight started
};
using Clock = std::chrono::steady_clock;

inline std::uint64_t add(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) noexcept {
  return counter.fetch_add(n, std::memory_order_relaxed);
}

}  // namespace

Endpoint parse_wss_url(const std::string& url) {
  constexpr std::string_view kScheme = "wss://";
  if (!std::string_view(url).starts_with(kScheme)) {
    throw std::runtime_error("live session: URL must start with wss://: " + url);
  }
  Endpoint e;
  std::string rest = url.substr(kScheme.size());
  if (const std::size_t slash = rest.find('/'); slash != std::string::npos) {
    e.target = rest.substr(slash);
    rest.resize(slash);
  }
  if (rest.starts_with('[')) {  // an IPv6 literal: "[::1]:8443" (RFC 3986), kept without brackets
    const std::size_t close = rest.find(']');
    if (close == std::string::npos) throw std::runtime_error("live session: bad URL " + url);
    const std::string after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') throw std::runtime_error("live session: bad URL " + url);
      e.port = after.substr(1);
    }
    rest = rest.substr(1, close - 1);
  } else if (const std::size_t colon = rest.rfind(':'); colon != std::string::npos) {
    e.port = rest.substr(colon + 1);
    rest.resize(colon);
  }
  e.host = rest;
  if (e.host.empty() || e.port.empty()) throw std::runtime_error("live session: bad URL " + url);
  return e;
}

std::string host_header(const Endpoint& e) {
  const bool ipv6 = e.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + e.host + "]" : e.host) + ":" + e.port;
}

const char* to_string(SessionStage stage) noexcept {
  switch (stage) {
    case SessionStage::none: return "none";
    case SessionStage::resolve: return "resolve";
    case SessionStage::connect: return "connect";
    case SessionStage::tls_handshake: return "tls_handshake";
    case SessionStage::ws_handshake: return "ws_handshake";
    case SessionStage::read: return "read";
    case SessionStage::write: return "write";
    case SessionStage::watchdog: return "watchdog";
    case SessionStage::oversized_frame: return "oversized_frame";
    case SessionStage::closed_by_venue: return "closed_by_venue";
  }
  return "?";
}

// Every handler checks `generation`: a failure or stop() bumps it, so callbacks still in flight
// for an abandoned connection return without touching the new one. Handlers hold the stream they
// started on (a Connection), so an abandoned stream lives until its last operation completed.
struct LiveSession::Impl {
  Impl(asio::io_context& io_context, SessionQueue& queue, InstrumentRegistry& registry_ref,
       SessionOptions o)
      : io(io_context),
        registry(registry_ref),
        options(std::move(o)),
        tls(make_client_tls_context(options.tls)),
        resolver(io),
        ping_timer(io),
        watchdog_timer(io),
        backoff_timer(io),
        ack_timer(io),
        close_timer(io),
        frame(options.max_frame_bytes),
        decoder(registry_ref, {.add_unknown_instruments = true,
                           .max_frame_bytes = options.max_frame_bytes}),
        publisher(queue, PublishOptions{}),  // a wait for room always ends: nothing read is lost
        rng(options.jitter_seed),
        protocol(make_venue_protocol(options)),
        sink(publisher, registry_ref, stats, protocol->ack_error_code()) {}

  // ---- connect ----------------------------------------------------------------------------
  void do_connect() {
    if (stopped) return;
    const std::uint64_t gen = ++generation;
    add(stats.connect_attempts);
    conn = std::make_shared<Connection>(io, tls);
    resolver.async_resolve(options.endpoint.host, options.endpoint.port,
                           [this, gen](beast::error_code ec, tcp::resolver::results_type r) {
                             on_resolve(gen, ec, r);
                           });
  }

  void on_resolve(std::uint64_t gen, beast::error_code ec, tcp::resolver::results_type results) {
    if (gen != generation) return;
    if (ec) return fail(gen, SessionStage::resolve);
    auto c = conn;
    Stream* s = &c->ws;
    beast::get_lowest_layer(*s).expires_after(options.timers.connect_timeout);
    beast::get_lowest_layer(*s).async_connect(
        results, [this, gen, c](beast::error_code e, const tcp::endpoint&) { on_connect(gen, e); });
  }

  void on_connect(std::uint64_t gen, beast::error_code ec) {
    if (gen != generation) return;
    if (ec) return fail(gen, SessionStage::connect);
    auto c = conn;
    Stream* s = &c->ws;
    beast::error_code ignored;
    beast::get_lowest_layer(*s).socket().set_option(tcp::no_delay(true), ignored);
    keep_record_buffers(s->next_layer().native_handle());
    if (!configure_peer_verification(s->next_layer().native_handle(), options.endpoint.host,
                                     options.tls.insecure_skip_verify)) {
      return fail(gen, SessionStage::tls_handshake);
    }
    beast::get_lowest_layer(*s).expires_after(options.timers.connect_timeout);
    s->next_layer().async_handshake(asio::ssl::stream_base::client,
                                    [this, gen, c](beast::error_code e) { on_tls_handshake(gen, e); });
  }

  void on_tls_handshake(std::uint64_t gen, beast::error_code ec) {
    if (gen != generation) return;
    if (ec) return fail(gen, SessionStage::tls_handshake);
    auto c = conn;
    Stream* s = &c->ws;
    beast::get_lowest_layer(*s).expires_never();
    // Beast's own timeouts: the upgrade is bounded like every connect phase; no idle timeout (our
    // watchdog decides) and no keep-alive pings (keepalive is the venue's PING request). The
    // close on stop() is bounded by close_timer, not by these.
    websocket::stream_base::timeout t{};
    t.handshake_timeout = options.timers.connect_timeout;
    t.idle_timeout = websocket::stream_base::none();
    t.keep_alive_pings = false;
    s->set_option(t);
    HeaderList headers = options.headers;
    protocol->upgrade_headers(headers);  // per connect: signed headers carry a fresh nonce
    s->set_option(websocket::stream_base::decorator(
        [headers = std::move(headers)](websocket::request_type& req) {
          req.set(http::field::user_agent, "mde");
          for (const auto& [name, value] : headers) req.set(name, value);
        }));
    s->async_handshake(host_header(options.endpoint),
                       options.endpoint.target,
                       [this, gen, c](beast::error_code e) { on_ws_handshake(gen, e); });
  }

  void on_ws_handshake(std::uint64_t gen, beast::error_code ec) {
    if (gen != generation) return;
    if (ec) return fail(gen, SessionStage::ws_handshake);
    conn->ws.text(true);
    // Requests the core made while no connection was up (the lost connection's books) are
    // answered by the subscriptions sent below: taken (and counted) now, before `connected`,
    // so they send nothing; drained after the first frame they sent a second snapshot each.
    take_resync_requests();
    add(stats.connects);
    stats.connected.store(true, std::memory_order_relaxed);
    attempt = 0;
    last_rx_ns = now_ns();
    sink.reset();
    requests.clear();
    protocol->subscribe_requests(requests);
    for (const std::string& r : requests) send(r);
    for (const std::string& r : options.raw_requests) send(r);
    arm_ack_timer(gen);
    arm_ping(gen);
    arm_watchdog(gen);
    do_read(gen);
  }

  // ---- read loop --------------------------------------------------------------------------
  void do_read(std::uint64_t gen) {
    auto c = conn;
    Stream* s = &c->ws;
    s->async_read(c->buffer, with_arena(c->arena, [this, gen, c](beast::error_code e, std::size_t) {
                    on_read(gen, e);
                  }));
  }

  void on_read(std::uint64_t gen, beast::error_code ec) {
    if (gen != generation) return;
    if (ec) return on_read_error(gen, ec);
    beast::flat_buffer& buffer = conn->buffer;
    const std::size_t n = buffer.size();
    const std::int64_t rx_ns = now_ns();  // EventHeader::receive_ns and the capture's time
    last_rx_ns = rx_ns;  // one clock read per frame serves the header, the capture and the watchdog
    add(stats.frames);
    add(stats.bytes, n);
    const auto bytes = buffer.cdata();
    const std::string_view text(static_cast<const char*>(bytes.data()), n);
    if (options.recorder != nullptr &&
        !options.recorder->try_record(rx_ns, options.venue, options.connection, text)) {
      add(stats.record_dropped);
    }
    if (!frame.assign(text)) {
      add(stats.decode_errors);  // larger than max_frame_bytes: counted, skipped
      add(stats.decode_errors_by_reason[static_cast<std::size_t>(DecodeStatus::frame_too_large)]);
      stats.last_failure.store(SessionStage::oversized_frame, std::memory_order_relaxed);
    } else {
      // Acks and errors for subscriptions in flight, seen before the decoder so that an ERROR
      // naming no topic (Coinone 160010/160011) reaches the engine with its subscription's name.
      const bool awaiting = protocol->awaiting_replies();
      if (awaiting) on_reply(text);
      const std::uint64_t waits_before = publisher.stats().waits;
      publisher.begin_frame(rx_ns, options.connection);
      if (const DecodeResult r = decoder.decode(frame.view(), sink, options.venue); !r.ok()) {
        add(stats.decode_errors);
        add(stats.decode_errors_by_reason[static_cast<std::size_t>(r.status)]);
        (void)publisher.report_rejected(r.subject);  // the book or stream it was for goes stale
      }
      publisher.flush();
      if (publisher.stats().waits != waits_before) {
        // The time spent waiting for room in the queue (the core was behind) is not the venue's
        // silence: the watchdog counts from now, when the next frame can be read again.
        last_rx_ns = now_ns();
        stats.queue_waits.store(publisher.stats().waits, std::memory_order_relaxed);
      }
      if (awaiting) {
        sink.forget_name();
        report_failed();
      }
    }
    buffer.consume(n);
    take_resync_requests();
    if (stopped) return;
    do_read(gen);
  }

  // The venue closed the WebSocket with a code: the protocol says whether to come back.
  void on_read_error(std::uint64_t gen, beast::error_code ec) {
    if (ec != websocket::error::closed) return fail(gen, SessionStage::read);
    const auto code = static_cast<std::uint16_t>(conn->ws.reason().code);
    stats.last_close_code.store(code, std::memory_order_relaxed);
    switch (protocol->on_close(code)) {
      case CloseAction::reconnect: return fail(gen, SessionStage::closed_by_venue, code);
      case CloseAction::reconnect_slow:
        add(stats.slow_backoffs);
        slow_backoff = true;
        return fail(gen, SessionStage::closed_by_venue, code);
      case CloseAction::stop:
        add(stats.failures);
        stats.last_failure.store(SessionStage::closed_by_venue, std::memory_order_relaxed);
        if (stats.connected.exchange(false, std::memory_order_relaxed)) add(stats.disconnects);
        stats.stopped_by_venue.store(true, std::memory_order_relaxed);
        report_disconnected(code, "stopped: the venue's close code says retrying cannot help");
        return stop();
    }
  }

  // Resync requests from the core for this connection's books: the venue's requests are sent
  // (none for Coinone). A ring with nothing in it costs one load.
  void take_resync_requests() {
    if (options.resync.take == nullptr) return;
    InstrumentId ids[16];
    for (;;) {
      const std::size_t n = options.resync.take(options.resync.context, options.connection,
                                                 std::span<InstrumentId>(ids));
      if (n == 0) return;
      add(stats.resync_requests, n);
      if (!conn || !stats.connected.load(std::memory_order_relaxed)) continue;
      for (std::size_t k = 0; k < n; ++k) {
        requests.clear();
        protocol->resync_requests(registry.name(ids[k]), requests);
        for (const std::string& r : requests) send(r);
      }
      arm_ack_timer(generation);
      if (n < std::size(ids)) return;
    }
  }

  void on_reply(std::string_view text) {
    failed.clear();
    protocol->on_reply(text, failed);
    for (const FailedTopic& f : failed) {
      if (!f.reported_by_venue) continue;
      sink.name_next_error(f.channel, instrument_of(f), f.topic);
      break;
    }
  }

  InstrumentId instrument_of(const FailedTopic& f) const {
    return registry.find(options.venue, f.market).value_or(kNoInstrument);
  }

  // Subscriptions that failed (refused, left out of the ack, never acked): counted, and those the
  // venue's own error frame did not report reach the engine as an error control with the topic.
  void report_failed() {
    for (const FailedTopic& f : failed) {
      add(stats.subscriptions_failed);
      if (f.reported_by_venue) continue;
      publisher.begin_frame(now_ns(), options.connection);
      Event& e = publisher.event();
      e.header = {};
      e.header.kind = EventKind::control;
      e.header.venue = options.venue;
      e.header.instrument = instrument_of(f);
      e.control = Control{};
      e.control.type = ControlType::error;
      e.control.channel = f.channel;
      e.control.topic_count = 1;
      (void)e.control.topic.assign(
          std::string_view(f.topic).substr(0, decltype(e.control.topic)::kCapacity));
      (void)e.control.message.assign(
          std::string_view(f.why).substr(0, decltype(e.control.message)::kCapacity));
      (void)publisher.emit();
      publisher.flush();
    }
    failed.clear();
  }

  // Wakes at the earliest deadline of the subscriptions awaiting an ack.
  void arm_ack_timer(std::uint64_t gen) {
    if (!protocol->awaiting_replies()) return;
    ack_timer.expires_at(protocol->next_reply_deadline());
    ack_timer.async_wait(with_arena(conn->arena, [this, gen, c = conn](beast::error_code ec) {
      if (ec || gen != generation) return;
      failed.clear();
      protocol->on_reply_timeout(Clock::now(), failed);
      report_failed();
      arm_ack_timer(gen);
    }));
  }

  // ---- writes (one outstanding at a time) -------------------------------------------------
  void send(std::string_view text) {
    conn->outbox.push(text);
    add(stats.requests_sent);
    if (!conn->writing) do_write(generation);
  }

  void do_write(std::uint64_t gen) {
    auto c = conn;
    c->writing = true;
    c->write_started_ns = now_ns();
    Stream* s = &c->ws;
    s->async_write(asio::buffer(c->outbox.front()),
                   with_arena(c->arena, [this, gen, c](beast::error_code e, std::size_t) {
                     on_write(gen, e);
                   }));
  }

  void on_write(std::uint64_t gen, beast::error_code ec) {
    if (gen != generation) return;
    conn->writing = false;
    if (ec) return fail(gen, SessionStage::write);
    conn->outbox.pop();
    if (!conn->outbox.empty()) do_write(gen);
  }

  // ---- timers -----------------------------------------------------------------------------
  void arm_ping(std::uint64_t gen) {
    ping_timer.expires_after(options.timers.ping_interval.count() > 0
                                 ? options.timers.ping_interval
                                 : protocol->default_ping_interval());
    ping_timer.async_wait(with_arena(conn->arena, [this, gen, c = conn](beast::error_code ec) {
      if (ec || gen != generation) return;
      add(stats.pings_sent);
      send(protocol->ping_request());
      arm_ping(gen);
    }));
  }

  void arm_watchdog(std::uint64_t gen) {
    const auto period = std::max<std::chrono::milliseconds>(
        std::chrono::milliseconds(10), options.timers.silence_timeout / 4);
    watchdog_timer.expires_after(period);
    watchdog_timer.async_wait(with_arena(conn->arena, [this, gen, c = conn](beast::error_code ec) {
      if (ec || gen != generation) return;
      const std::int64_t now = now_ns();
      const std::int64_t limit =
          std::chrono::duration_cast<std::chrono::nanoseconds>(options.timers.silence_timeout).count();
      if (now - last_rx_ns > limit) {
        add(stats.watchdog_fires);
        return fail(gen, SessionStage::watchdog);
      }
      // A venue that still sends but no longer reads (an overloaded gateway) leaves our write in
      // flight: the requests behind it (PINGs, resyncs) would wait for good. Dead as well.
      if (conn->writing && now - conn->write_started_ns > limit) {
        add(stats.watchdog_fires);
        return fail(gen, SessionStage::write);
      }
      arm_watchdog(gen);
    }));
  }

  // ---- failure and recovery ---------------------------------------------------------------
  // `close_code`: the venue's close code when this connection ended with a close frame, else 0
  // (not stats.last_close_code, which may be an earlier connection's).
  void fail(std::uint64_t gen, SessionStage stage, std::uint16_t close_code = 0) {
    if (gen != generation || stopped) return;
    ++generation;  // everything still in flight for this connection is now stale
    add(stats.failures);
    stats.last_failure.store(stage, std::memory_order_relaxed);
    if (stats.connected.exchange(false, std::memory_order_relaxed)) {
      add(stats.disconnects);
      char why[48];
      const int n = std::snprintf(why, sizeof why, "connection lost at %s", to_string(stage));
      report_disconnected(close_code,
                          std::string_view(why, n > 0 ? static_cast<std::size_t>(n) : 0));
    }
    close_socket();
    schedule_reconnect();
  }

  // Tells the core the connection is gone (its books go stale now, not at the next CONNECTED).
  // The capture gets a marker at the same place, so a replay reaches the same state.
  void report_disconnected(std::uint16_t close_code, std::string_view why) {
    const std::int64_t at_ns = now_ns();
    if (options.recorder != nullptr) {
      char marker[capture::kMarkerBytes];
      const std::size_t n = capture::format_disconnected_marker(marker, close_code, why);
      if (!options.recorder->try_record(at_ns, options.venue, options.connection,
                                        std::string_view(marker, n))) {
        add(stats.record_dropped);
      }
    }
    publisher.begin_frame(at_ns, options.connection);
    capture::fill_disconnected(publisher.event(), options.venue, close_code, why);
    (void)publisher.emit();
    publisher.flush();
  }

  void cancel_connection_timers() {
    ping_timer.cancel();
    watchdog_timer.cancel();
    ack_timer.cancel();
  }

  void close_socket() {
    cancel_connection_timers();
    resolver.cancel();
    if (conn) {
      beast::error_code ignored;
      beast::get_lowest_layer(conn->ws).socket().shutdown(tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(conn->ws).socket().close(ignored);
    }
  }

  void schedule_reconnect() {
    const auto initial = std::max<std::int64_t>(1, options.timers.backoff_initial.count());
    const auto cap = std::max<std::int64_t>(initial, options.timers.backoff_max.count());
    const int shift = std::min(attempt, 20);
    std::int64_t d = std::min<std::int64_t>(cap, initial << shift);
    if (slow_backoff) {  // 4290: the venue has too many of our connections; retrying soon adds one
      d = std::max<std::int64_t>(d, options.timers.backoff_after_limit.count());
      slow_backoff = false;
    }
    const std::int64_t wait =
        d / 2 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(d / 2 + 1));
    ++attempt;
    backoff_timer.expires_after(std::chrono::milliseconds(wait));
    backoff_timer.async_wait([this](beast::error_code ec) {
      if (!ec && !stopped) do_connect();
    });
  }

  // The goodbye: a close frame (1000) on an open WebSocket, the socket shut when the venue
  // answers or Beast's close timeout passes; at once otherwise.
  void stop() {
    if (stopped) return;
    stopped = true;
    ++generation;  // the read and write handlers still in flight now return at once
    backoff_timer.cancel();
    stats.connected.store(false, std::memory_order_relaxed);
    if (!conn || !conn->ws.is_open()) {
      close_socket();
      stop_finished.store(true, std::memory_order_release);
      return;
    }
    cancel_connection_timers();
    auto c = conn;
    // The goodbye's one bound, whatever holds it: a venue that never answers the close, or one
    // that stopped reading while a write is in flight (Beast's own close timeout would start only
    // once the close frame may be written, after that write).
    close_timer.expires_after(options.timers.close_timeout);
    close_timer.async_wait(with_arena(c->arena, [this, c](beast::error_code ec) {
      if (!ec) close_socket();  // the close below then completes with an error
    }));
    c->ws.async_close(websocket::close_code::normal,
                      with_arena(c->arena, [this, c](beast::error_code ec) {
                        // The venue answered our close frame (its reason is set): a goodbye, even
                        // when it then dropped TCP without TLS's close_notify (the error is the
                        // teardown's, stream_truncated or a reset: common behind load balancers).
                        if (!ec || c->ws.reason().code != websocket::close_code::none) {
                          add(stats.clean_closes);
                        }
                        close_timer.cancel();
                        close_socket();
                        stop_finished.store(true, std::memory_order_release);
                      }));
  }

  asio::io_context& io;
  InstrumentRegistry& registry;
  SessionOptions options;
  asio::ssl::context tls;
  tcp::resolver resolver;
  asio::steady_timer ping_timer, watchdog_timer, backoff_timer, ack_timer;
  asio::steady_timer close_timer;  // stop(): the goodbye's bound
  std::shared_ptr<Connection> conn;
  PaddedBuffer frame;
  VenueDecoder decoder;
  EventPublisher<SessionQueue> publisher;
  std::mt19937_64 rng;
  std::unique_ptr<VenueProtocol> protocol;
  ErrorAttributingSink<EventPublisher<SessionQueue>> sink;  // decoder -> sink -> publisher
  std::vector<std::string> requests;  // scratch for the protocol's requests
  std::vector<FailedTopic> failed;    // scratch for the protocol's failed subscriptions
  std::int64_t last_rx_ns = 0;  // now_ns() (CLOCK_MONOTONIC) of the last inbound frame
  std::uint64_t generation = 0;
  int attempt = 0;
  bool stopped = false;
  bool slow_backoff = false;  // the next reconnect waits at least backoff_after_limit
  SessionStats stats;
  std::atomic<bool> stop_finished{false};  // written on the I/O thread, read by anyone
};

LiveSession::LiveSession(asio::io_context& io, SessionQueue& queue, InstrumentRegistry& registry,
                         SessionOptions options)
    : impl_(std::make_unique<Impl>(io, queue, registry, std::move(options))) {}

LiveSession::~LiveSession() = default;

void LiveSession::start() {
  asio::post(impl_->io, [impl = impl_.get()] { impl->do_connect(); });
}

void LiveSession::stop() {
  asio::post(impl_->io, [impl = impl_.get()] { impl->stop(); });
}

bool LiveSession::stop_finished() const noexcept {
  return impl_->stop_finished.load(std::memory_order_acquire);
}

const SessionStats& LiveSession::stats() const noexcept { return impl_->stats; }
const PublisherStats& LiveSession::publisher_stats_after_io_ended() const noexcept {
  return impl_->publisher.stats();
}
const SessionOptions& LiveSession::options() const noexcept { return impl_->options; }

}  // namespace mde::live
