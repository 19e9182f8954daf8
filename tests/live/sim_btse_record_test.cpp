// `mde sim --record` (SimOptions::record_path) writes a BTSE connection's frames under the BTSE
// venue, so a capture of both venues' traffic replays each frame with its own decoder.
#include <gtest/gtest.h>

#include <chrono>

#include "live/capture_records.hpp"
#include "live/live_test_support.hpp"
#include "live/sim_session_support.hpp"

namespace mde {
namespace {

using namespace std::chrono_literals;
using live_test::wait_until;

class SimBtseRecord : public live_test::SimulatorFixture<live_test::Recorder> {
 protected:
  SimBtseRecord() : SimulatorFixture("btse-record") {}
};

TEST_F(SimBtseRecord, EveryFrameOfABtseConnectionIsRecordedUnderTheBtseVenue) {
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

}  // namespace
}  // namespace mde
