// The simulator fed by a capture file (SimOptions::source_capture) instead of its generators:
// a client session gets exactly the capture's public frames (a text capture), in whichever
// Coinone format it subscribed with, and a BTSE capture (native) with its own gaps and
// resubscribes comes out as one unbroken seqNum chain per market.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "live/live_test_support.hpp"
#include "live/sim_session_support.hpp"
#include "mde/feeds/live/session.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/runtime/replay_runtime.hpp"
#include "mde/runtime/state_json.hpp"
#include "mde/sample/btse_generator.hpp"
#include "mde/sample/capture_io.hpp"
#include "mde/sim/capture_frames.hpp"
#include "mde/sim/coinone_endpoint.hpp"
#include "mde/sim/simulator.hpp"

namespace mde {
namespace {

using live_test::wait_until;

// A text capture of a Coinone session with everything a capture holds: CONNECTED, SUBSCRIBED,
// PONG, ERROR, MYORDER and MYASSET frames around ORDERBOOK/TRADE/TICKER frames of five markets
// in both DEFAULT and SHORT (tests/data/samples/README.md).
const std::string kCoinoneCapture = MDE_TEST_DATA_DIR "/samples/coinone_sample.jsonl";

// The public frames of `venue` a capture source will play, counted with its own filter.
std::uint64_t public_frames(const std::string& path, Venue venue, std::string_view prefix = {}) {
  sim::CaptureFrames frames(path, venue);
  std::uint64_t n = 0;
  while (!frames.ended()) {
    const std::string_view f = frames.next();
    if (!f.empty() && f.find(prefix) != std::string_view::npos) ++n;
  }
  return n;
}

// The "books" and "trades" parts of `--dump-state` (orders and assets: the private frames a
// capture source skips; frames: replay input a live run has not got).
template <class Strategy>
std::string market_state(const Engine<Strategy>& engine, const InstrumentRegistry& registry) {
  const std::string json = state_json(engine, replay::ProducerStats{}, registry);
  const std::size_t from = json.find("\"books\"");
  const std::size_t to = json.find("\"orders\"");
  return from == std::string::npos || to == std::string::npos ? json : json.substr(from, to - from);
}

class SimCaptureSource : public ::testing::TestWithParam<coinone::WireFormat> {
 protected:
  // Paused until the test resumes it, or (`on_subscribe`) until the first subscription, as
  // `mde sim --source` runs.
  void start_sim(const std::string& capture, bool on_subscribe = false) {
    sim::SimOptions o{.seed = 5,
                      .rate = 5000,
                      .market_paused = true,
                      .resume_on_subscribe = on_subscribe,
                      .cert_dir = dir_.path() / "certs"};
    o.source_capture = capture;
    sim_ = std::make_unique<sim::Simulator>(std::move(o));
    sim_->start();
  }
  void TearDown() override {
    if (sim_) sim_->stop();
  }

