#include "mde/sim/simulator.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <future>
#include <map>
#include <stdexcept>
#include <thread>
#include <vector>

#include "mde/sim/btse_endpoint.hpp"
#include "mde/core/clock.hpp"
#include "mde/core/cpu_affinity.hpp"
#include "mde/feeds/capture/frame_recorder.hpp"
#include "mde/sim/capture_frames.hpp"
#include "mde/sim/certificate.hpp"
#include "mde/sim/coinone_endpoint.hpp"
#include "mde/sim/coinone_private.hpp"
#include "mde/sim/endpoint.hpp"
#include "mde/sim/order_script.hpp"
#include "subscribe_faults.hpp"
#include "ws_frame.hpp"

namespace mde::sim {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

constexpr auto kHandshakeTimeout = 10s;
constexpr auto kTick = 1ms;
constexpr std::size_t kBatchBytes = 256 * 1024;  // batch_writes: at most this much per write

}  // namespace

class ServerSession;

// Everything the I/O thread owns (Simulator::Impl is this; sessions refer to it).
struct Server {
  explicit Server(SimOptions o)
      : options(std::move(o)),
        cert(ensure_self_signed_certificate(options.cert_dir)),
        tls(ssl::context::tls_server),
        acceptor(ioc),
        tick(ioc) {
    tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    tls.use_certificate_chain_file(cert.certificate.string());
    tls.use_private_key_file(cert.private_key.string(), ssl::context::pem);
    const tcp::endpoint at(asio::ip::make_address(options.host), options.port);
    acceptor.open(at.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(at);
    acceptor.listen(asio::socket_base::max_listen_connections);
    port = acceptor.local_endpoint().port();
    add_venues();
    if (options.fast_source) {  // the venues' sources stay alive (routes refer to them), idle
      parked_sources = std::move(sources);
      sources.clear();
      sources.push_back(std::make_unique<FastCoinoneSource>(*options.fast_source));
    }
    if (!options.record_path.empty()) {
      recorder = std::make_unique<capture::FrameRecorder>(
          options.record_path, capture::RecorderOptions{.ring_bytes = options.record_ring_bytes});
    }
  }

  // Every venue's market source and paths. A path not listed gets HTTP 404.
  void add_venues() {
    const std::string& capture = options.source_capture;
    auto frames = [&](Venue v) {
      return std::make_unique<CaptureFrames>(capture, v, options.source_paced);
    };
    auto coinone = capture.empty()
                       ? std::make_unique<CoinoneMarketFeed>(options.seed, options.clock)
                       : std::make_unique<CoinoneMarketFeed>(frames(Venue::coinone));
    routes.push_back(coinone_public_route(*coinone, options.seed, connection_counter));
    sources.push_back(std::move(coinone));
    auto btse_feed =
        capture.empty()
            ? std::make_unique<BtseMarketFeed>(options.seed, btse_markets(), options.clock)
            : std::make_unique<BtseMarketFeed>(frames(Venue::btse));
    btse = btse_feed.get();
    routes.push_back(btse_oss_route(*btse));
    routes.push_back(btse_main_route(*btse));
    sources.push_back(std::move(btse_feed));
    auto own = std::make_unique<CoinonePrivateFeed>(
        options.seed, options.rate, options.private_rate,
        options.order_script.empty() ? OrderScript{} : read_order_script(options.order_script),
        options.clock);
    routes.push_back(coinone_private_route(*own, options.coinone_account, options.seed,
                                           connection_counter));
    coinone_private = own.get();
    sources.push_back(std::move(own));
  }

  [[nodiscard]] const Route* find_route(std::string_view path) const {
    for (const Route& r : routes) {
      if (r.path == path) return &r;
    }
    return nullptr;
  }

  // Market data starts now (a simulator made with market_paused).
  void resume_now() {
    if (!market_paused) return;
    market_paused = false;
    started_at = std::chrono::steady_clock::now();
    produced = 0;
  }

  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void do_tick();
  void on_tick(beast::error_code ec);
  void publish(const MarketFrame& frame);
  template <class F>
  void for_each_open(F&& f);

  SimOptions options;
  CertificateFiles cert;
  asio::io_context ioc;
  ssl::context tls;
  tcp::acceptor acceptor;
  asio::steady_timer tick;
  std::uint16_t port = 0;
  std::vector<std::unique_ptr<MarketSource>> sources;  // one per venue
  BtseMarketFeed* btse = nullptr;                      // in `sources`: the BTSE knobs act on it
  bool paused = false;                                 // no market frames while set
  std::vector<std::unique_ptr<MarketSource>> parked_sources;  // not ticked (fast_source)
  std::vector<Route> routes;
  CoinonePrivateFeed* coinone_private = nullptr;  // owned by `sources`
  SubscribeFaults subscribe_faults;               // refuse_/ignore_next_subscribes
  std::chrono::steady_clock::time_point now{};    // this tick's time
  std::shared_ptr<std::uint64_t> connection_counter = std::make_shared<std::uint64_t>(0);
  std::vector<std::weak_ptr<ServerSession>> sessions;
  std::map<std::string, std::uint32_t> per_address;  // open connections per peer address
  std::uint64_t rate_credit = 0;                      // frames owed this tick, in 1/1000
  std::uint64_t produced = 0;                         // frames due so far (see on_tick)
  std::chrono::steady_clock::time_point started_at{};
  std::string scratch;
  std::vector<std::string> derived;  // publish(): frames a connection derives from one frame
  bool market_paused = options.market_paused;        // see resume_market()
  std::unique_ptr<capture::FrameRecorder> recorder;  // --record; the I/O thread is its producer
  std::uint32_t next_connection_id = 0;               // the n-th WebSocket accepted
  SimStats stats;
  std::thread thread;
  bool started = false;
};

struct Simulator::Impl : Server {
  using Server::Server;
};

// One WebSocket connection: TLS handshake -> HTTP upgrade request -> accept -> read loop, with a
// write queue (Beast allows one outstanding write). Lives as long as an operation holds it.
class ServerSession : public std::enable_shared_from_this<ServerSession> {
 public:
  ServerSession(tcp::socket socket, Server& sim)
      : ws_(std::move(socket), sim.tls), sim_(sim) {
    beast::error_code ec;
    const auto peer = beast::get_lowest_layer(ws_).socket().remote_endpoint(ec);
    address_ = ec ? std::string("?") : peer.address().to_string();
  }

