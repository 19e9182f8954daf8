// `mde sim --record` (SimOptions::record_path) writes each connection's frames under its route's
// venue (BTSE, Coinone private), so a capture of both venues' traffic replays each frame with its
// own decoder.
#include <gtest/gtest.h>

#include <chrono>

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
};

TEST_F(SimRecordVenue, EveryFrameOfABtseConnectionIsRecordedUnderTheBtseVenue) {
  const std::string record = (certs_.path() / "sim.mdecap").string();
  start_sim({.seed = 43, .rate = 2000, .record_path = record});
  live::SessionOptions o = live_test::session_to(*sim_, sim_->btse_oss_url(), Venue::btse);
  o.btse_subscriptions = {{Channel::book, "BTC-USD"}};
  runtime().add_session(o);
  runtime().start();
  ASSERT_TRUE(wait_until([&] { return runtime().session(0).stats().frames.load() >= 20; }, 10s));
  runtime().stop();
  sim_->stop();

  const live_test::RecordedCapture capture = live_test::read_capture(record);
  ASSERT_TRUE(capture.opened);
  ASSERT_GE(capture.frames.size(), 20u);
  for (const live_test::RecordedFrame& f : capture.frames) {
    EXPECT_EQ(f.venue, Venue::btse) << f.text.substr(0, 80);
  }
}

TEST_F(SimRecordVenue, EveryFrameOfACoinonePrivateConnectionIsRecordedUnderTheCoinoneVenue) {
  const std::string record = (certs_.path() / "sim.mdecap").string();
  start_sim({.seed = 44, .rate = 500, .private_rate = 400, .record_path = record});
  live::SessionOptions o = live_test::session_to(*sim_, sim_->coinone_private_url());
  o.credentials = {coinone::Secret(std::string(sim::kSimDemoAccessToken)),
                   coinone::Secret(std::string(sim::kSimDemoSecretKey))};
  o.private_subscriptions = {{Channel::orders, {}, "KRW", coinone::WireFormat::short_format}};
  runtime().add_session(o);
  runtime().start();
  ASSERT_TRUE(wait_until([&] { return runtime().session(0).stats().frames.load() >= 10; }, 10s));
  runtime().stop();
  sim_->stop();

  const live_test::RecordedCapture capture = live_test::read_capture(record);
  ASSERT_TRUE(capture.opened);
  ASSERT_GE(capture.frames.size(), 10u);
  for (const live_test::RecordedFrame& f : capture.frames) {
    EXPECT_EQ(f.venue, Venue::coinone) << f.text.substr(0, 80);
  }
}

}  // namespace
}  // namespace mde
