// VenueProtocol: what differs between venues on a live connection, so that LiveSession (the
// socket, timers and recovery) stays venue-free. One per session, built from its options.
//
//   upgrade_headers    extra WebSocket upgrade headers for THIS connect (Coinone private: a fresh
//                      nonce and timestamp are signed on every dial)
//   subscribe_requests everything sent after each WebSocket handshake (subscriptions, logins)
//   ping_request       the venue's keepalive text (Coinone JSON PING, BTSE plain `ping`)
//   resync_requests    what to send when the core asks for a fresh book of `market` (BTSE:
//                      unsubscribe + subscribe its topic; Coinone: nothing, every book frame is a
//                      whole snapshot already)
//   on_close           what a close code from the venue means (reconnect, back off long, stop)
//   default_ping_interval  the venue's recommended keepalive period
//   on_reply / on_reply_timeout  subscriptions awaiting the venue's ack (BTSE, Coinone): while
//                      any is awaited (awaiting_replies(), a plain load), the session shows each
//                      inbound frame to on_reply before decoding it, and asks on_reply_timeout at
//                      next_reply_deadline(); both report the subscriptions that failed
//   ack_error_code     the ERROR code the venue sends right after a SUBSCRIBED ack to say that
//                      subscription failed (Coinone: 160012 for an unknown market; 0: none)
//
// Thread: the session's I/O thread only. Control path: these allocate; none runs per frame.
// Setup errors (an unknown venue, a subscription that cannot be written) throw
// std::runtime_error from make_venue_protocol.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mde/feeds/live/session.hpp"

namespace mde::live {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

enum class CloseAction : std::uint8_t {
  reconnect,       // the usual backoff
  reconnect_slow,  // the venue refused more connections (4290): back off long before retrying
  stop,            // retrying cannot help (4280 bad credentials): stop this session, report it
};

// A subscription that failed: the venue refused it (an error frame: the decoder reports that
// frame to the engine, and the session names it with this topic when the frame names none),
// left it out of its ack, or never answered.
struct FailedTopic {
  std::string topic;   // "update:BTC-USD_0" (BTSE), "XRP-KRW" (Coinone)
  std::string market;  // "BTC-USD"
  Channel channel = Channel::none;
  bool reported_by_venue = false;  // this frame's error reports it: count it, do not report it again
  std::string why;                 // "ERROR 160011 (field channel): ..."
};

class VenueProtocol {
 public:
  using Clock = std::chrono::steady_clock;

  virtual ~VenueProtocol() = default;
  virtual void upgrade_headers(HeaderList& out) { (void)out; }
  virtual void subscribe_requests(std::vector<std::string>& out) = 0;
  [[nodiscard]] virtual const std::string& ping_request() const = 0;
  virtual void resync_requests(std::string_view market, std::vector<std::string>& out) {
    (void)market, (void)out;
  }
  [[nodiscard]] virtual std::chrono::milliseconds default_ping_interval() const {
    return std::chrono::milliseconds(20'000);
  }
  [[nodiscard]] bool awaiting_replies() const noexcept { return awaiting_replies_; }
  [[nodiscard]] Clock::time_point next_reply_deadline() const noexcept { return reply_deadline_; }
  virtual void on_reply(std::string_view frame, std::vector<FailedTopic>& failed) {
    (void)frame, (void)failed;
  }
  virtual void on_reply_timeout(Clock::time_point now, std::vector<FailedTopic>& failed) {
    (void)now, (void)failed;
  }
  [[nodiscard]] virtual std::int64_t ack_error_code() const { return 0; }
  [[nodiscard]] virtual CloseAction on_close(std::uint16_t code) const {
    if (code == 4290) return CloseAction::reconnect_slow;
    if (code == 4280) return CloseAction::stop;
    return CloseAction::reconnect;
  }

 protected:
  bool awaiting_replies_ = false;
  Clock::time_point reply_deadline_{};  // the earliest deadline among the awaited replies
};

[[nodiscard]] std::unique_ptr<VenueProtocol> make_venue_protocol(const SessionOptions& options);

}  // namespace mde::live