  void run() {
    asio::dispatch(ws_.get_executor(), [self = shared_from_this()] { self->on_run(); });
  }

  // Queues one text frame; closes the connection when the client falls too far behind.
  void send(std::string frame) {
    if (!open_ || close_code_ != 0) return;  // closing: no frame is queued after the decision
    if (outbox_.size() >= sim_.options.max_backlog) {
      sim_.stats.slow_closes.fetch_add(1, std::memory_order_relaxed);
      if (route_venue_ == Venue::btse) return buffer_full_close();
      drop();
      return;
    }
    if (sim_.recorder && !sim_.recorder->ring(0).try_record(now_ns(), route_venue_, id_, frame)) {
      sim_.stats.record_dropped.fetch_add(1, std::memory_order_relaxed);
    }
    sim_.stats.frames_sent.fetch_add(1, std::memory_order_relaxed);
    outbox_.push_back(std::move(frame));
    if (outbox_.size() == 1) do_write();
  }

  void drop() {
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(ws_).socket().close(ec);
    close_bookkeeping();
  }

  [[nodiscard]] bool open() const noexcept { return open_; }
  [[nodiscard]] EndpointConnection* endpoint() const noexcept { return endpoint_.get(); }

  // Fault: no data frame until `until` (requests are still answered).
  void stall_until(std::chrono::steady_clock::time_point until) noexcept { stalled_until_ = until; }
  [[nodiscard]] bool stalled(std::chrono::steady_clock::time_point now) const noexcept {
    return now < stalled_until_;
  }

  // A close frame with `code` after whatever is queued (the venue's 4290 / 4280).
  void close_with(std::uint16_t code) {
    if (!open_ || close_code_ != 0) return;
    close_code_ = code;
    if (outbox_.empty()) start_close();  // else on_write starts it once the outbox drained
  }

  // BTSE's answer to a client that cannot keep up (protocols.md B2, "Full buffer"): the unsent
  // frames are discarded (those a write has in flight stay until it completes), then the socket
  // closes with 1007 once that write is done.
  void buffer_full_close() {
    outbox_.erase(outbox_.begin() + static_cast<std::ptrdiff_t>(in_flight_), outbox_.end());
    close_with(1007);
  }

 private:
  void on_run() {
    beast::get_lowest_layer(ws_).expires_after(kHandshakeTimeout);
    ws_.next_layer().async_handshake(
        ssl::stream_base::server,
        beast::bind_front_handler(&ServerSession::on_tls_handshake, shared_from_this()));
  }

