// A venue that still sends but no longer reads (an overloaded gateway) leaves our write in flight
// for good: the read watchdog never fires (frames keep coming), and every request behind the
// stuck write (PINGs, resyncs) would wait forever. A write in flight for `silence_timeout` makes
// the session declare the connection dead (stage `write`) and reconnect.
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

class LiveWriteWatchdog : public live_test::SimulatorFixture<live_test::Recorder> {
 protected:
  LiveWriteWatchdog() : SimulatorFixture("write-watchdog") {}
  void SetUp() override { start_sim({.seed = 6, .rate = 200}); }
};

TEST_F(LiveWriteWatchdog, AVenueThatSendsButNoLongerReadsIsDeclaredDeadAtTheSilenceTimeout) {
  StallingProxy proxy(sim_->port(), live_test::kStallAfterBytes);
  LiveRuntime<live_test::Recorder>& rt = runtime();
  live::SessionOptions o = live_test::stuck_write_session(*sim_, proxy);
  o.subscriptions = {{Channel::trade, "XRP", "KRW", coinone::WireFormat::short_format}};
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
