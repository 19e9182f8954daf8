// A BTSE session is never stopped for good by a close code: 4280 ("authentication failure") and
// 4290 are Coinone's (protocols.md A1, l.83: 4280 on private connections only); BTSE documents
// none that retrying cannot fix (B2). It used to share Coinone's table, so `mde sim --fault
// X:close:4280` ended the BTSE book and trade sessions of `mde live` for the rest of the run.
#include <gtest/gtest.h>

#include <cstdint>
#include <utility>

#include "live/live_test_support.hpp"
#include "live/sim_session_support.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/sim/simulator.hpp"

namespace mde {
namespace {

using live_test::wait_until;

class LiveBtseCloseCode : public live_test::SimulatorFixture<live_test::Recorder> {
 protected:
  LiveBtseCloseCode() : SimulatorFixture("btse-close-code") {}
  void SetUp() override { start_sim({.seed = 6, .rate = 500}); }
};

TEST_F(LiveBtseCloseCode, ACoinoneOnlyCloseCodeOnABtseSessionIsFollowedByAReconnect) {
  LiveRuntime<live_test::Recorder>& rt = runtime();
  live::SessionOptions o = live_test::session_to(*sim_, sim_->btse_oss_url(), Venue::btse);
  o.btse_subscriptions = {{Channel::book, "BTC-USD"}};
  rt.add_session(std::move(o));
  rt.start();
  const live::SessionStats& st = rt.session(0).stats();
  ASSERT_TRUE(wait_until([&] { return st.connects.load() == 1 && recorder_.total_books() >= 2; }));

  sim_->close_all(4280);
  ASSERT_TRUE(wait_until([&] { return st.connects.load() == 2; }))
      << "stopped by the venue: " << st.stopped_by_venue.load();
  EXPECT_FALSE(st.stopped_by_venue.load());
  EXPECT_EQ(st.last_close_code.load(), 4280);
  const std::uint64_t seen = recorder_.total_books();
  EXPECT_TRUE(wait_until([&] { return recorder_.total_books() > seen; })) << "no book after it";
}

}  // namespace
}  // namespace mde