  void on_tls_handshake(beast::error_code ec) {
    if (ec) {
      sim_.stats.tls_failures.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    if (SSL_version(ws_.next_layer().native_handle()) == TLS1_3_VERSION) {
      sim_.stats.tls13_handshakes.fetch_add(1, std::memory_order_relaxed);
    }
    http::async_read(ws_.next_layer(), buffer_, request_,
                     beast::bind_front_handler(&ServerSession::on_upgrade_request,
                                               shared_from_this()));
  }

  void on_upgrade_request(beast::error_code ec, std::size_t) {
    if (ec) return;
    const std::string_view target(request_.target().data(), request_.target().size());
    const Route* route = sim_.find_route(target);
    if (!websocket::is_upgrade(request_) || route == nullptr) {
      auto res = std::make_shared<http::response<http::string_body>>(http::status::not_found,
                                                                     request_.version());
      res->set(http::field::content_type, "text/plain");
      res->body() = "no such endpoint\n";
      res->prepare_payload();
      http::async_write(ws_.next_layer(), *res,
                        [self = shared_from_this(), res](beast::error_code, std::size_t) {
                          beast::error_code ignored;
                          beast::get_lowest_layer(self->ws_).socket().close(ignored);
                        });
      return;
    }
    endpoint_ = route->open(UpgradeRequest{
        target,
        [this](std::string_view name) {
          const auto it = request_.find(beast::string_view(name.data(), name.size()));
          return it == request_.end() ? std::string_view{}
                                      : std::string_view(it->value().data(), it->value().size());
        },
        address_});
    route_venue_ = route->venue;
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = kHandshakeTimeout;
    t.idle_timeout = websocket::stream_base::none();
    t.keep_alive_pings = false;  // the venue sends no pings: keepalive is the client's job
    ws_.set_option(t);
    if (route->offers_deflate) {
      websocket::permessage_deflate deflate;
      deflate.server_enable = true;  // only when the client's upgrade request offers it
      ws_.set_option(deflate);
    }
    // Beast adds the negotiated extension before decorating: what the client got is seen here.
    ws_.set_option(websocket::stream_base::decorator([this](websocket::response_type& res) {
      res.set(http::field::server, "mde-sim");
      deflate_ = res.count(http::field::sec_websocket_extensions) != 0;
    }));
    ws_.async_accept(request_, beast::bind_front_handler(&ServerSession::on_accept,
                                                         shared_from_this()));
  }

  void on_accept(beast::error_code ec) {
    if (ec) return;
    open_ = true;
    id_ = sim_.next_connection_id++;
    ws_.text(true);
    sim_.stats.connections.fetch_add(1, std::memory_order_relaxed);
    sim_.stats.open_connections.fetch_add(1, std::memory_order_relaxed);
    if (deflate_) sim_.stats.deflate_connections.fetch_add(1, std::memory_order_relaxed);
    sim_.sessions.push_back(weak_from_this());
    if (++sim_.per_address[address_] > sim_.options.max_connections_per_address) {
      sim_.stats.limit_closes.fetch_add(1, std::memory_order_relaxed);
      limit_close();
      return;
    }
    replies_.clear();
    endpoint_->on_open(replies_);
    for (std::string& r : replies_) send(std::move(r));
    if (const std::uint16_t code = endpoint_->close_code(); code != 0) {
      if (code == 4280) sim_.stats.auth_failures.fetch_add(1, std::memory_order_relaxed);
      close_with(code);
      return;
    }
    do_read();
  }

  void limit_close() { close_with(4290); }

  void start_close() {
    ws_.async_close(websocket::close_reason(close_code_),
                    [self = shared_from_this()](beast::error_code) { self->close_bookkeeping(); });
  }

  void do_read() {
    ws_.async_read(buffer_,
                   beast::bind_front_handler(&ServerSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) {
      if (ec == websocket::error::closed) {  // the client said goodbye with a close frame
        sim_.stats.client_closes.fetch_add(1, std::memory_order_relaxed);
        if (ws_.reason().code == websocket::close_code::normal) {
          sim_.stats.client_normal_closes.fetch_add(1, std::memory_order_relaxed);
        }
      }
      close_bookkeeping();
      return;
    }
    const std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (close_code_ != 0) return;  // closing: requests are no longer answered
    const EndpointCounters before = endpoint_->counters();
    replies_.clear();
    if (!take_subscribe_fault(text)) endpoint_->on_request(text, replies_);
    const EndpointCounters& after = endpoint_->counters();
    sim_.stats.requests.fetch_add(1, std::memory_order_relaxed);
    sim_.stats.subscribes.fetch_add(after.subscribes - before.subscribes,
                                    std::memory_order_relaxed);
    if (after.subscribes != before.subscribes && sim_.options.resume_on_subscribe) {
      sim_.resume_now();  // a capture replay starts when someone listens (mde sim --source)
    }
    sim_.stats.pings.fetch_add(after.pings - before.pings, std::memory_order_relaxed);
    sim_.stats.errors.fetch_add(after.errors - before.errors, std::memory_order_relaxed);
    for (std::string& r : replies_) send(std::move(r));
    do_read();
  }

  // A SUBSCRIBE the refuse/ignore knobs answer instead of the endpoint (subscribe_faults.hpp).
  bool take_subscribe_fault(std::string_view text) {
    switch (sim_.subscribe_faults.take(text, replies_)) {
      case SubscribeFaults::Taken::no: return false;
      case SubscribeFaults::Taken::refused:
        sim_.stats.subscribes_refused.fetch_add(1, std::memory_order_relaxed);
        sim_.stats.errors.fetch_add(1, std::memory_order_relaxed);
        return true;
      case SubscribeFaults::Taken::ignored:
        sim_.stats.subscribes_ignored.fetch_add(1, std::memory_order_relaxed);
        return true;
    }
    return false;
  }

  void do_write() {
    if (sim_.options.batch_writes) return do_batch_write();
    in_flight_ = 1;
    ws_.async_write(asio::buffer(outbox_.front()),
                    beast::bind_front_handler(&ServerSession::on_write, shared_from_this()));
  }

  // The outbox is only ever cleared here, when no write is in flight: an in-flight write still
  // reads outbox_.front().
  void on_write(beast::error_code ec, std::size_t) {
    if (ec || !open_) {
      close_bookkeeping();
      outbox_.clear();
      return;
    }
    outbox_.erase(outbox_.begin(), outbox_.begin() + static_cast<std::ptrdiff_t>(in_flight_));
    if (!outbox_.empty()) do_write();
    else if (close_code_ != 0) start_close();
  }

  // Every queued frame (up to kBatchBytes) as WebSocket frames in one TLS write, beside Beast
  // (which never has a write in flight meanwhile: all this session's writes take this path, and
  // the close starts only once the outbox drained).
  void do_batch_write() {
    batch_.clear();
    in_flight_ = 0;
    for (const std::string& f : outbox_) {
      append_ws_text_frame(batch_, f);
      ++in_flight_;
      if (batch_.size() >= kBatchBytes) break;
    }
    asio::async_write(ws_.next_layer(), asio::buffer(batch_),
                      beast::bind_front_handler(&ServerSession::on_write, shared_from_this()));
  }

  void close_bookkeeping() {
    if (!open_) return;
    open_ = false;
    sim_.stats.open_connections.fetch_sub(1, std::memory_order_relaxed);
    if (auto it = sim_.per_address.find(address_); it != sim_.per_address.end() && it->second > 0) {
      --it->second;
    }
  }

  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws_;
  Server& sim_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  std::deque<std::string> outbox_;
  std::size_t in_flight_ = 0;  // outbox_ frames the write in flight covers
  std::string batch_;          // batch_writes: the encoded frames being written
  std::vector<std::string> replies_;
  std::unique_ptr<EndpointConnection> endpoint_;
  std::string address_;
  std::uint16_t close_code_ = 0;  // non-zero: closing with this code once the outbox drained
  std::chrono::steady_clock::time_point stalled_until_{};
  std::uint32_t id_ = 0;          // the connection id its frames are recorded under
  Venue route_venue_ = Venue::unknown;
  bool open_ = false;
  bool deflate_ = false;  // permessage-deflate negotiated: Beast compresses what it writes
};

void Server::do_accept() {
  acceptor.async_accept(beast::bind_front_handler(&Server::on_accept, this));
}

void Server::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
  if (!ec) {
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    std::make_shared<ServerSession>(std::move(socket), *this)->run();
  }
  do_accept();
}

void Server::do_tick() {
  tick.expires_after(kTick);
  tick.async_wait(beast::bind_front_handler(&Server::on_tick, this));
}

void Server::on_tick(beast::error_code ec) {
  if (ec) return;
  if (market_paused) {
    do_tick();
    return;
  }
  // Frames owed since the start, from the clock (a late tick on a busy machine must not lose
  // frames), but never more than 4 ms' worth per tick: a simulator that cannot keep up sends
  // less, rather than piling frames into the sessions' backlogs between its writes.
  now = std::chrono::steady_clock::now();
  const auto elapsed = now - started_at;
  const auto due = static_cast<std::uint64_t>(
      static_cast<unsigned __int128>(options.rate) *
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count()) /
      1'000'000);
  const std::uint64_t burst_cap = std::max<std::uint64_t>(1, options.rate / 250);
  if (due > produced + burst_cap) produced = due - burst_cap;
  rate_credit = (due - produced) * 1000;
  produced = due;
  std::erase_if(sessions, [](const std::weak_ptr<ServerSession>& w) {
    auto s = w.lock();
    return !s || !s->open();
  });
  if (paused) rate_credit = 0;
  for (; rate_credit >= 1000; rate_credit -= 1000) {
    if (options.max_frames != 0 && stats.market_rounds.load(std::memory_order_relaxed) >=
                                       options.max_frames) {
      break;
    }
    for (const auto& source : sources) publish(source->next_frame());
    stats.market_rounds.fetch_add(1, std::memory_order_relaxed);
  }
  do_tick();
}

// Offers one market frame to every open connection; each wanting it gets its own rendering,
// then any frames it derives from it (CHART candles, snapshotL1).
void Server::publish(const MarketFrame& frame) {
  if (frame.text.empty()) return;  // a paced source with nothing due this time
  auto send = [this](ServerSession& s, std::string& text) {
    const bool is_short = text.starts_with(R"({"r":)");  // Coinone SHORT; others count as DEFAULT
    (is_short ? stats.frames_short : stats.frames_default).fetch_add(1, std::memory_order_relaxed);
    s.send(std::move(text));
    text = std::string();
  };
  for (const auto& w : sessions) {
    auto s = w.lock();
    if (!s || !s->open() || s->endpoint() == nullptr || s->stalled(now)) continue;
    if (s->endpoint()->render(frame, scratch)) {
      if (options.send_stamps != nullptr && frame.stamp_key != 0) {
        options.send_stamps->put(frame.stamp_key, now_ns());
      }
      send(*s, scratch);
    }
    derived.clear();
    s->endpoint()->render_derived(frame, derived);
    for (std::string& d : derived) send(*s, d);
  }
}

template <class F>
void Server::for_each_open(F&& f) {
  for (const auto& w : sessions) {
    if (auto s = w.lock(); s && s->open()) f(*s);
  }
}

Simulator::Simulator(SimOptions options) {
  if (options.cert_dir.empty()) throw std::runtime_error("sim: cert_dir is required");
  impl_ = std::make_unique<Impl>(std::move(options));
}

Simulator::~Simulator() { stop(); }

void Simulator::start() {
  if (impl_->started) return;
  impl_->started = true;
  impl_->do_accept();
  impl_->started_at = std::chrono::steady_clock::now();
  if (impl_->recorder) impl_->recorder->start();
  impl_->do_tick();
  impl_->thread = std::thread([this] {
    (void)name_current_thread("mde-sim");
    if (impl_->options.cpu >= 0) (void)pin_current_thread(impl_->options.cpu);
    // Linux: a nice value belongs to the thread, so this one alone gives way.
    if (impl_->options.nice > 0) {
      (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), impl_->options.nice);
    }
    impl_->ioc.run();
  });
}

