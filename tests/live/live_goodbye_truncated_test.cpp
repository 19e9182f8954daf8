// A venue that answers our close frame and then drops TCP without TLS's close_notify (common
// behind load balancers) still said goodbye: the close counts as clean. Beast reports such a
// close with the TLS teardown's error (stream_truncated, or a reset), so counting only an
// error-free close missed it.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <thread>

#include "live/live_test_support.hpp"
#include "mde/feeds/live/session.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/sim/certificate.hpp"

namespace mde {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using asio::ip::tcp;
using live_test::wait_until;

// One TLS WebSocket connection on its own thread: it accepts the upgrade, reads the client's
// frames, answers its close frame with a close frame (1000) and then closes the TCP socket at
// once, without TLS's close_notify.
class TruncatingVenue {
 public:
  explicit TruncatingVenue(const sim::CertificateFiles& files) {
    tls_.use_certificate_chain_file(files.certificate.string());
    tls_.use_private_key_file(files.private_key.string(), asio::ssl::context::pem);
    acceptor_.open(tcp::v4());
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    thread_ = std::thread([this] { serve(); });
  }
  ~TruncatingVenue() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    thread_.join();
  }
  TruncatingVenue(const TruncatingVenue&) = delete;
  TruncatingVenue& operator=(const TruncatingVenue&) = delete;

  [[nodiscard]] std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  [[nodiscard]] bool answered_close() const { return answered_.load(); }

 private:
  void serve() {
    boost::system::error_code ec;
    tcp::socket socket(io_);
    acceptor_.accept(socket, ec);
    if (ec) return;
    websocket::stream<beast::ssl_stream<tcp::socket>> ws(std::move(socket), tls_);
    ws.next_layer().handshake(asio::ssl::stream_base::server, ec);
    if (ec) return;
    ws.accept(ec);
    if (ec) return;
    // Below the WebSocket layer from here on: Beast would answer the close with a TLS shutdown.
    std::string pending;
    char buf[4096];
    for (;;) {
      const std::size_t n = ws.next_layer().read_some(asio::buffer(buf), ec);
      if (ec) return;
      pending.append(buf, n);
      for (;;) {  // every complete client frame (masked) in `pending`
        if (pending.size() < 2) break;
        const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(pending[i]); };
        std::size_t length = byte(1) & 0x7f, at = 2;
        if (length == 126) {
          if (pending.size() < 4) break;
          length = std::size_t{byte(2)} << 8 | byte(3);
          at = 4;
        } else if (length == 127) {
          if (pending.size() < 10) break;
          length = 0;
          for (std::size_t i = 2; i < 10; ++i) length = length << 8 | byte(i);
          at = 10;
        }
        if ((byte(1) & 0x80) != 0) at += 4;  // the masking key
        if (pending.size() < at + length) break;
        if ((byte(0) & 0x0f) == 0x8) {  // the client's close frame
          const unsigned char reply[] = {0x88, 0x02, 0x03, 0xe8};  // close, 1000
          asio::write(ws.next_layer(), asio::buffer(reply), ec);
          answered_.store(!ec);
          ws.next_layer().next_layer().close(ec);  // no close_notify
          return;
        }
        pending.erase(0, at + length);
      }
    }
  }

  asio::io_context io_;
  asio::ssl::context tls_{asio::ssl::context::tls_server};
  tcp::acceptor acceptor_{io_};
  std::atomic<bool> answered_{false};
  std::thread thread_;
};

TEST(LiveGoodbyeTruncated, AnAnsweredCloseCountsAsCleanWhenTheVenueThenDropsTcpWithoutCloseNotify) {
  live_test::TempDir certs("goodbye-truncated");
  const sim::CertificateFiles files = sim::ensure_self_signed_certificate(certs.path());
  TruncatingVenue venue(files);
  live_test::Recorder recorder;
  LiveRuntime<live_test::Recorder> rt(recorder, LiveRunOptions{});
  live::SessionOptions o;
  o.venue = Venue::coinone;
  o.endpoint = live::parse_wss_url("wss://127.0.0.1:" + std::to_string(venue.port()) + "/");
  o.tls.ca_file = files.certificate.string();
  o.subscriptions = {{Channel::trade, "XRP", "KRW", coinone::WireFormat::short_format}};
  rt.add_session(std::move(o));
  rt.start();
  const live::SessionStats& st = rt.session(0).stats();
  ASSERT_TRUE(wait_until([&] { return st.connects.load() == 1 && st.requests_sent.load() >= 1; }));
  rt.stop();
  EXPECT_TRUE(venue.answered_close());
  EXPECT_TRUE(rt.session(0).stop_finished());
  EXPECT_EQ(st.clean_closes.load(), 1u);
}

}  // namespace
}  // namespace mde
