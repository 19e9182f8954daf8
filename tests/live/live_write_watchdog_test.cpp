// A venue that still sends but no longer reads (an overloaded gateway) leaves our write in flight
// for good: the read watchdog never fires (frames keep coming), and every request behind the
// stuck write (PINGs, resyncs) would wait forever. A write in flight for `silence_timeout` makes
// the session declare the connection dead (stage `write`) and reconnect.
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <string>

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

class LiveWriteWatchdog : public live_test::SimulatorFixture<live_test::Recorder> {
 protected:
  LiveWriteWatchdog() : SimulatorFixture("write-watchdog") {}
  void SetUp() override { start_sim({.seed = 6, .rate = 200}); }
};

TEST_F(LiveWriteWatchdog, AVenueThatSendsButNoLongerReadsIsDeclaredDeadAtTheSilenceTimeout) {
  constexpr std::size_t kUpLimit = 64 * 1024;  // past the TLS and WebSocket handshakes
  StallingProxy proxy(sim_->port(), kUpLimit);
  LiveRuntime<live_test::Recorder>& rt = runtime();
  live::SessionOptions o = live_test::session_to(*sim_, sim_->coinone_public_url());
  o.endpoint.port = std::to_string(proxy.port());
  o.subscriptions = {{Channel::trade, "XRP", "KRW", coinone::WireFormat::short_format}};
  // Larger than every buffer between the session and the stalled reader: its write stays in
  // flight while the venue's frames keep coming down through the proxy.
  o.raw_requests = {std::string(std::size_t{8} << 20, 'x')};
  o.timers.silence_timeout = 500ms;
  rt.add_session(std::move(o));
  rt.start();
  const live::SessionStats& st = rt.session(0).stats();
  ASSERT_TRUE(wait_until([&] { return st.failures.load() >= 1; }, 5s))
      << "frames " << st.frames.load() << ", the stuck write was never declared dead";
  EXPECT_EQ(st.last_failure.load(), live::SessionStage::write);
  EXPECT_GE(st.watchdog_fires.load(), 1u);
  EXPECT_GT(st.frames.load(), 2u) << "the venue's frames kept arriving meanwhile";
}

}  // namespace
}  // namespace mde
