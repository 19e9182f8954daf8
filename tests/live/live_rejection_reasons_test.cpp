// A live session counts the frames its decoder rejects by reason, as a replay does: `mde live
// --dump-state` used to say `"rejected": 25, "rejected_by_reason": {}` where the replay of the
// very capture it recorded named every one (found by checking `mde live` against `mde sim` and a
// replay of its capture).
#include <gtest/gtest.h>

#include <cstdint>
#include <utility>

#include "live/live_test_support.hpp"
#include "live/sim_session_support.hpp"
#include "mde/feeds/decode_status.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/sim/simulator.hpp"

namespace mde {
namespace {

using live_test::wait_until;

class LiveRejectionReasons : public live_test::SimulatorFixture<live_test::Recorder> {
 protected:
  LiveRejectionReasons() : SimulatorFixture("rejection-reasons") {}
  void SetUp() override { start_sim({.seed = 5, .rate = 500}); }
};

std::uint64_t reason(const live::SessionStats& st, DecodeStatus s) {
  return st.decode_errors_by_reason[static_cast<std::size_t>(s)].load();
}

TEST_F(LiveRejectionReasons, EveryRejectedFrameIsCountedUnderItsReason) {
  LiveRuntime<live_test::Recorder>& rt = runtime();
  live::SessionOptions o = live_test::session_to(*sim_, sim_->coinone_public_url());
  o.subscriptions = {{Channel::book, "XRP", "KRW", coinone::WireFormat::short_format}};
  rt.add_session(std::move(o));
  rt.start();
  const live::SessionStats& st = rt.session(0).stats();
  ASSERT_TRUE(wait_until([&] { return recorder_.total_books() >= 2; }));

  // Not JSON, three truncated frames and one with trailing content (Simulator::send_malformed).
  sim_->send_malformed(5);
  ASSERT_TRUE(wait_until([&] { return st.decode_errors.load() >= 5; }));
  std::uint64_t by_reason = 0;
  for (const auto& n : st.decode_errors_by_reason) by_reason += n.load();
  EXPECT_EQ(st.decode_errors.load(), 5u);
  EXPECT_EQ(by_reason, 5u) << "a rejection counted under no reason";
  EXPECT_EQ(reason(st, DecodeStatus::malformed_json), 3u);
  EXPECT_EQ(reason(st, DecodeStatus::trailing_content), 1u);
  EXPECT_EQ(reason(st, DecodeStatus::ok), 0u);
}

}  // namespace
}  // namespace mde
