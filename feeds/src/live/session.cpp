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
#include <deque>
#include <random>
#include <stdexcept>

#include "mde/core/clock.hpp"
#include "mde/core/frame.hpp"
#include "mde/feeds/publish/event_publisher.hpp"
#include "mde/feeds/venue_decoder.hpp"
#include "tls.hpp"

namespace mde::live {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Stream = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;

// One connection attempt: the stream with the buffers its operations use. Handlers hold it
// (shared_ptr), so an abandoned connection's buffers outlive its last operation.
struct Connection {
  Connection(asio::io_context& io, asio::ssl::context& tls) : ws(io, tls) {}
  Stream ws;
  beast::flat_buffer buffer;
  std::deque<std::string> outbox;  // front() is being written while `writing`
  bool writing = false;
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
  if (const std::size_t colon = rest.rfind(':'); colon != std::string::npos) {
    e.port = rest.substr(colon + 1);
    rest.resize(colon);
  }
  e.host = rest;
  if (e.host.empty() || e.port.empty()) throw std::runtime_error("live session: bad URL " + url);
  return e;
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
  }
  return "?";
}

// Every handler checks `generation`: a failure or stop() bumps it, so callbacks still in flight
// for an abandoned connection return without touching the new one. Handlers hold the stream they
// started on (a Connection), so an abandoned stream lives until its last operation completed.
struct LiveSession::Impl {
  Impl(asio::io_context& io_context, SessionQueue& queue, InstrumentRegistry& registry,
       SessionOptions o, const std::atomic<bool>* stop)
      : io(io_context),
        options(std::move(o)),
        tls(make_client_tls_context(options.tls)),
        resolver(io),
        ping_timer(io),
        watchdog_timer(io),
        backoff_timer(io),
        frame(options.max_frame_bytes),
        decoder(registry, {.add_unknown_instruments = true,
                           .max_frame_bytes = options.max_frame_bytes}),
        publisher(queue, PublishOptions{}, stop),
        rng(options.jitter_seed) {
    if (options.venue != Venue::coinone) {
      throw std::runtime_error("live session: only Coinone sessions exist so far");
    }
    char buf[512];
    for (const CoinoneSubscription& s : options.subscriptions) {
      const std::size_t n =
          coinone::write_subscribe(buf, s.channel, {s.target, s.quote}, s.format);
      if (n == 0) throw std::runtime_error("live session: cannot write subscription " + s.target);
      subscribe_requests.emplace_back(buf, n);
    }
    ping_request.assign(buf, coinone::write_ping(buf));
  }

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
    websocket::stream_base::timeout t{};
    t.handshake_timeout = options.timers.connect_timeout;
    t.idle_timeout = websocket::stream_base::none();  // our own watchdog decides
    t.keep_alive_pings = false;                       // keepalive is the venue's PING request
    s->set_option(t);
    s->set_option(websocket::stream_base::decorator(
        [headers = options.headers](websocket::request_type& req) {
          req.set(http::field::user_agent, "mde");
          for (const auto& [name, value] : headers) req.set(name, value);
        }));
    s->async_handshake(options.endpoint.host + ":" + options.endpoint.port,
                       options.endpoint.target,
                       [this, gen, c](beast::error_code e) { on_ws_handshake(gen, e); });
  }

  void on_ws_handshake(std::uint64_t gen, beast::error_code ec) {
    if (gen != generation) return;
    if (ec) return fail(gen, SessionStage::ws_handshake);
    conn->ws.text(true);
    add(stats.connects);
    stats.connected.store(true, std::memory_order_relaxed);
    attempt = 0;
    last_rx = Clock::now();
    for (const std::string& r : subscribe_requests) send(r);
    for (const std::string& r : options.raw_requests) send(r);
    arm_ping(gen);
    arm_watchdog(gen);
    do_read(gen);
  }

  // ---- read loop --------------------------------------------------------------------------
  void do_read(std::uint64_t gen) {
    auto c = conn;
    Stream* s = &c->ws;
    s->async_read(c->buffer, [this, gen, c](beast::error_code e, std::size_t) { on_read(gen, e); });
  }

  void on_read(std::uint64_t gen, beast::error_code ec) {
    if (gen != generation) return;
    if (ec) return fail(gen, SessionStage::read);
    beast::flat_buffer& buffer = conn->buffer;
    const std::size_t n = buffer.size();
    last_rx = Clock::now();
    add(stats.frames);
    add(stats.bytes, n);
    const auto bytes = buffer.cdata();
    if (!frame.assign({static_cast<const char*>(bytes.data()), n})) {
      add(stats.decode_errors);  // larger than max_frame_bytes: counted, skipped
      stats.last_failure.store(SessionStage::oversized_frame, std::memory_order_relaxed);
    } else {
      publisher.begin_frame(now_ns(), options.connection);
      if (!decoder.decode(frame.view(), publisher, options.venue).ok()) add(stats.decode_errors);
      publisher.flush();
      stats.queue_waits.store(publisher.stats().waits, std::memory_order_relaxed);
    }
    buffer.consume(n);
    if (options.resync.drain != nullptr) {
      add(stats.resync_requests, options.resync.drain(options.resync.context, options.connection));
    }
    if (stopped) return;
    do_read(gen);
  }

  // ---- writes (one outstanding at a time) -------------------------------------------------
  void send(const std::string& text) {
    conn->outbox.push_back(text);
    add(stats.requests_sent);
    if (!conn->writing) do_write(generation);
  }

  void do_write(std::uint64_t gen) {
    auto c = conn;
    c->writing = true;
    Stream* s = &c->ws;
    s->async_write(asio::buffer(c->outbox.front()),
                   [this, gen, c](beast::error_code e, std::size_t) { on_write(gen, e); });
  }

  void on_write(std::uint64_t gen, beast::error_code ec) {
    if (gen != generation) return;
    conn->writing = false;
    if (ec) return fail(gen, SessionStage::write);
    conn->outbox.pop_front();
    if (!conn->outbox.empty()) do_write(gen);
  }

  // ---- timers -----------------------------------------------------------------------------
  void arm_ping(std::uint64_t gen) {
    ping_timer.expires_after(options.timers.ping_interval);
    ping_timer.async_wait([this, gen](beast::error_code ec) {
      if (ec || gen != generation) return;
      add(stats.pings_sent);
      send(ping_request);
      arm_ping(gen);
    });
  }

  void arm_watchdog(std::uint64_t gen) {
    const auto period = std::max<std::chrono::milliseconds>(
        std::chrono::milliseconds(10), options.timers.silence_timeout / 4);
    watchdog_timer.expires_after(period);
    watchdog_timer.async_wait([this, gen](beast::error_code ec) {
      if (ec || gen != generation) return;
      if (Clock::now() - last_rx > options.timers.silence_timeout) {
        add(stats.watchdog_fires);
        return fail(gen, SessionStage::watchdog);
      }
      arm_watchdog(gen);
    });
  }

  // ---- failure and recovery ---------------------------------------------------------------
  void fail(std::uint64_t gen, SessionStage stage) {
    if (gen != generation || stopped) return;
    ++generation;  // everything still in flight for this connection is now stale
    add(stats.failures);
    stats.last_failure.store(stage, std::memory_order_relaxed);
    if (stats.connected.exchange(false, std::memory_order_relaxed)) add(stats.disconnects);
    close_socket();
    schedule_reconnect();
  }

  void close_socket() {
    ping_timer.cancel();
    watchdog_timer.cancel();
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
    const std::int64_t d = std::min<std::int64_t>(cap, initial << shift);
    const std::int64_t wait =
        d / 2 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(d / 2 + 1));
    ++attempt;
    backoff_timer.expires_after(std::chrono::milliseconds(wait));
    backoff_timer.async_wait([this](beast::error_code ec) {
      if (!ec && !stopped) do_connect();
    });
  }

  void stop() {
    stopped = true;
    ++generation;
    backoff_timer.cancel();
    close_socket();
    stats.connected.store(false, std::memory_order_relaxed);
  }

  asio::io_context& io;
  SessionOptions options;
  asio::ssl::context tls;
  tcp::resolver resolver;
  asio::steady_timer ping_timer, watchdog_timer, backoff_timer;
  std::shared_ptr<Connection> conn;
  PaddedBuffer frame;
  VenueDecoder decoder;
  EventPublisher<SessionQueue> publisher;
  std::vector<std::string> subscribe_requests;
  std::string ping_request;
  std::mt19937_64 rng;
  Clock::time_point last_rx{};
  std::uint64_t generation = 0;
  int attempt = 0;
  bool stopped = false;
  SessionStats stats;
};

LiveSession::LiveSession(asio::io_context& io, SessionQueue& queue, InstrumentRegistry& registry,
                         SessionOptions options, const std::atomic<bool>* stop)
    : impl_(std::make_unique<Impl>(io, queue, registry, std::move(options), stop)) {}

LiveSession::~LiveSession() = default;

void LiveSession::start() {
  asio::post(impl_->io, [impl = impl_.get()] { impl->do_connect(); });
}

void LiveSession::stop() {
  asio::post(impl_->io, [impl = impl_.get()] { impl->stop(); });
}

const SessionStats& LiveSession::stats() const noexcept { return impl_->stats; }
const SessionOptions& LiveSession::options() const noexcept { return impl_->options; }

}  // namespace mde::live
