// A connection lost while recording: the client's capture says so, and a replay of it reaches the
// live run's state, staleness included. Found by the outside bad-network check: a run whose last
// connection died (and could not come back before the end) ended with its books `resyncing`
// live, while the replay of its capture, which held no trace of the loss, ended with them `live`.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "live/capture_records.hpp"
#include "live/live_test_support.hpp"
#include "live/sim_session_support.hpp"
#include "mde/feeds/capture/connection_marker.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/runtime/replay_runtime.hpp"
#include "mde/runtime/state_json.hpp"
#include "mde/sim/simulator.hpp"

namespace mde {
namespace {

using namespace std::chrono_literals;
using live_test::wait_until;

template <class Strategy>
std::string books_and_orders(const Engine<Strategy>& engine, const InstrumentRegistry& registry) {
  const std::string json = state_json(engine, {}, registry);
  const std::size_t books = json.find("\"books\"");
  return books == std::string::npos ? json : json.substr(books);
}

TEST(LiveCaptureDisconnect, ReplayOfACaptureWhoseConnectionDiedEndsWithTheLiveRunsStaleBooks) {
  live_test::TempDir dir{"capture-disconnect"};
  const std::string path = (dir.path() / "client.mdecap").string();
  auto sim = std::make_unique<sim::Simulator>(
      sim::SimOptions{.seed = 31, .rate = 2000, .cert_dir = dir.path() / "certs"});
  sim->start();
  live_test::Recorder seen;
  LiveRuntime<live_test::Recorder> rt(seen, LiveRunOptions{.record_path = path,
                                                           .record_ring_bytes = 1 << 22});
  live::SessionOptions o = live_test::session_to(*sim, sim->coinone_public_url());
  o.subscriptions = {{Channel::book, "XRP", "KRW", coinone::WireFormat::short_format},
                     {Channel::trade, "XRP", "KRW", coinone::WireFormat::short_format}};
  o.timers.backoff_initial = 10s;  // no reconnect before the end: the books stay stale
  o.timers.backoff_max = 10s;
  rt.add_session(std::move(o));
  rt.start();
  ASSERT_TRUE(wait_until([&] { return seen.books_of(rt.registry(), "XRP-KRW") >= 10; }));
  sim->drop_connections();  // no close frame: the connection is just gone
  ASSERT_TRUE(wait_until([&] { return rt.session(0).stats().disconnects.load() == 1; }));
  rt.stop();  // every event read (the loss included) reaches the engine first
  sim->stop();
  const std::string live = books_and_orders(rt.engine(), rt.registry());
  ASSERT_NE(live.find("\"status\": \"resyncing\""), std::string::npos) << live;

  // The capture holds the frames, then one marker where the connection was lost.
  const auto cap = live_test::read_capture(path);
  ASSERT_TRUE(cap.opened && cap.clean_end);
  ASSERT_FALSE(cap.frames.empty());
  EXPECT_TRUE(cap.frames.back().text.starts_with(capture::kDisconnectedMarker))
      << cap.frames.back().text;
  EXPECT_EQ(cap.frames.back().connection, 0u);

  NullStrategy none;
  ReplayRuntime<NullStrategy> replay(none, {path}, RunOptions{.reader_cpus = {-1}, .core_cpu = -1});
  (void)replay.run();
  EXPECT_EQ(books_and_orders(replay.engine(), replay.registry()), live);
  EXPECT_EQ(replay.input(0).stats().rejected, 0u);  // the marker is no frame the decoder rejects
  EXPECT_EQ(replay.input(0).stats().frames, rt.session(0).stats().frames.load());
}

}  // namespace
}  // namespace mde
