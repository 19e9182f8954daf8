// The full replay path on two threads: what goes in comes out, in the same state every time,
// whatever the queue size; losses under the drop policy are counted and reported as staleness.
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "capture_fixture.hpp"
#include "mde/core/clock.hpp"
#include "mde/core/sanitizers.hpp"
#include "mde/feeds/capture/capture_reader.hpp"
#include "mde/feeds/capture/capture_writer.hpp"
#include "mde/runtime/replay_runtime.hpp"
#include "mde/runtime/state_json.hpp"

namespace mde {
namespace {

using test::GeneratedCapture;

struct CountingStrategy {
  std::uint64_t books = 0, trades = 0, orders = 0, assets = 0, tickers = 0;
  std::uint64_t book_stale = 0, orders_stale = 0, feed = 0;
  std::uint64_t books_not_live = 0, books_live_again = 0, gaps = 0;
  std::uint64_t spin_ns_per_event = 0;  // makes the consumer slower than the producer

  void slow_down() const noexcept {
    if (spin_ns_per_event == 0) return;
    const std::int64_t until = now_ns() + static_cast<std::int64_t>(spin_ns_per_event);
    while (now_ns() < until) cpu_relax();
  }
  void on_book(const BookView&) noexcept { ++books; slow_down(); }
  void on_trade(const TradeView&) noexcept { ++trades; slow_down(); }
  void on_order(const OrderView&) noexcept { ++orders; slow_down(); }
  void on_asset(const AssetView&) noexcept { ++assets; slow_down(); }
  void on_ticker(const TickerView&) noexcept { ++tickers; }
  void on_status(const StatusView& s) noexcept {
    // A book that goes stale is handed to its connection's resync ring at once: resyncing.
    if (s.subject == StatusSubject::book && s.current != BookStatus::live &&
        s.reason == StaleReason::dropped_upstream) {
      ++book_stale;
    }
    if (s.subject == StatusSubject::book && s.previous == BookStatus::live &&
        s.current != BookStatus::live) {
      ++books_not_live;
      if (s.reason == StaleReason::gap) ++gaps;
    }
    if (s.subject == StatusSubject::book && s.previous != BookStatus::empty &&
        s.previous != BookStatus::live && s.current == BookStatus::live) {
      ++books_live_again;
    }
    if (s.subject == StatusSubject::orders && s.stale) ++orders_stale;
    if (s.subject == StatusSubject::feed) ++feed;
  }
};

struct RunResult {
  std::string state;
  replay::ProducerStats producer;
  EngineCounters engine;
  CountingStrategy strategy;
};

RunResult replay_files(const std::vector<std::string>& paths, RunOptions options,
                       std::uint64_t spin_ns = 0) {
  RunResult r;
  r.strategy.spin_ns_per_event = spin_ns;
  options.reader_cpus = {-1};  // tests share the machine: do not pin
  options.core_cpu = -1;
  ReplayRuntime<CountingStrategy> runtime(r.strategy, paths, options);
  const RunSummary run = runtime.run();
  EXPECT_FALSE(run.interrupted);
  for (std::size_t k = 0; k < runtime.input_count(); ++k) {
    EXPECT_EQ(runtime.input(k).damage(), "");
    accumulate(r.producer, runtime.input(k).stats());
  }
  r.state = state_json(runtime.engine(), r.producer, runtime.registry());
  r.engine = runtime.engine().counters();
  return r;
}

// The frame count of a bulk replay: a quarter under ThreadSanitizer, which checks the threads'
// hand-offs (the same at any volume) while it runs the engine many times slower.
constexpr std::uint64_t bulk(std::uint64_t frames) {
#ifdef MDE_TSAN
  return frames / 4;
#else
  return frames;
#endif
}

RunResult replay_file(const std::string& path, RunOptions options, std::uint64_t spin_ns = 0) {
  return replay_files({path}, options, spin_ns);
}

TEST(ReplayPipeline, DeliversEveryDecodedEventToTheEngineAndStrategy) {
  const GeneratedCapture capture(sample::GenKind::mixed, bulk(50'000));
  const RunResult r = replay_file(capture.path(), {});
  EXPECT_EQ(r.producer.frames, bulk(50'000));
  EXPECT_EQ(r.producer.rejected, 0u);
  EXPECT_EQ(r.producer.dropped, 0u);
  EXPECT_EQ(r.engine.events, r.producer.data + r.producer.control);
  EXPECT_EQ(r.engine.books, capture.counts().book);
  EXPECT_EQ(r.engine.trades, capture.counts().trade);
  EXPECT_EQ(r.engine.orders, capture.counts().order);
  EXPECT_EQ(r.engine.assets, capture.counts().asset);
  EXPECT_EQ(r.strategy.trades, r.engine.trades);
  EXPECT_EQ(r.strategy.orders, r.engine.orders - r.engine.orders_refused);
  EXPECT_EQ(r.strategy.books + r.engine.book_updates_dropped, r.engine.books);
  EXPECT_GT(r.strategy.books, 0u);
  EXPECT_NE(r.state.find("\"status\": \"live\""), std::string::npos);
  EXPECT_NE(r.state.find("\"state\": \"filled\""), std::string::npos);
}

TEST(ReplayPipeline, TwoReplaysOfOneCaptureEndInIdenticalState) {
  const GeneratedCapture capture(sample::GenKind::mixed, bulk(20'000), 11);
  const RunResult a = replay_file(capture.path(), {});
  const RunResult b = replay_file(capture.path(), {});
  EXPECT_EQ(a.state, b.state);
  EXPECT_GT(a.state.size(), 1000u);
}

TEST(ReplayPipeline, BackPressureThroughATinyQueueLosesNothing) {
  const GeneratedCapture capture(sample::GenKind::mixed, bulk(20'000), 3);
  const RunResult roomy = replay_file(capture.path(), {});
  RunOptions tiny;
  tiny.queue_capacity = 2;
  const RunResult squeezed = replay_file(capture.path(), tiny, /*spin_ns=*/200);
  EXPECT_EQ(squeezed.producer.dropped, 0u);
  EXPECT_EQ(squeezed.engine.events, roomy.engine.events);
  EXPECT_EQ(squeezed.state, roomy.state);
}

TEST(ReplayPipeline, DropPolicyCountsEveryLossAndMarksWhatItTouchedStale) {
  const GeneratedCapture capture(sample::GenKind::mixed, 20'000, 5);
  RunOptions options;
  options.queue_capacity = 2;
  options.replay.full_queue = replay::FullQueuePolicy::drop;
  // A consumer ~10x slower than the producer guarantees a full queue.
  const RunResult r = replay_file(capture.path(), options, /*spin_ns=*/2'000);
  ASSERT_GT(r.producer.dropped, 0u);
  // Every decoded event was either delivered or counted as dropped; notices come on top.
  EXPECT_EQ(r.engine.events + r.producer.dropped, r.producer.data + r.producer.control +
                                                      r.producer.drop_notices);
  EXPECT_EQ(r.engine.dropped_notices, r.producer.drop_notices);
  EXPECT_EQ(r.engine.dropped_events, r.producer.dropped);
  EXPECT_GT(r.strategy.book_stale + r.strategy.orders_stale, 0u);
}

TEST(ReplayPipeline, RecordedPaceTakesAtLeastTheCapturedTimeSpan) {
  const GeneratedCapture capture(sample::GenKind::trade_heavy, 2'000, 9);
  capture::CaptureReader reader;
  ASSERT_EQ(reader.open(capture.path()), capture::OpenError::ok);
  capture::CaptureRecord rec;
  std::int64_t first = -1, last = 0;
  while (reader.next(rec)) {
    if (first < 0) first = rec.receive_ns;
    last = rec.receive_ns;
  }
  const std::int64_t span = last - first;
  ASSERT_GT(span, 0);
  // Ask for a speed that makes the replay take ~50 ms: long enough to measure, short for CI.
  const double speed = static_cast<double>(span) / 50e6;
  RunOptions options;
  options.replay.pace = {replay::PaceMode::recorded, speed};
  const std::int64_t t0 = now_ns();
  const RunResult r = replay_file(capture.path(), options);
  const std::int64_t took = now_ns() - t0;
  EXPECT_EQ(r.producer.frames, 2'000u);
  EXPECT_GE(took, 45'000'000) << "recorded pace must not run ahead of the capture's clock";
}

TEST(ReplayRuntime, TwoCapturesFromTwoReaderThreadsFeedOneEngine) {
  const GeneratedCapture first(sample::GenKind::trade_heavy, bulk(10'000), 31);
  const GeneratedCapture second(sample::GenKind::book_heavy, bulk(10'000), 32);
  const RunResult a = replay_file(first.path(), {});
  const RunResult b = replay_file(second.path(), {});
  const RunResult both = replay_files({first.path(), second.path()}, {});
  EXPECT_EQ(both.producer.frames, 2 * bulk(10'000));
  EXPECT_EQ(both.engine.events, a.engine.events + b.engine.events);
  EXPECT_EQ(both.engine.books, a.engine.books + b.engine.books);
  EXPECT_EQ(both.engine.orders, a.engine.orders + b.engine.orders);
}

// Splits a capture into one file per venue (the records in their order), for comparing a mixed
// replay with per-venue replays.
struct SplitCapture {
  std::string coinone_path, btse_path;
  explicit SplitCapture(const std::string& mixed) {
    coinone_path = mixed + ".coinone";
    btse_path = mixed + ".btse";
    capture::CaptureReader reader;
    EXPECT_EQ(reader.open(mixed), capture::OpenError::ok);
    capture::CaptureWriter coinone, btse;
    EXPECT_EQ(coinone.open(coinone_path), capture::WriteStatus::ok);
    EXPECT_EQ(btse.open(btse_path), capture::WriteStatus::ok);
    capture::CaptureRecord rec;
    while (reader.next(rec)) {
      capture::CaptureWriter& to = rec.venue == Venue::btse ? btse : coinone;
      EXPECT_EQ(to.try_append(rec.receive_ns, rec.connection, rec.frame.text(), rec.venue),
                capture::WriteStatus::ok);
    }
    EXPECT_EQ(coinone.try_close(), capture::WriteStatus::ok);
    EXPECT_EQ(btse.try_close(), capture::WriteStatus::ok);
  }
  ~SplitCapture() {
    ::unlink(coinone_path.c_str());
    ::unlink(btse_path.c_str());
  }
};

// The body of one section ("books", "trades", "orders", "assets") of a state dump.
std::string section(const std::string& state, const std::string& name) {
  const std::size_t start = state.find("\"" + name + "\": {");
  if (start == std::string::npos) return {};
  const std::size_t body = state.find('{', start) + 1;
  const std::size_t end = state.find("\n  }", body);
  return state.substr(body, end == std::string::npos ? std::string::npos : end - body);
}

TEST(ReplayRuntime, MixedTwoVenueCaptureReachesEachVenuesOwnState) {
  test::VenueCaptureOptions options;
  options.venues = test::CaptureVenues::both;
  const test::VenueCapture mixed(options, bulk(60'000));
  const SplitCapture split(mixed.path());
  const RunResult together = replay_file(mixed.path(), {});
  const RunResult coinone = replay_file(split.coinone_path, {});
  const RunResult btse = replay_file(split.btse_path, {});
  const RunResult two_inputs = replay_files({split.coinone_path, split.btse_path}, {});

  EXPECT_EQ(together.producer.rejected, 0u);
  // One engine fed by one mixed input or by two inputs ends in the same state...
  EXPECT_EQ(together.state, two_inputs.state);
  // ... and each venue's part of it is what that venue's frames make alone.
  for (const char* name : {"books", "trades"}) {
    const std::string all = section(together.state, name);
    const std::string c = section(coinone.state, name);
    const std::string b = section(btse.state, name);
    ASSERT_FALSE(c.empty() || b.empty()) << name;
    EXPECT_NE(all.find(c), std::string::npos) << name << ": the Coinone part differs";
    EXPECT_NE(all.find(b), std::string::npos) << name << ": the BTSE part differs";
  }
  EXPECT_EQ(section(together.state, "orders"), section(coinone.state, "orders"));
  EXPECT_EQ(section(together.state, "assets"), section(coinone.state, "assets"));
  // Keys carry the venue; a BTSE book shows its sequence number, a Coinone book its id.
  EXPECT_NE(together.state.find("\"btse:BTC-USD\": {\"status\": \"live\", \"seq\": "),
            std::string::npos);
  EXPECT_NE(together.state.find("\"coinone:XRP-KRW\": {\"status\": \"live\", \"id\": \""),
            std::string::npos);
  EXPECT_NE(together.state.find("\"btse:ETH-USD\": {\"count\": "), std::string::npos);
  EXPECT_NE(together.state.find("\"coinone:KRW\": {\"available\""), std::string::npos);
  EXPECT_EQ(section(together.state, "orders").rfind("\n    \"coinone:", 0), 0u);  // an order key
}

TEST(ReplayRuntime, FramesWithoutARecordedVenueAreRecognisedByTheirEnvelope) {
  test::VenueCaptureOptions options;
  const test::VenueCapture recorded(options, 20'000);
  options.record_venue = false;
  const test::VenueCapture sniffed(options, 20'000);
  const RunResult a = replay_file(recorded.path(), {});
  const RunResult b = replay_file(sniffed.path(), {});
  EXPECT_EQ(b.producer.rejected, 0u);
  EXPECT_EQ(a.state, b.state);
}

TEST(ReplayRuntime, BtseGapsAskForAResyncThatTheInputRecordsAndSnapshotsBringBooksBack) {
  test::VenueCaptureOptions options;
  options.venues = test::CaptureVenues::btse;
  options.btse.gap_ppm = 20'000;  // 2% of deltas lose their predecessor
  options.btse.resync_after_fault = true;
  const test::VenueCapture capture(options, 30'000);
  const RunResult r = replay_file(capture.path(), {});
  EXPECT_EQ(r.producer.rejected, 0u);
  EXPECT_GT(r.strategy.gaps, 0u);
  EXPECT_GT(r.engine.resync_requests, 0u);
  EXPECT_GT(r.producer.resync_requests, 0u) << "the input never drained its resync ring";
  EXPECT_LE(r.producer.resync_requests, r.engine.resync_requests);
  EXPECT_GT(r.strategy.books_live_again, 0u) << "no fresh snapshot brought a book back";
}

// A text capture written into the test's temporary directory: one frame per line.
std::string write_text_capture(const std::string& name, const std::vector<std::string>& lines) {
  const std::string path = testing::TempDir() + name;
  std::string text;
  for (const std::string& l : lines) text += l + '\n';
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) throw std::runtime_error("cannot write " + path);
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  std::fclose(f);
  if (!ok) throw std::runtime_error("cannot write " + path);
  return path;
}

// Replays `lines` (one frame each) as a text capture in the test's temporary directory.
RunResult replay_lines(const std::string& name, const std::vector<std::string>& lines) {
  return replay_file(write_text_capture(name, lines), {});
}

// Found by an independent book reference model: a frame the decoder rejects (here 9 fractional
// digits, more than the engine holds exactly) is a lost update, yet the book it was for stayed
// live on its previous snapshot; a market that always sent such numbers never updated and never
// went stale. Now the book goes stale (reason rejected_frame) until a fresh snapshot.
TEST(ReplayPipeline, ARejectedBookFrameMakesItsBookStaleUntilTheNextGoodSnapshot) {
  const std::string good =
      R"({"response_type":"DATA","channel":"ORDERBOOK","data":{"quote_currency":"KRW","target_currency":"XRP","timestamp":1693560155038,"id":"ID","asks":[{"price":"695.5","qty":"5000"}],"bids":[{"price":"688.3","qty":"2000"}]}})";
  auto frame = [&](std::string_view id, std::string_view qty) {
    std::string f = good;
    f.replace(f.find("ID"), 2, id);
    f.replace(f.find("5000"), 4, qty);
    return f;
  };
  const RunResult stale =
      replay_lines("rejected_book_cut.jsonl", {frame("1", "5000"), frame("2", "5000.123456789")});
  EXPECT_EQ(stale.producer.rejected, 1u);
  EXPECT_EQ(stale.engine.rejected_notices, 1u);
  EXPECT_EQ(stale.strategy.books_not_live, 1u);
  EXPECT_EQ(stale.state.find("\"status\": \"live\""), std::string::npos) << stale.state;

  const RunResult live = replay_lines(
      "rejected_book_healed.jsonl",
      {frame("1", "5000"), frame("2", "5000.123456789"), frame("3", "4000")});
  EXPECT_EQ(live.strategy.books_live_again, 1u);
  EXPECT_NE(live.state.find("\"status\": \"live\""), std::string::npos) << live.state;
  EXPECT_NE(live.state.find("\"4000\""), std::string::npos) << live.state;
}

// BTSE numbers its book updates: a rejected frame that was a real delta shows as a gap at the
// next one, and one that was not (junk on the topic) must not cost the book its liveness, which in
// a replay no resubscribe could restore.
TEST(ReplayPipeline, ARejectedBtseBookFrameIsJudgedByTheSeqNumChain) {
  const std::string snapshot =
      R"({"topic":"update:BTC-USD_0","data":{"bids":[["59252.5","0.06865"]],"asks":[["59292.0","0.5"]],"seqNum":10,"prevSeqNum":9,"type":"snapshot","timestamp":1565135165600,"symbol":"BTC-USD"}})";
  auto delta = [](int seq, std::string_view size) {
    return R"({"topic":"update:BTC-USD_0","data":{"bids":[],"asks":[["59300.5",")" +
           std::string(size) + R"("]],"seqNum":)" + std::to_string(seq) +
           R"(,"prevSeqNum":)" + std::to_string(seq - 1) +
           R"(,"type":"delta","timestamp":1565135165700,"symbol":"BTC-USD"}})";
  };
  const RunResult kept =
      replay_lines("rejected_btse_junk.jsonl",
                   {snapshot, delta(11, "1"), delta(12, "0.123456789"), delta(12, "2")});
  EXPECT_EQ(kept.producer.rejected, 1u);
  EXPECT_EQ(kept.engine.rejected_notices, 0u);
  EXPECT_EQ(kept.strategy.books_not_live, 0u);
  EXPECT_NE(kept.state.find("\"status\": \"live\""), std::string::npos) << kept.state;

  const RunResult gap =
      replay_lines("rejected_btse_lost.jsonl",
                   {snapshot, delta(11, "1"), delta(12, "0.123456789"), delta(13, "2")});
  EXPECT_EQ(gap.strategy.gaps, 1u);
  EXPECT_EQ(gap.state.find("\"status\": \"live\""), std::string::npos) << gap.state;
}

// CPU time this process used, user + system, in ns.
std::int64_t process_cpu_ns() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto ns = [](const timeval& t) {
    return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 +
           static_cast<std::int64_t>(t.tv_usec) * 1'000;
  };
  return ns(u.ru_utime) + ns(u.ru_stime);
}

TEST(ReplayRuntime, APacedReplaySleepsThroughLongWaitsInsteadOfBurningACore) {
  // Three frames 100 ms apart: at recorded pace the run lasts ~200 ms and is idle almost all of
  // it. Spinning (or yielding in a loop) on either thread would cost about one core for the whole
  // wait: CPU time close to the wall time.
  std::string tmpl = ::testing::TempDir() + "mde-paced-XXXXXX";
  const int fd = mkstemp(tmpl.data());
  ASSERT_GE(fd, 0);
  ::close(fd);
  {
    capture::CaptureWriter w;
    ASSERT_EQ(w.open(tmpl), capture::WriteStatus::ok);
    const std::string_view frame =
        R"({"r":"DATA","c":"TRADE","d":{"qc":"KRW","tc":"XRP","i":"1693560563084003",)"
        R"("t":1693560563084,"p":"688.3","q":"290.745","sm":false}})";
    for (int i = 0; i < 3; ++i) {
      ASSERT_EQ(w.try_append(1'761'017'305'000'000'000 + i * 100'000'000LL, 0, frame),
                capture::WriteStatus::ok);
    }
    ASSERT_EQ(w.try_close(), capture::WriteStatus::ok);
  }
  RunOptions options;
  options.replay.pace = {replay::PaceMode::recorded, 1.0};
  options.reader_cpus = {-1};
  options.core_cpu = -1;
  CountingStrategy strategy;
  ReplayRuntime<CountingStrategy> runtime(strategy, {tmpl}, options);  // setup is not measured
  const std::int64_t cpu0 = process_cpu_ns();
  const std::int64_t t0 = now_ns();
  (void)runtime.run();
  const std::int64_t wall = now_ns() - t0;
  const std::int64_t cpu = process_cpu_ns() - cpu0;
  ::unlink(tmpl.c_str());
  EXPECT_EQ(runtime.input(0).stats().frames, 3u);
  EXPECT_GE(wall, 190'000'000);
  EXPECT_LT(cpu, wall / 3) << "cpu " << cpu / 1'000'000 << " ms over " << wall / 1'000'000
                           << " ms of wall time";
}

TEST(ReplayRuntime, StopEndsAPacedRunPromptlyAndSaysItWasInterrupted) {
  const GeneratedCapture capture(sample::GenKind::trade_heavy, 2'000, 9);
  CountingStrategy strategy;
  RunOptions options;
  options.reader_cpus = {-1};
  options.core_cpu = -1;
  options.replay.pace = {replay::PaceMode::recorded, 1e-3};  // would take far longer than a test
  ReplayRuntime<CountingStrategy> runtime(strategy, {capture.path()}, options);
  std::atomic<bool> started{false};
  std::thread stopper([&] {
    while (!started.load()) std::this_thread::yield();
    runtime.stop();
  });
  const std::int64_t t0 = now_ns();
  started.store(true);
  const RunSummary run = runtime.run();
  stopper.join();
  EXPECT_TRUE(run.interrupted);
  EXPECT_LT(now_ns() - t0, 5'000'000'000) << "stop() must end a paced replay promptly";
  EXPECT_LT(runtime.input(0).stats().frames, 2'000u);
}

TEST(ReplayRuntime, ReportsAnInputThatCannotBeOpened) {
  CountingStrategy strategy;
  EXPECT_THROW(ReplayRuntime<CountingStrategy>(strategy, {"/nonexistent/capture.mdecap"}),
               std::runtime_error);
}

TEST(ReplayPace, ParsesTheDocumentedForms) {
  EXPECT_EQ(replay::parse_pace("max")->mode, replay::PaceMode::max);
  EXPECT_EQ(replay::parse_pace("recorded")->mode, replay::PaceMode::recorded);
  EXPECT_DOUBLE_EQ(replay::parse_pace("10x")->speed, 10.0);
  EXPECT_DOUBLE_EQ(replay::parse_pace("0.5x")->speed, 0.5);
  EXPECT_FALSE(replay::parse_pace("x"));
  EXPECT_FALSE(replay::parse_pace("0x"));
  EXPECT_FALSE(replay::parse_pace("-2x"));
  EXPECT_FALSE(replay::parse_pace("fast"));
  EXPECT_FALSE(replay::parse_pace("10"));
}

}  // namespace
}  // namespace mde
