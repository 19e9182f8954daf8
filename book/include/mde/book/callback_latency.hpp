// CallbackLatency: a strategy helper that times each callback's entry against when its data was
// read off the socket and, optionally, when the sender sent it.
//
//   read_to_callback   now - EventHeader::receive_ns: the session stamps receive_ns
//                      (CLOCK_MONOTONIC) in its read handler as the frame's bytes are read, so this
//                      is decode + queue hop + engine update, until the callback is entered.
//   send_to_callback   now - the send time a SendStampTable holds for the message's id (trade id,
//                      book id), when a sender in this process stamps one (the simulator does with
//                      SimOptions::send_stamps): adds the sender's write, TLS, the loopback and
//                      the read to the above. Messages the table does not hold are not counted.
//
//   struct MyStrategy {
//     mde::CallbackLatency latency;               // a member: two 28 KiB histograms
//     void on_trade(const mde::TradeView& t) noexcept { latency.on_trade(t); ... }
//   };
//
// Only for live runs: a replay's receive_ns is the recorded wall-clock time, not CLOCK_MONOTONIC.
// Thread: the core thread (inside the callbacks) writes it; read it after the runtime stopped.
// Never allocates, locks or throws: a clock read (and a table lookup) per callback.
#pragma once

#include <charconv>
#include <cstdint>
#include <string_view>

#include "mde/book/strategy.hpp"
#include "mde/core/clock.hpp"
#include "mde/core/latency_histogram.hpp"
#include "mde/core/send_stamps.hpp"

namespace mde {

struct CallbackLatency {
  const SendStampTable* sent = nullptr;  // optional: the sender's stamps
  LatencyHistogram read_to_callback;
  LatencyHistogram send_to_callback;

  void on_book(const BookView& b) noexcept { record(b.header, b.book.last_id()); }
  void on_trade(const TradeView& t) noexcept { record(t.header, numeric_id(t.trade.id.view())); }
  void on_ticker(const TickerView& t) noexcept { record(t.header, 0); }

  // Times one callback whose data carried `header` and (0 when none) the message id `key`.
  void record(const EventHeader& header, std::uint64_t key) noexcept {
    const std::int64_t now = now_ns();
    read_to_callback.record(now - header.receive_ns);
    if (sent == nullptr || key == 0) return;
    if (const auto at = sent->find(key)) send_to_callback.record(now - *at);
  }

  // A decimal id ("1761026000342001") as a number; 0 when it is not one.
  [[nodiscard]] static std::uint64_t numeric_id(std::string_view s) noexcept {
    std::uint64_t v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    return r.ec == std::errc{} && r.ptr == s.data() + s.size() ? v : 0;
  }
};

}  // namespace mde
