// The `disconnected` control carries the close code of the connection that was lost, 0 when that
// connection ended without a close frame (events.hpp). It used to carry the last close code the
// session ever saw, so a connection cut after an earlier one had been closed with a code was
// reported (to on_status and in the capture's marker) as closed with that old code.
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

// Records the error_code of each `disconnected` control, in order.
struct DisconnectCodes {
  static constexpr std::size_t kMax = 8;
  std::atomic<std::int64_t> codes[kMax] = {};
  std::atomic<std::size_t> count{0};

  void on_status(const StatusView& s) noexcept {
    if (s.subject != StatusSubject::feed || s.control == nullptr ||
        s.control->type != ControlType::disconnected) {
      return;
    }
    const std::size_t k = count.load(std::memory_order_relaxed);
    if (k < kMax) codes[k].store(s.control->error_code, std::memory_order_relaxed);
    count.store(k + 1, std::memory_order_release);
  }
};

class LiveDisconnectCloseCode : public live_test::SimulatorFixture<DisconnectCodes> {
 protected:
  LiveDisconnectCloseCode() : SimulatorFixture("disconnect-code") {}
  void SetUp() override { start_sim({.seed = 9, .rate = 500}); }
};

TEST_F(LiveDisconnectCloseCode, ACutConnectionReportsNoCloseCodeAfterAnEarlierOneClosedWithOne) {
  LiveRuntime<DisconnectCodes>& rt = runtime();
  live::SessionOptions o = live_test::session_to(*sim_, sim_->coinone_public_url());
  o.subscriptions = {{Channel::trade, "XRP", "KRW", coinone::WireFormat::short_format}};
  rt.add_session(std::move(o));
  rt.start();
  const live::SessionStats& st = rt.session(0).stats();
  ASSERT_TRUE(wait_until([&] { return st.connects.load() == 1 && st.frames.load() >= 2; }));

  sim_->close_all(1001);  // going away: a close frame with a code, then a reconnect
  ASSERT_TRUE(wait_until([&] { return st.connects.load() == 2 && recorder_.count.load() == 1; }));
  EXPECT_EQ(recorder_.codes[0].load(), 1001);
  const std::uint64_t frames = st.frames.load();
  ASSERT_TRUE(wait_until([&] { return st.frames.load() > frames; }));  // the new one is reading

  sim_->drop_connections();  // no close frame at all
  ASSERT_TRUE(wait_until([&] { return recorder_.count.load(std::memory_order_acquire) == 2; }));
  EXPECT_EQ(recorder_.codes[1].load(), 0) << "the lost connection had no close code";
}

}  // namespace
}  // namespace mde
