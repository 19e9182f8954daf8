// The goodbye is bounded by close_timeout even when a write is stuck: a venue that stopped reading
// leaves our write in flight, and Beast's close waits for it before it sends the close frame or
// starts its own timeout, so without a bound of the session's own stop() never finished.
#include <gtest/gtest.h>

#include <chrono>

#include "live/live_test_support.hpp"
#include "live/sim_session_support.hpp"
#include "live/stalling_proxy.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/sim/simulator.hpp"

namespace mde {
namespace {

using namespace std::chrono_literals;
using live_test::StallingProxy;
using live_test::wait_until;

class LiveGoodbyeStuckWrite : public live_test::SimulatorFixture<live_test::Recorder> {
 protected:
  LiveGoodbyeStuckWrite() : SimulatorFixture("goodbye-stuck") {}
  void SetUp() override { start_sim({.seed = 5, .rate = 200}); }
};

TEST_F(LiveGoodbyeStuckWrite, StopFinishesByTheCloseTimeoutWhileTheVenueNeverReadsAWriteInFlight) {
  StallingProxy proxy(sim_->port(), live_test::kStallAfterBytes);
  LiveRuntime<live_test::Recorder>& rt = runtime();
  live::SessionOptions o = live_test::stuck_write_session(*sim_, proxy);
  o.timers.close_timeout = 200ms;
  rt.add_session(std::move(o));
  rt.start();
  ASSERT_TRUE(wait_until([&] { return proxy.up_bytes() >= live_test::kStallAfterBytes; }));
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
