// A BTSE reconnect subscribes each book once even when the core thread takes the lost
// connection's `disconnected` control only after the new connection's handshake (a strategy busy
// for a moment, a backlog in the queue). The session used to take the engine's resync requests
// for the lost books once, at the handshake (d0470d3); those the core made later reached the venue
// after the first frame as unsubscribe + subscribe of each book, and every snapshot came twice.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "live/capture_records.hpp"
#include "live/live_test_support.hpp"
#include "live/sim_session_support.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/sim/simulator.hpp"

namespace mde {
namespace {

using namespace std::chrono_literals;
using live_test::wait_until;

// Holds the core thread inside on_book while `hold` is set (a slow strategy): the events read
// meanwhile wait in the queue, the lost connection's control among them.
struct Holding {
  std::atomic<bool> hold{false}, holding{false};
  std::atomic<std::uint64_t> books{0};
  void on_book(const BookView&) noexcept {
    books.fetch_add(1);
    while (hold.load()) {
      holding.store(true);
      std::this_thread::sleep_for(100us);
    }
  }
};

TEST(LiveBtseReconnectCoreLag, AReconnectSubscribesEachBookOnceWhenTheCoreLags) {
  live_test::TempDir dir{"btse-reconnect-lag"};
  const std::string record = (dir.path() / "sim.mdecap").string();
  auto sim = std::make_unique<sim::Simulator>(sim::SimOptions{
      .seed = 41, .rate = 500, .cert_dir = dir.path() / "certs", .record_path = record});
  sim->start();
  Holding seen;
  LiveRuntime<Holding> rt(seen);
  live::SessionOptions o = live_test::session_to(*sim, sim->btse_oss_url(), Venue::btse);
  o.btse_subscriptions = {{Channel::book, "BTC-USD"}, {Channel::book, "ETH-USD"}};
  rt.add_session(std::move(o));
  rt.start();
  ASSERT_TRUE(wait_until([&] { return seen.books.load() >= 20; }));
  seen.hold = true;
  ASSERT_TRUE(wait_until([&] { return seen.holding.load(); }));
  sim->drop_connections();
  ASSERT_TRUE(wait_until([&] { return rt.session(0).stats().connects.load() == 2; }));
  seen.hold = false;  // the core now takes the loss and asks for both books again
  const std::uint64_t after = seen.books.load();
  ASSERT_TRUE(wait_until([&] { return seen.books.load() >= after + 200; }));
  rt.stop();
  sim->stop();

  const auto cap = live_test::read_capture(record);
  ASSERT_TRUE(cap.opened);
  const std::vector<std::string> second = live_test::frames_of(cap, 1);
  std::size_t unsub = 0, snapshots = 0;
  for (const std::string& f : second) {
    unsub += f.starts_with(R"({"event":"unsubscribe")");
    snapshots += f.find(R"("type":"snapshot")") != std::string::npos;
  }
  EXPECT_EQ(rt.engine().counters().resync_requests, 2u);  // made after the handshake
  EXPECT_EQ(unsub, 0u);
  EXPECT_EQ(snapshots, 2u);  // one per book: the new connection's subscription answered both
}

}  // namespace
}  // namespace mde