void Simulator::stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  asio::post(impl_->ioc, [impl = impl_.get()] {
    beast::error_code ec;
    impl->acceptor.close(ec);
    impl->tick.cancel();
    for (const auto& w : impl->sessions) {
      if (auto s = w.lock()) s->drop();
    }
    impl->ioc.stop();
  });
  impl_->thread.join();
  if (impl_->recorder) impl_->recorder->stop();  // after the I/O thread: every frame is written
}

const std::string& Simulator::host() const noexcept { return impl_->options.host; }
std::uint16_t Simulator::port() const noexcept { return impl_->port; }
std::string Simulator::coinone_public_url() const {
  return "wss://" + impl_->options.host + ":" + std::to_string(impl_->port) + "/";
}
const std::filesystem::path& Simulator::ca_file() const noexcept {
  return impl_->cert.certificate;
}
bool Simulator::certificate_generated() const noexcept { return impl_->cert.generated; }

std::string Simulator::coinone_private_url() const {
  return "wss://" + impl_->options.host + ":" + std::to_string(impl_->port) + "/v1/private";
}
void Simulator::resume_market() {
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->resume_now(); });
}

void Simulator::drop_connections() {
  asio::post(impl_->ioc, [impl = impl_.get()] {
    impl->for_each_open([impl](ServerSession& s) {
      s.drop();
      impl->stats.drops.fetch_add(1, std::memory_order_relaxed);
    });
  });
}

