// The goodbye is bounded by close_timeout even when a write is stuck: a venue that stopped reading
// leaves our write in flight, and Beast's close waits for it before it sends the close frame or
// starts its own timeout, so without a bound of the session's own stop() never finished.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <string>
#include <thread>

#include "live/live_test_support.hpp"
#include "live/sim_session_support.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/sim/simulator.hpp"

namespace mde {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;
using live_test::wait_until;

// A loopback TCP proxy for one connection: passes the venue's bytes through, and the client's
// until `up_limit` of them went up; then it stops reading the client (a venue that no longer
// reads: the client's writes back up). Small receive buffer, so they back up soon.
class StallingProxy {
 public:
  StallingProxy(std::uint16_t venue_port, std::size_t up_limit)
      : venue_port_(venue_port), up_limit_(up_limit) {
    acceptor_.open(tcp::v4());
    acceptor_.set_option(asio::socket_base::receive_buffer_size(16 * 1024));  // inherited
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    acceptor_.async_accept(client_, [this](boost::system::error_code ec) {
      if (ec) return;
      venue_.async_connect({asio::ip::make_address("127.0.0.1"), venue_port_},
                           [this](boost::system::error_code e) {
                             if (e) return;
                             pump(client_, venue_, up_, up_limit_, up_bytes_);
                             pump(venue_, client_, down_, SIZE_MAX, down_bytes_);
                           });
    });
    thread_ = std::thread([this] { io_.run(); });
  }
  ~StallingProxy() {
    io_.stop();
    thread_.join();
  }
  StallingProxy(const StallingProxy&) = delete;
  StallingProxy& operator=(const StallingProxy&) = delete;

  [[nodiscard]] std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  [[nodiscard]] std::size_t up_bytes() const { return up_bytes_.load(); }
  // The client's bytes waiting in the proxy's receive buffer (asked on the proxy's thread).
  [[nodiscard]] std::size_t unread_up() {
    std::promise<std::size_t> unread;
    asio::post(io_, [&] {
      boost::system::error_code ec;
      unread.set_value(client_.available(ec));
    });
    return unread.get_future().get();
  }

 private:
  using Buffer = std::array<char, 16 * 1024>;
  void pump(tcp::socket& from, tcp::socket& to, Buffer& buf, std::size_t limit,
            std::atomic<std::size_t>& count) {
    const std::size_t room = std::min(buf.size(), limit - count.load());
    if (room == 0) return;  // stalled: nothing reads `from` any more
    from.async_read_some(asio::buffer(buf, room), [this, &from, &to, &buf, limit, &count](
                                                      boost::system::error_code ec, std::size_t n) {
      if (ec) return;
      asio::async_write(to, asio::buffer(buf, n),
                        [this, &from, &to, &buf, limit, &count, n](boost::system::error_code e,
                                                                   std::size_t) {
                          if (e) return;
                          count.fetch_add(n);
                          pump(from, to, buf, limit, count);
                        });
    });
  }

  std::uint16_t venue_port_;
  std::size_t up_limit_;
  asio::io_context io_;
  // Keeps io_ running until the destructor, whatever the connections do.
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  tcp::acceptor acceptor_{io_};
  tcp::socket client_{io_}, venue_{io_};
  Buffer up_{}, down_{};
  std::atomic<std::size_t> up_bytes_{0}, down_bytes_{0};
  std::thread thread_;
};

class LiveGoodbyeStuckWrite : public live_test::SimulatorFixture<live_test::Recorder> {
 protected:
  LiveGoodbyeStuckWrite() : SimulatorFixture("goodbye-stuck") {}
  void SetUp() override { start_sim({.seed = 5, .rate = 200}); }
};

TEST_F(LiveGoodbyeStuckWrite, StopFinishesByTheCloseTimeoutWhileTheVenueNeverReadsAWriteInFlight) {
  constexpr std::size_t kUpLimit = 64 * 1024;  // past the TLS and WebSocket handshakes
  StallingProxy proxy(sim_->port(), kUpLimit);
  LiveRuntime<live_test::Recorder>& rt = runtime();
  live::SessionOptions o = live_test::session_to(*sim_, sim_->coinone_public_url());
  o.endpoint.port = std::to_string(proxy.port());
  // One request larger than every buffer between the session and the stalled reader (the
  // sender's socket buffer grows to 4 MiB at most): its write stays in flight.
  o.raw_requests = {std::string(std::size_t{8} << 20, 'x')};
  o.timers.close_timeout = 200ms;
  rt.add_session(std::move(o));
  rt.start();
  ASSERT_TRUE(wait_until([&] { return proxy.up_bytes() >= kUpLimit; }));
  // The write is stuck once the proxy's unread bytes stop growing for a while: its receive window
  // is shut, and the session's send buffer (4 MiB at most) fills behind it at memory speed. Until
  // then Beast lets the close frame in between two fragments of the write, and its own close
  // timeout bounds the goodbye.
  std::size_t last = 0;
  auto since = std::chrono::steady_clock::now();
  ASSERT_TRUE(wait_until([&] {
    const std::size_t unread = proxy.unread_up();
    const auto now = std::chrono::steady_clock::now();
    if (unread != last) {
      last = unread;
      since = now;
    }
    return unread > 0 && now - since > 100ms;
  }));

  rt.stop();  // waits for the goodbye up to close_timeout + 500 ms, then stops the I/O thread
  EXPECT_TRUE(rt.session(0).stop_finished()) << "the goodbye outlived close_timeout";
  EXPECT_EQ(rt.session(0).stats().clean_closes.load(), 0u);
}

}  // namespace
}  // namespace mde
