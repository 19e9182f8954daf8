// A BTSE reconnect subscribes every book afresh, and that is all it sends: the resync requests
// the engine made when the old connection was lost (one per book gone stale) are answered by
// that subscription, not by an extra unsubscribe + subscribe. Found by the outside bad-network
// check: every reconnect of a BTSE book session was followed at once by unsubscribe + subscribe
// of each book, so the venue sent every snapshot twice (the session drained the old
// connection's requests after the new connection's first frame).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "live/capture_records.hpp"
#include "live/live_test_support.hpp"
#include "live/sim_session_support.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/sim/simulator.hpp"

namespace mde {
namespace {

using namespace std::chrono_literals;
using live_test::wait_until;

std::size_t count_starting_with(const std::vector<std::string>& frames, std::string_view prefix) {
  std::size_t n = 0;
  for (const std::string& f : frames) n += f.starts_with(prefix);
  return n;
}

TEST(LiveBtseReconnect, AReconnectSubscribesEachBookOnceAndSendsNoExtraResync) {
  live_test::TempDir dir{"btse-reconnect"};
  const std::string record = (dir.path() / "sim.mdecap").string();
  auto sim = std::make_unique<sim::Simulator>(sim::SimOptions{
      .seed = 41, .rate = 2000, .cert_dir = dir.path() / "certs", .record_path = record});
  sim->start();
  live_test::Recorder seen;
  LiveRuntime<live_test::Recorder> rt(seen);
  live::SessionOptions o = live_test::session_to(*sim, sim->btse_oss_url(), Venue::btse);
  o.btse_subscriptions = {{Channel::book, "BTC-USD"}, {Channel::book, "ETH-USD"}};
  o.timers.backoff_initial = 200ms;  // the core has long taken the lost connection's control
  rt.add_session(std::move(o));
  rt.start();
  const auto books = [&] {
    std::uint64_t n = 0;
    for (const char* m : {"BTC-USD", "ETH-USD"}) {
      const auto id = rt.registry().find(Venue::btse, m);
      if (id && *id < live_test::Recorder::kIds) n += seen.books[*id].load();
    }
    return n;
  };
  ASSERT_TRUE(wait_until([&] { return books() >= 20; }));
  sim->drop_connections();
  ASSERT_TRUE(wait_until([&] { return seen.lives_after_reconnect.load() >= 2; }));
  const std::uint64_t after = books();
  ASSERT_TRUE(wait_until([&] { return books() >= after + 20; }));  // well past the first frames
  rt.stop();
  sim->stop();
  EXPECT_EQ(rt.session(0).stats().connects.load(), 2u);

  const auto cap = live_test::read_capture(record);
  ASSERT_TRUE(cap.opened);
  const std::vector<std::string> second = live_test::frames_of(cap, 1);  // the reconnect
  ASSERT_FALSE(second.empty());
  EXPECT_EQ(count_starting_with(second, R"({"event":"subscribe")"), 1u);  // the one ack
  EXPECT_EQ(count_starting_with(second, R"({"event":"unsubscribe")"), 0u);
  // Each book's snapshot came once.
  std::size_t snapshots = 0;
  for (const std::string& f : second) snapshots += f.find(R"("type":"snapshot")") != std::string::npos;
  EXPECT_EQ(snapshots, 2u);
}

}  // namespace
}  // namespace mde
