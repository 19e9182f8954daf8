// The silence watchdog measures the venue's silence, not the core's: while the I/O thread waits
// for room in a full queue (a stalled strategy), frames keep arriving and wait in the socket, so
// that time must not count towards `silence_timeout`. It used to, and a strategy stall longer than
// the timeout made the session declare a healthy connection dead, reconnect and resync every book.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>

#include "live/live_test_support.hpp"
#include "live/sim_session_support.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/sim/simulator.hpp"

namespace mde {
namespace {

using live_test::wait_until;
using namespace std::chrono_literals;

// Stalls the core thread once, at the first PONG it is told of, for `stall_ns`.
struct StallingStrategy {
  std::int64_t stall_ns = 0;
  std::atomic<bool> stalled{false};
  std::atomic<std::uint64_t> pongs{0};

  void on_status(const StatusView& s) noexcept {
    if (s.control == nullptr || s.control->type != ControlType::pong) return;
    if (!stalled.exchange(true, std::memory_order_relaxed)) {
      const std::int64_t until = now_ns() + stall_ns;
      while (now_ns() < until) cpu_relax();
    }
    pongs.fetch_add(1, std::memory_order_relaxed);
  }
};

class LiveWatchdogBackpressure : public live_test::SimulatorFixture<StallingStrategy> {
 protected:
  LiveWatchdogBackpressure() : SimulatorFixture("watchdog-backpressure") {}
};

// Only PONGs flow (a PING every 20 ms, no market data): the stall fills the 16-event queue with
// PONGs, and the I/O thread waits on the last one read while nothing else is sent (the next PING
// waits for it). When the strategy runs again, the watchdog's check comes before any new frame:
// counting the wait as silence, it found about 0.8 s without a frame against a 300 ms timeout.
TEST_F(LiveWatchdogBackpressure, AStrategyStalledLongerThanTheSilenceTimeoutIsNotVenueSilence) {
  start_sim({.seed = 4, .market_paused = true});
  recorder_.stall_ns = 1'200'000'000;
  LiveRuntime<StallingStrategy>& rt = runtime(LiveRunOptions{.queue_capacity = 16});
  live::SessionOptions o = live_test::session_to(*sim_, sim_->coinone_public_url());
  o.subscriptions = {{Channel::trade, "XRP", "KRW", coinone::WireFormat::short_format}};
  o.timers.ping_interval = 20ms;
  o.timers.silence_timeout = 300ms;
  rt.add_session(std::move(o));
  rt.start();
  const live::SessionStats& st = rt.session(0).stats();
  ASSERT_TRUE(wait_until([&] { return st.queue_waits.load() > 0; }, 5s));
  ASSERT_TRUE(wait_until([&] { return recorder_.pongs.load() > 40; }, 10s));
  EXPECT_EQ(st.watchdog_fires.load(), 0u);
  EXPECT_EQ(st.disconnects.load(), 0u);
  EXPECT_EQ(st.connects.load(), 1u);
}

}  // namespace
}  // namespace mde
