// Live capture over real loopback TLS against the in-process simulator: what the client recorded
// replays to the state the live run reached, the simulator's own record (--record) is frame by
// frame what the client recorded, and a slow strategy back-pressures the session with zero loss.
#include <gtest/gtest.h>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "live/capture_records.hpp"
#include "live/live_test_support.hpp"
#include "live/sim_session_support.hpp"
#include "mde/core/clock.hpp"
#include "mde/feeds/live/session.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/runtime/replay_runtime.hpp"
#include "mde/runtime/state_json.hpp"
#include "mde/sim/simulator.hpp"

namespace mde {
namespace {

using namespace std::chrono_literals;
using live_test::wait_until;

constexpr auto kShort = coinone::WireFormat::short_format;
constexpr auto kDefault = coinone::WireFormat::default_format;

// The books / trades / orders / assets of `--dump-state` (its "frames" part counts replay input,
// which a live run has not got).
template <class Strategy>
std::string final_state(const Engine<Strategy>& engine, const InstrumentRegistry& registry,
                        const replay::ProducerStats& frames = {}) {
  const std::string json = state_json(engine, frames, registry);
  const std::size_t books = json.find("\"books\"");
  return books == std::string::npos ? json : json.substr(books);
}

// Replays one capture flat out through ReplayRuntime and returns its final state.
std::string replayed_state(const std::string& path) {
  NullStrategy none;
  ReplayRuntime<NullStrategy> rt(none, {path}, RunOptions{.reader_cpus = {-1}, .core_cpu = -1});
  (void)rt.run();
  return final_state(rt.engine(), rt.registry());
}

// A strategy that spins in its callbacks for `spin_ns` and keeps every trade id it is given.
// However fast the build (sanitizers slow the reader more than the spin), its first callback
// also holds on until the reader has had to wait for queue room once (or 3 s passed).
struct SlowCollector {
  std::int64_t spin_ns = 0;
  const std::atomic<std::uint64_t>* reader_waits = nullptr;  // SessionStats::queue_waits
  std::vector<std::uint64_t> trade_ids;  // reserved up front; the test reads it after stop()
  std::atomic<std::uint64_t> trades{0};
  bool held = false;

  void spin() noexcept {
    std::int64_t until = now_ns() + spin_ns;
    if (!held && reader_waits != nullptr) {
      held = true;
      until = now_ns() + 3'000'000'000;
      while (now_ns() < until && reader_waits->load(std::memory_order_relaxed) == 0) cpu_relax();
      return;
    }
    while (now_ns() < until) cpu_relax();
  }
  void on_book(const BookView&) noexcept { spin(); }
  void on_trade(const TradeView& t) noexcept {
    spin();
    std::uint64_t id = 0;
    const std::string_view s = t.trade.id.view();
    (void)std::from_chars(s.data(), s.data() + s.size(), id);
    if (trade_ids.size() < trade_ids.capacity()) trade_ids.push_back(id);
    trades.fetch_add(1, std::memory_order_relaxed);
  }
};

// The id of every Coinone TRADE data frame among `frames`, in order (either key spelling).
std::vector<std::uint64_t> trade_ids_in(const std::vector<std::string>& frames) {
  std::vector<std::uint64_t> ids;
  for (const std::string& f : frames) {
    const bool trade = f.find(R"("c":"TRADE")") != std::string::npos ||
                       f.find(R"("channel":"TRADE")") != std::string::npos;
    if (!trade || f.find(R"("DATA")") == std::string::npos) continue;
    for (const char* key : {R"("i":")", R"("id":")"}) {
      const std::size_t at = f.find(key);
      if (at == std::string::npos) continue;
      const char* from = f.data() + at + std::string_view(key).size();
      std::uint64_t id = 0;
      (void)std::from_chars(from, f.data() + f.size(), id);
      ids.push_back(id);
      break;
    }
  }
  return ids;
}

class LiveCapture : public ::testing::Test {
 protected:
  [[nodiscard]] std::filesystem::path certs() const { return dir_.path() / "certs"; }
  void start_sim(sim::SimOptions o) {
    sim_ = std::make_unique<sim::Simulator>(std::move(o));
    sim_->start();
  }