void Simulator::stall(std::chrono::milliseconds duration) {
  asio::post(impl_->ioc, [impl = impl_.get(), duration] {
    const auto until = std::chrono::steady_clock::now() + duration;
    impl->for_each_open([until](ServerSession& s) { s.stall_until(until); });
  });
}

void Simulator::send_malformed(std::uint32_t count) {
  // Not JSON, truncated mid-object, a cut string, a cut key, trailing content, and (the sixth) a
  // well-formed XRP-KRW ORDERBOOK whose quantity has 9 fractional digits, more than a client
  // holding 8 can take exactly: each a frame a decoder must refuse (all valid UTF-8: a WebSocket
  // text frame must be). The sixth names its market: that book missed an update.
  static constexpr std::string_view kGarbage[] = {
      "not json at all",
      R"({"response_type":"DATA","channel":"ORDERBOOK","data":{"quote_currency":"KRW","targ)",
      R"({"r":"DATA","c":"TRADE","d":{"qc":"KRW","tc":"XRP","p":"8)",
      R"({"response_type":)",
      R"({"response_type":"PONG"}})",
      R"({"response_type":"DATA","channel":"ORDERBOOK","data":{"quote_currency":"KRW","target_currency":"XRP","timestamp":1693560155038,"id":"1693560155038001","asks":[{"price":"695.5","qty":"5000.123456789"}],"bids":[{"price":"688.3","qty":"2000"}]}})",
  };
  asio::post(impl_->ioc, [impl = impl_.get(), count] {
    impl->for_each_open([impl, count](ServerSession& s) {
      for (std::uint32_t k = 0; k < count; ++k) {
        s.send(std::string(kGarbage[k % std::size(kGarbage)]));
        impl->stats.malformed.fetch_add(1, std::memory_order_relaxed);
      }
    });
  });
}