  live_test::TempDir dir_{"capture-source"};
  std::unique_ptr<sim::Simulator> sim_;
};

TEST_P(SimCaptureSource, AClientGetsExactlyTheCapturesPublicFramesInItsOwnFormat) {
  start_sim(kCoinoneCapture);
  live::SessionOptions o = live_test::session_to(*sim_, sim_->coinone_public_url());
  for (const std::string& m : sim::coinone_markets()) {
    for (Channel c : {Channel::book, Channel::trade, Channel::ticker}) {
      o.subscriptions.push_back({c, m, "KRW", GetParam()});
    }
  }
  const std::uint64_t subscriptions = o.subscriptions.size();
  live_test::Recorder seen;
  LiveRuntime<live_test::Recorder> rt(seen);
  rt.add_session(std::move(o));
  rt.start();
  ASSERT_TRUE(wait_until([&] { return seen.subscribed.load() == subscriptions; }));
  sim_->resume_market();  // every subscription is in place: nothing of the capture is missed

  const std::uint64_t expected = public_frames(kCoinoneCapture, Venue::coinone);
  ASSERT_GT(expected, 300u);
  const live::SessionStats& st = rt.session(0).stats();
  const std::uint64_t controls = 1 + subscriptions;  // CONNECTED, one SUBSCRIBED each
  ASSERT_TRUE(wait_until([&] { return st.frames.load() == controls + expected; }))
      << st.frames.load() << " frames, expected " << controls + expected;
  rt.stop();
  EXPECT_EQ(st.decode_errors.load(), 0u);
  EXPECT_EQ(seen.errors.load(), 0u);  // the capture's ERROR frame is not the client's
  const bool short_format = GetParam() == coinone::WireFormat::short_format;
  EXPECT_EQ(sim_->stats().frames_default.load(), short_format ? 0u : expected);
  EXPECT_EQ(sim_->stats().frames_short.load(), short_format ? expected : 0u);

  // What the client's engine made of them is what replaying the capture itself makes.
  NullStrategy none;
  ReplayRuntime<NullStrategy> replay(none, {kCoinoneCapture},
                                     RunOptions{.reader_cpus = {-1}, .core_cpu = -1});
  (void)replay.run();
  const std::string live_state = market_state(rt.engine(), rt.registry());
  EXPECT_NE(live_state.find("coinone:DOGE-KRW"), std::string::npos);
  EXPECT_EQ(live_state, market_state(replay.engine(), replay.registry()));
}

INSTANTIATE_TEST_SUITE_P(BothFormats, SimCaptureSource,
                         ::testing::Values(coinone::WireFormat::short_format,
                                           coinone::WireFormat::default_format),
                         [](const auto& param_info) {
                           return param_info.param == coinone::WireFormat::short_format ? "Short"
                                                                                        : "Default";
                         });

TEST_F(SimCaptureSource, AMissingCaptureIsASetupErrorNamingTheFile) {
  const std::string missing = (dir_.path() / "no-such.mdecap").string();
  try {
    start_sim(missing);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }
}

TEST(CaptureFrames, PlaysTheVenuesPublicFramesOnceThenNothing) {
  sim::CaptureFrames frames(kCoinoneCapture, Venue::coinone);
  std::uint64_t n = 0;
  while (!frames.ended()) {
    const std::string_view f = frames.next();
    if (f.empty()) continue;
    EXPECT_TRUE(sim::is_public_market_frame(Venue::coinone, f)) << f;
    EXPECT_EQ(f.find("MYORDER"), std::string_view::npos);
    ++n;
  }
  EXPECT_TRUE(frames.ended());
  EXPECT_EQ(frames.delivered(), n);
  EXPECT_TRUE(frames.next().empty());  // no second pass
  sim::CaptureFrames btse(kCoinoneCapture, Venue::btse);
  EXPECT_TRUE(btse.next().empty());  // a Coinone capture has nothing for BTSE
  EXPECT_TRUE(btse.ended());
}

TEST(CaptureFrames, PacedAFrameIsDueAsLongAfterTheFirstAsItWasRecorded) {
  live_test::TempDir dir("capture-paced");
  const std::string path = (dir.path() / "paced.jsonl").string();
  {
    std::ofstream out(path);
    out << "1000000000\t{\"r\":\"DATA\",\"c\":\"TRADE\",\"d\":{\"tc\":\"XRP\"}}\n"
        << "1000500000\t{\"response_type\":\"PONG\"}\n"
        << "1080000000\t{\"r\":\"DATA\",\"c\":\"TRADE\",\"d\":{\"tc\":\"BTC\"}}\n";
  }
  sim::CaptureFrames frames(path, Venue::coinone, /*paced=*/true);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_NE(frames.next().find("XRP"), std::string_view::npos);  // the first is due at once
  std::string_view second;
  ASSERT_TRUE(wait_until([&] { return !(second = frames.next()).empty(); }));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(80));
  EXPECT_NE(second.find("BTC"), std::string_view::npos);  // the PONG was skipped
  EXPECT_TRUE(frames.next().empty());
  EXPECT_TRUE(frames.ended());
}

// What reached the strategy per BTSE instrument.
struct BookRecorder {
  static constexpr std::size_t kIds = 16;
  std::atomic<std::uint64_t> books[kIds] = {};
  std::atomic<std::uint64_t> last_id[kIds] = {};
  std::atomic<std::uint64_t> lives[kIds] = {};
  std::atomic<std::uint64_t> stales[kIds] = {};  // for any reason but the start
  std::atomic<std::uint64_t> subscribed{0};
  void on_book(const BookView& b) noexcept {
    if (b.instrument >= kIds) return;
    last_id[b.instrument].store(b.book.last_id(), std::memory_order_relaxed);
    books[b.instrument].fetch_add(1, std::memory_order_relaxed);
  }
  void on_status(const StatusView& s) noexcept {
    if (s.subject == StatusSubject::book && s.instrument < kIds) {
      if (s.current == BookStatus::live && s.previous != BookStatus::live) {
        lives[s.instrument].fetch_add(1, std::memory_order_relaxed);
      } else if (s.reason != StaleReason::none) {
        stales[s.instrument].fetch_add(1, std::memory_order_relaxed);
      }
      return;
    }
    if (s.subject == StatusSubject::feed && s.control != nullptr &&
        s.control->type == ControlType::subscribed) {
      subscribed.fetch_add(1, std::memory_order_relaxed);
    }
  }
};

// A native BTSE capture with the venue's troubles in it: lost deltas (gaps), repeated deltas,
// resubscribes with fresh snapshots, resyncs after each gap.
void write_btse_capture(const std::string& path) {
  sample::BtseGenerator gen({.kind = sample::GenKind::book_heavy,
                             .seed = 77,
                             .markets = {"BTC-USD", "ETH-USD"},
                             .gap_ppm = 30'000,
                             .duplicate_ppm = 20'000,
                             .resubscribe_ppm = 10'000});
  sample::CaptureSink sink;
  ASSERT_TRUE(sink.open(path, sample::CaptureForm::native)) << sink.error();
  for (int i = 0; i < 1500; ++i) {
    const sample::GenFrame f = gen.next();
    ASSERT_TRUE(sink.write(f.receive_ns, f.connection, f.text, f.venue));
  }
  ASSERT_TRUE(sink.close()) << sink.error();
  ASSERT_GT(gen.counts().gaps, 3u);
  ASSERT_GT(gen.counts().resubscribes + gen.counts().resyncs, 3u);
}

TEST_F(SimCaptureSource, ABtseCaptureWithGapsComesOutAsOneUnbrokenChainPerMarket) {
  const std::string capture = (dir_.path() / "btse.mdecap").string();
  write_btse_capture(capture);
  start_sim(capture, /*on_subscribe=*/true);  // both topics go in one request
  BookRecorder seen;
  LiveRuntime<BookRecorder> rt(seen);
  live::SessionOptions o = live_test::session_to(*sim_, sim_->btse_oss_url(), Venue::btse);
  o.btse_subscriptions = {{Channel::book, "BTC-USD"}, {Channel::book, "ETH-USD"}};
  rt.add_session(std::move(o));
  rt.start();
  ASSERT_TRUE(wait_until([&] { return seen.subscribed.load() == 2; }));

  for (const char* market : {"BTC-USD", "ETH-USD"}) {
    // The chain starts at 1 on subscribing (an empty book), then one delta per book frame of
    // the capture (its snapshots included, each as the difference it makes).
    const std::uint64_t frames =
        public_frames(capture, Venue::btse, std::string("\"update:") + market);
    InstrumentId id = kNoInstrument;  // registered by the session as it subscribes
    const auto last_seq = [&] {
      id = rt.registry().find(Venue::btse, market).value_or(kNoInstrument);
      return id < BookRecorder::kIds ? seen.last_id[id].load() : 0;
    };
    ASSERT_TRUE(wait_until([&] { return last_seq() == 1 + frames; }))
        << market << ": at seqNum " << last_seq() << ", expected " << 1 + frames;
    EXPECT_EQ(sim_->btse_book(market).seq, 1 + frames);
    EXPECT_GE(seen.books[id].load(), frames / 2) << market;
    EXPECT_EQ(seen.lives[id].load(), 1u) << market;
    EXPECT_EQ(seen.stales[id].load(), 0u) << market;
  }
  rt.stop();
  const live::SessionStats& st = rt.session(0).stats();
  EXPECT_EQ(st.resync_requests.load(), 0u);
  EXPECT_EQ(st.decode_errors.load(), 0u);
  EXPECT_EQ(st.connects.load(), 1u);
  for (const char* market : {"BTC-USD", "ETH-USD"}) {
    const sim::BtseBookState sim_book = sim_->btse_book(market);
    const OrderBook* book =
        rt.engine().book(rt.registry().find(Venue::btse, market).value_or(kNoInstrument));
    ASSERT_NE(book, nullptr);
    EXPECT_EQ(book->status(), BookStatus::live);
    ASSERT_EQ(book->bids().size(), sim_book.bids.size()) << market;
    ASSERT_EQ(book->asks().size(), sim_book.asks.size()) << market;
    for (std::size_t k = 0; k < sim_book.bids.size(); ++k) {
      EXPECT_EQ(book->bids()[k].price, sim_book.bids[k].price) << market << k;
      EXPECT_EQ(book->bids()[k].qty, sim_book.bids[k].qty) << market << k;
    }
    for (std::size_t k = 0; k < sim_book.asks.size(); ++k) {
      EXPECT_EQ(book->asks()[k].price, sim_book.asks[k].price) << market << k;
      EXPECT_EQ(book->asks()[k].qty, sim_book.asks[k].qty) << market << k;
    }
  }
}

}  // namespace
}  // namespace mde