  live::SessionOptions session(std::vector<live::CoinoneSubscription> subs) const {
    live::SessionOptions o = live_test::session_to(*sim_, sim_->coinone_public_url());
    o.subscriptions = std::move(subs);
    return o;
  }

  [[nodiscard]] std::string path(const char* name) const { return (dir_.path() / name).string(); }

  live_test::TempDir dir_{"capture"};
  std::unique_ptr<sim::Simulator> sim_;
};

// Both formats: XRP in SHORT, BTC in DEFAULT.
std::vector<live::CoinoneSubscription> both_formats() {
  return {{Channel::book, "XRP", "KRW", kShort},
          {Channel::trade, "XRP", "KRW", kShort},
          {Channel::book, "BTC", "KRW", kDefault},
          {Channel::trade, "BTC", "KRW", kDefault}};
}

TEST_F(LiveCapture, ReplayingWhatTheClientRecordedReachesTheLiveRunsFinalState) {
  start_sim({.seed = 21, .rate = 4000, .cert_dir = certs()});
  live_test::Recorder seen;
  LiveRuntime<live_test::Recorder> rt(seen, LiveRunOptions{.record_path = path("client.mdecap"),
                                                           .record_ring_bytes = 1 << 22});
  rt.add_session(session(both_formats()));
  rt.start();
  const InstrumentRegistry& reg = rt.registry();
  ASSERT_TRUE(wait_until([&] {
    return seen.books_of(reg, "XRP-KRW") >= 20 && seen.books_of(reg, "BTC-KRW") >= 20 &&
           seen.trades_of(reg, "XRP-KRW") >= 3 && seen.trades_of(reg, "BTC-KRW") >= 3;
  }));
  rt.stop();
  const std::string live = final_state(rt.engine(), reg);
  const capture::RecorderStats st = rt.recorder()->stats();
  EXPECT_TRUE(st.complete());
  EXPECT_EQ(st.written, rt.session(0).stats().frames.load());
  EXPECT_EQ(rt.session(0).stats().record_dropped.load(), 0u);

  const auto cap = live_test::read_capture(path("client.mdecap"));
  ASSERT_TRUE(cap.opened);
  EXPECT_TRUE(cap.clean_end);
  EXPECT_EQ(cap.flags & capture::kFlagIncomplete, 0);
  ASSERT_EQ(cap.frames.size(), st.written);
  for (const auto& f : cap.frames) {
    EXPECT_EQ(f.connection, 0u);
    EXPECT_EQ(f.venue, Venue::coinone);
  }
  // Both formats were on the wire and recorded.
  EXPECT_NE(live_test::frames_of(cap, 0).front().find("CONNECTED"), std::string::npos);

  const std::string replayed = replayed_state(path("client.mdecap"));
  EXPECT_NE(live.find("coinone:XRP-KRW"), std::string::npos);
  EXPECT_NE(live.find("coinone:BTC-KRW"), std::string::npos);
  EXPECT_EQ(replayed, live);
}

TEST_F(LiveCapture, TheSimulatorsRecordIsFrameByFrameWhatTheClientRecorded) {
  start_sim({.seed = 22, .rate = 4000, .cert_dir = certs(), .record_path = path("sim.mdecap")});
  live_test::Recorder seen;
  LiveRuntime<live_test::Recorder> rt(seen, LiveRunOptions{.record_path = path("client.mdecap"),
                                                           .record_ring_bytes = 1 << 22});
  rt.add_session(session(both_formats()));
  rt.start();
  const InstrumentRegistry& reg = rt.registry();
  ASSERT_TRUE(wait_until([&] {
    return seen.books_of(reg, "XRP-KRW") >= 20 && seen.trades_of(reg, "BTC-KRW") >= 3;
  }));
  rt.stop();
  sim_->stop();
  EXPECT_EQ(sim_->stats().record_dropped.load(), 0u);

  const auto client = live_test::read_capture(path("client.mdecap"));
  const auto server = live_test::read_capture(path("sim.mdecap"));
  ASSERT_TRUE(client.opened && server.opened);
  EXPECT_TRUE(server.clean_end);
  const std::vector<std::string> got = live_test::frames_of(client, 0);
  const std::vector<std::string> sent = live_test::frames_of(server, 0);  // its first connection
  for (const auto& f : server.frames) EXPECT_EQ(f.venue, Venue::coinone);
  // The client stopped while frames were still on their way: what it read is a prefix of what
  // was sent, and nearly all of it.
  ASSERT_GE(got.size(), 40u);
  ASSERT_LE(got.size(), sent.size());
  for (std::size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], sent[i]) << "frame " << i;
  EXPECT_NE(got[0].find("CONNECTED"), std::string::npos);
  EXPECT_EQ(trade_ids_in(got).empty(), false);
}

TEST_F(LiveCapture, ASlowStrategyBackPressuresTheSessionAndNothingIsLost) {
  // 1500 market rounds at 6000 a second (a quarter of a second of traffic); every callback spins
  // 200 us, so the core takes at most 5000 events a second and the 16-event queue fills.
  start_sim({.seed = 23,
             .rate = 6000,
             .max_frames = 1500,
             .market_paused = true,
             .cert_dir = certs(),
             .record_path = path("sim.mdecap")});
  SlowCollector slow;
  slow.spin_ns = 200'000;
  slow.trade_ids.reserve(1 << 16);
  LiveRuntime<SlowCollector> rt(slow, LiveRunOptions{.queue_capacity = 16});
  std::vector<live::CoinoneSubscription> subs;
  for (const char* m : {"XRP", "BTC", "ETH", "SOL", "DOGE"}) {
    subs.push_back({Channel::book, m, "KRW", kShort});
    subs.push_back({Channel::trade, m, "KRW", kDefault});
  }
  rt.add_session(session(subs));
  slow.reader_waits = &rt.session(0).stats().queue_waits;
  rt.start();
  ASSERT_TRUE(wait_until([&] { return sim_->stats().subscribes.load() == subs.size(); }));
  sim_->resume_market();  // every market frame from now on goes to the subscribed client
  // Done when the simulator produced everything and the client read every frame it sent.
  ASSERT_TRUE(wait_until(
      [&] {
        return sim_->stats().market_rounds.load() == 1500 &&
               rt.session(0).stats().frames.load() == sim_->stats().frames_sent.load();
      },
      10s))
      << "rounds " << sim_->stats().market_rounds.load() << ", read "
      << rt.session(0).stats().frames.load() << " of " << sim_->stats().frames_sent.load();
  rt.stop();
  sim_->stop();
  EXPECT_GT(rt.session(0).stats().queue_waits.load(), 0u);
  EXPECT_EQ(rt.session(0).stats().disconnects.load(), 0u);
  EXPECT_EQ(sim_->stats().slow_closes.load(), 0u);

  const auto server = live_test::read_capture(path("sim.mdecap"));
  ASSERT_TRUE(server.opened);
  const std::vector<std::uint64_t> sent = trade_ids_in(live_test::frames_of(server, 0));
  ASSERT_GT(sent.size(), 20u);
  EXPECT_EQ(std::multiset<std::uint64_t>(slow.trade_ids.begin(), slow.trade_ids.end()),
            std::multiset<std::uint64_t>(sent.begin(), sent.end()));
  // Books end equal: the live state is the state of everything the simulator sent.
  EXPECT_EQ(final_state(rt.engine(), rt.registry()), replayed_state(path("sim.mdecap")));
}

}  // namespace
}  // namespace mde