void Simulator::duplicate_next_order_event() {
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->coinone_private->duplicate_next_order_event(); });
}

void Simulator::reorder_next_order_events() {
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->coinone_private->reorder_next_order_events(); });
}

void Simulator::refuse_next_subscribes(std::uint32_t n, std::int64_t code, std::string field) {
  asio::post(impl_->ioc, [impl = impl_.get(), n, code, f = std::move(field)]() mutable {
    impl->subscribe_faults.refuse(n, code, std::move(f));
  });
}

void Simulator::ignore_next_subscribes(std::uint32_t n) {
  asio::post(impl_->ioc, [impl = impl_.get(), n] { impl->subscribe_faults.ignore(n); });
}

void Simulator::close_all(std::uint16_t code) {
  asio::post(impl_->ioc, [impl = impl_.get(), code] {
    impl->for_each_open([impl, code](ServerSession& s) {
      s.close_with(code);
      impl->stats.fault_closes.fetch_add(1, std::memory_order_relaxed);
    });
  });
}

std::string Simulator::btse_oss_url() const {
  return "wss://" + impl_->options.host + ":" + std::to_string(impl_->port) + "/ws/oss/spot";
}
std::string Simulator::btse_main_url() const {
  return "wss://" + impl_->options.host + ":" + std::to_string(impl_->port) + "/ws/spot";
}

void Simulator::btse_skip_sequence(std::string market) {
  asio::post(impl_->ioc, [impl = impl_.get(), m = std::move(market)] {
    (void)impl->btse->skip_sequence(m);
  });
}

void Simulator::btse_cross_book(std::string market) {
  asio::post(impl_->ioc, [impl = impl_.get(), m = std::move(market)] {
    (void)impl->btse->cross_book(m);
  });
}

BtseBookState Simulator::btse_book(std::string market) const {
  if (!impl_->thread.joinable()) return impl_->btse->book(market);  // no I/O thread to ask
  std::promise<BtseBookState> result;
  asio::post(impl_->ioc, [&] { result.set_value(impl_->btse->book(market)); });
  return result.get_future().get();
}

void Simulator::pause_market_data(bool paused) {
  asio::post(impl_->ioc, [impl = impl_.get(), paused] { impl->paused = paused; });
}

const SimStats& Simulator::stats() const noexcept { return impl_->stats; }

}  // namespace mde::sim
