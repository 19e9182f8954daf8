// `mde sim --record` (SimOptions::record_path) writes each connection's frames under its route's
// venue (BTSE, Coinone private), so a capture of both venues' traffic replays each frame with its
// own decoder.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>

#include "live/capture_records.hpp"
#include "live/live_test_support.hpp"
#include "live/sim_session_support.hpp"

namespace mde {
namespace {

using namespace std::chrono_literals;
using live_test::wait_until;

class SimRecordVenue : public live_test::SimulatorFixture<live_test::Recorder> {
 protected:
  SimRecordVenue() : SimulatorFixture("record-venue") {}

  // Runs `session` against a simulator recording what it sends until the session has read
  // `frames` frames; every recorded frame must carry `venue`.
  void expect_recorded_under(Venue venue, sim::SimOptions sim_options,
                             const std::function<live::SessionOptions()>& session,
                             std::uint64_t frames) {
    const std::string record = (certs_.path() / "sim.mdecap").string();
    sim_options.record_path = record;
    start_sim(std::move(sim_options));
    runtime().add_session(session());
    runtime().start();
    ASSERT_TRUE(wait_until([&] { return runtime().session(0).stats().frames.load() >= frames; },
                           10s));
    runtime().stop();
    sim_->stop();

    const live_test::RecordedCapture capture = live_test::read_capture(record);
    ASSERT_TRUE(capture.opened);
    ASSERT_GE(capture.frames.size(), frames);
    for (const live_test::RecordedFrame& f : capture.frames) {
      EXPECT_EQ(f.venue, venue) << f.text.substr(0, 80);
    }
  }
};

TEST_F(SimRecordVenue, EveryFrameOfABtseConnectionIsRecordedUnderTheBtseVenue) {
  expect_recorded_under(Venue::btse, {.seed = 43, .rate = 2000}, [&] {
    live::SessionOptions o = live_test::session_to(*sim_, sim_->btse_oss_url(), Venue::btse);
    o.btse_subscriptions = {{Channel::book, "BTC-USD"}};
    return o;
  }, 20);
}

TEST_F(SimRecordVenue, EveryFrameOfACoinonePrivateConnectionIsRecordedUnderTheCoinoneVenue) {
  expect_recorded_under(Venue::coinone, {.seed = 44, .rate = 500, .private_rate = 400}, [&] {
    live::SessionOptions o = live_test::demo_private_session_to(*sim_);
    o.private_subscriptions = {{Channel::orders, {}, "KRW", coinone::WireFormat::short_format}};
    return o;
  }, 10);
}

}  // namespace
}  // namespace mde
