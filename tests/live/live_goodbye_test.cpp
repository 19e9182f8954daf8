// Stopping says goodbye: every open connection gets a WebSocket close with code 1000 that the
// venue sees and answers before the socket is shut, rather than a cut TCP connection (which a
// venue logs as abnormal, 1006). Found by an outside venue server that saw 1006 on every stop.
#include <gtest/gtest.h>

#include "live/live_test_support.hpp"
#include "live/sim_session_support.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/sim/simulator.hpp"

namespace mde {
namespace {

using live_test::wait_until;

class LiveGoodbye : public live_test::SimulatorFixture<live_test::Recorder> {
 protected:
  LiveGoodbye() : SimulatorFixture("goodbye") {}
  void SetUp() override { start_sim({.seed = 5, .rate = 500, .private_rate = 50}); }
};

TEST_F(LiveGoodbye, StoppingClosesEveryOpenConnectionWithANormalCloseTheVenueAnswers) {
  LiveRuntime<live_test::Recorder>& rt = runtime();
  live::SessionOptions coinone = live_test::session_to(*sim_, sim_->coinone_public_url());
  coinone.subscriptions = {{Channel::trade, "XRP", "KRW", coinone::WireFormat::short_format}};
  rt.add_session(std::move(coinone));
  live::SessionOptions own = live_test::demo_private_session_to(*sim_);
  own.private_subscriptions = {{Channel::orders, {}, "KRW", coinone::WireFormat::short_format}};
  rt.add_session(std::move(own));
  live::SessionOptions btse = live_test::session_to(*sim_, sim_->btse_oss_url(), Venue::btse);
  btse.btse_subscriptions = {{Channel::book, "BTC-USD"}};
  rt.add_session(std::move(btse));
  rt.start();
  ASSERT_TRUE(wait_until([&] {
    for (std::size_t k = 0; k < rt.session_count(); ++k) {
      if (rt.session(k).stats().frames.load() < 3) return false;
    }
    return true;
  }));
  EXPECT_EQ(sim_->stats().client_closes.load(), 0u);

  rt.stop();  // returns once every close handshake ended
  for (std::size_t k = 0; k < rt.session_count(); ++k) {
    EXPECT_TRUE(rt.session(k).stop_finished()) << "session " << k;
    EXPECT_EQ(rt.session(k).stats().clean_closes.load(), 1u) << "session " << k;
  }
  ASSERT_TRUE(wait_until([&] { return sim_->stats().open_connections.load() == 0; }));
  EXPECT_EQ(sim_->stats().client_closes.load(), 3u);
  EXPECT_EQ(sim_->stats().client_normal_closes.load(), 3u);
}

TEST_F(LiveGoodbye, StoppingASessionThatIsNotConnectedFinishesAtOnce) {
  LiveRuntime<live_test::Recorder>& rt = runtime();
  live::SessionOptions nowhere = live_test::session_to(*sim_, sim_->coinone_public_url());
  nowhere.endpoint.port = "1";  // nothing listens: the session is between connect attempts
  nowhere.timers.backoff_initial = std::chrono::milliseconds(50);
  rt.add_session(std::move(nowhere));
  rt.start();
  ASSERT_TRUE(wait_until([&] { return rt.session(0).stats().failures.load() >= 1; }));
  rt.stop();
  EXPECT_TRUE(rt.session(0).stop_finished());
  EXPECT_EQ(rt.session(0).stats().clean_closes.load(), 0u);
  EXPECT_EQ(sim_->stats().client_closes.load(), 0u);
}

}  // namespace
}  // namespace mde
