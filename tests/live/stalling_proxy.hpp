// A loopback TCP proxy for tests of a venue that stops reading: see StallingProxy.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <future>
#include <string>
#include <thread>

#include "live/sim_session_support.hpp"

namespace mde::live_test {

namespace asio = boost::asio;
using asio::ip::tcp;

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

// Up to here the client's bytes pass: past the TLS and WebSocket handshakes.
inline constexpr std::size_t kStallAfterBytes = 64 * 1024;

// A Coinone public session to the simulator through `proxy`, whose first request is larger than
// every buffer between the session and the stalled reader (the sender's socket buffer grows to
// 4 MiB at most): that write stays in flight while the venue's frames keep coming down.
inline live::SessionOptions stuck_write_session(const sim::Simulator& sim,
                                                const StallingProxy& proxy) {
  live::SessionOptions o = session_to(sim, sim.coinone_public_url());
  o.endpoint.port = std::to_string(proxy.port());
  o.raw_requests = {std::string(std::size_t{8} << 20, 'x')};
  return o;
}

}  // namespace mde::live_test
