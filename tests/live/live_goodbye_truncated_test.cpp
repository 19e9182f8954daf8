// A venue that answers our close frame and then drops TCP without TLS's close_notify (common
// behind load balancers) still said goodbye: the close counts as clean. Beast reports such a
// close with the TLS teardown's error (stream_truncated, or a reset), so counting only an
// error-free close missed it.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
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
#include <vector>

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
    // Each client frame: 2 header bytes, an extended length, the masking key, the payload.
    auto& tls = ws.next_layer();
    std::vector<unsigned char> bytes(14);
    const auto read_exactly = [&](std::size_t n) {
      if (bytes.size() < n) bytes.resize(n);
      return asio::read(tls, asio::buffer(bytes.data(), n), ec) == n;
    };
    while (read_exactly(2)) {
      const bool close = (bytes[0] & 0x0f) == 0x8;
      const bool masked = (bytes[1] & 0x80) != 0;
      std::size_t length = bytes[1] & 0x7f;
      if (length >= 126) {
        const std::size_t width = length == 126 ? 2 : 8;
        if (!read_exactly(width)) return;
        length = 0;
        for (std::size_t i = 0; i < width; ++i) length = length << 8 | bytes[i];
      }
      if (!read_exactly((masked ? 4 : 0) + length)) return;  // skips the key and the payload
      if (close) {
        const unsigned char reply[] = {0x88, 0x02, 0x03, 0xe8};  // close, 1000
        asio::write(tls, asio::buffer(reply), ec);
        answered_.store(!ec);
        tls.next_layer().close(ec);  // no close_notify
        return;
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
