// The simulator's clock (SimOptions::clock, `mde sim --clock`): with `wall` every venue time it
// sends (Coinone timestamps and <ms><counter> ids, BTSE timestamps, MYORDER/MYASSET seconds) is
// the wall clock when the frame is made, ids still only increase, and the content stays the
// seed's; with `fixed` the same seed gives the same bytes. The generators first (their time comes
// from the caller), then the feeds without sockets, then the whole simulator over TLS.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "live/capture_records.hpp"
#include "live/live_test_support.hpp"
#include "live/sim_session_support.hpp"
#include "mde/core/clock.hpp"
#include "mde/sample/btse_generator.hpp"
#include "mde/sample/coinone_generator.hpp"
#include "mde/sim/btse_endpoint.hpp"
#include "mde/sim/coinone_endpoint.hpp"
#include "mde/sim/coinone_private.hpp"
#include "mde/sim/simulator.hpp"

namespace mde {
namespace {

using namespace std::chrono_literals;
using live_test::wait_until;
using sim::SimClock;

constexpr std::int64_t kMsNs = 1'000'000;
constexpr std::int64_t kSlackMs = 5'000;  // "now" for a frame: within a few seconds

// Every value of `"key":` in `text` (a JSON number or a string of digits), in order.
std::vector<std::int64_t> numbers_of(std::string_view text, std::string_view key) {
  std::vector<std::int64_t> out;
  const std::string pattern = "\"" + std::string(key) + "\":";
  for (std::size_t at = text.find(pattern); at != std::string_view::npos;
       at = text.find(pattern, at + 1)) {
    std::size_t i = at + pattern.size();
    if (i < text.size() && text[i] == '"') ++i;
    if (i == text.size() || text[i] < '0' || text[i] > '9') continue;  // null, "LIMIT", ...
    std::int64_t v = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) v = v * 10 + (text[i] - '0');
    out.push_back(v);
  }
  return out;
}

std::int64_t first_number(std::string_view text, std::string_view long_key,
                          std::string_view short_key) {
  for (std::string_view key : {long_key, short_key}) {
    if (const auto v = numbers_of(text, key); !v.empty()) return v.front();
  }
  return -1;
}

std::string string_of(std::string_view text, std::string_view long_key,
                      std::string_view short_key) {
  for (std::string_view key : {long_key, short_key}) {
    const std::string pattern = "\"" + std::string(key) + "\":\"";
    const std::size_t at = text.find(pattern);
    if (at == std::string_view::npos) continue;
    const std::size_t from = at + pattern.size();
    return std::string(text.substr(from, text.find('"', from) - from));
  }
  return {};
}

// The frame with every venue time and time-derived id blanked (the value, quoted or not, of these
// keys when it is digits): what must not depend on the clock.
std::string without_times(std::string_view text) {
  static constexpr std::string_view kKeys[] = {"timestamp", "t",  "id", "i", "ts", "order_timestamp",
                                               "ot", "executed_timestamp", "et"};
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t end = text[i] == '"' ? text.find('"', i + 1) : std::string_view::npos;
    if (end == std::string_view::npos || end + 1 == text.size() || text[end + 1] != ':') {
      out += text[i++];
      continue;
    }
    const std::string_view key = text.substr(i + 1, end - i - 1);
    out.append(text.substr(i, end + 2 - i));  // "key":
    i = end + 2;
    if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys)) continue;
    std::size_t j = i + (i < text.size() && text[i] == '"' ? 1 : 0);
    const std::size_t digits = j;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
    if (j == digits) continue;  // null, "LIMIT", ...
    if (text[i] == '"' && j < text.size() && text[j] == '"') ++j;
    out += '#';
    i = j;
  }
  return out;
}

bool near_ms(std::int64_t ms, std::int64_t now_ns) {
  return ms > now_ns / kMsNs - kSlackMs && ms < now_ns / kMsNs + kSlackMs;
}

// ---- the generators: the caller's time, the seed's content -------------------------------------

TEST(SimClockGenerators, CoinoneFramesMadeAtAGivenTimeCarryItAndTheSeedsContent) {
  sample::CoinoneGenerator own({.kind = sample::GenKind::mixed, .seed = 3});
  sample::CoinoneGenerator given({.kind = sample::GenKind::mixed, .seed = 3});
  const std::int64_t start = 1'900'000'000'000'000'000;  // 2030
  std::map<std::string, std::uint64_t> last_id;  // per channel and market
  int stamped = 0;
  for (int i = 0; i < 5000; ++i) {
    const std::int64_t t = start + i * 250'000;  // 4 frames a millisecond: the counter is used
    const std::string a(own.next().text);
    const sample::GenFrame b = given.next(t);
    ASSERT_EQ(without_times(a), without_times(b.text)) << i;
    EXPECT_EQ(b.receive_ns, t);
    const std::string_view text = b.text;
    if (text.find("DATA") == std::string_view::npos) continue;
    const std::string channel = string_of(text, "channel", "c");
    if (channel == "MYORDER" || channel == "MYASSET") {
      // Seconds; follow-ups queued a few frames earlier keep the second they were made at.
      for (std::string_view key : {"timestamp", "ts", "order_timestamp", "ot"}) {
        for (std::int64_t s : numbers_of(text, key)) {
          EXPECT_LE(s, t / 1'000'000'000) << text;
          EXPECT_GE(s, start / 1'000'000'000) << text;
        }
      }
      continue;
    }
    const std::int64_t ts = first_number(text, "timestamp", "t");
    const std::string id = string_of(text, "id", "i");
    ASSERT_FALSE(id.empty()) << text;
    const std::uint64_t n = std::stoull(id);
    EXPECT_EQ(static_cast<std::int64_t>(n / 1000), ts) << text;  // the id's ms is the timestamp
    EXPECT_GE(ts, t / kMsNs) << text;
    EXPECT_LE(ts, t / kMsNs + 1) << text;  // the counter may carry into the next ms, no further
    std::uint64_t& last = last_id[channel + string_of(text, "target_currency", "tc")];
    EXPECT_GT(n, last) << text;
    last = n;
    ++stamped;
  }
  EXPECT_GT(stamped, 3000);
}

TEST(SimClockGenerators, BtseFramesMadeAtAGivenTimeCarryItAndTheSeedsContent) {
  sample::BtseGenerator own({.seed = 4});
  sample::BtseGenerator given({.seed = 4});
  const std::int64_t start = 1'900'000'000'000'000'000;
  std::map<std::string, std::int64_t> last_book_ts;
  int books = 0;
  for (int i = 0; i < 5000; ++i) {
    const std::int64_t t = start + i * 300'000;
    const std::string a(own.next().text);
    const sample::GenFrame b = given.next(t);
    ASSERT_EQ(without_times(a), without_times(b.text)) << i;
    const std::string_view text = b.text;
    const std::vector<std::int64_t> stamps = numbers_of(text, "timestamp");
    if (text.starts_with(R"({"topic":"update:)")) {
      ASSERT_EQ(stamps.size(), 1u) << text;
      EXPECT_EQ(stamps[0], t / kMsNs) << text;
      std::int64_t& last = last_book_ts[string_of(text, "symbol", "symbol")];
      EXPECT_GE(stamps[0], last);
      last = stamps[0];
      ++books;
    } else {
      // Trade batches: this frame's trades now; those repeated after a subscribe happened
      // before, on the same clock (moved onto it at the first given time).
      for (std::int64_t ms : stamps) {
        EXPECT_LE(ms, t / kMsNs) << text;
        EXPECT_GT(ms, start / kMsNs - 60'000) << text;
      }
    }
  }
  EXPECT_GT(books, 1000);
}

// ---- the feeds without sockets -----------------------------------------------------------------

TEST(SimClockFeeds, WallStampsCoinonePublicFramesNowWithIdsOnlyIncreasing) {
  sim::CoinoneMarketFeed feed(7, SimClock::wall);
  std::map<std::string, std::uint64_t> last_id;
  std::map<std::string, std::int64_t> last_ts;
  for (int i = 0; i < 3000; ++i) {
    const std::int64_t before = wall_ns();
    const sim::MarketFrame f = feed.next_frame();
    const std::string key = std::string(f.channel) + std::string(f.market);
    const std::int64_t ts = first_number(f.text, "timestamp", "t");
    ASSERT_TRUE(near_ms(ts, before)) << f.text;
    EXPECT_GE(ts, last_ts[key]) << f.text;
    last_ts[key] = ts;
    const std::uint64_t id = std::stoull(string_of(f.text, "id", "i"));
    EXPECT_GT(id, last_id[key]) << f.text;
    EXPECT_EQ(static_cast<std::int64_t>(id / 1000), ts);
    EXPECT_EQ(f.stamp_key, id);
    last_id[key] = id;
  }
}

TEST(SimClockFeeds, WallStampsBtseBooksAndTradesNow) {
  const std::int64_t made = wall_ns();
  sim::BtseMarketFeed feed(7, sim::btse_markets(), SimClock::wall);
  // A subscriber's snapshot before any delta: the book as of the feed's start.
  EXPECT_TRUE(near_ms(first_number(feed.snapshot_data("BTC-USD"), "timestamp", "t"), made));
  std::map<std::string, std::int64_t> last_ts;
  std::map<std::string, int> batches;
  for (int i = 0; i < 3000; ++i) {
    const std::int64_t before = wall_ns();
    const sim::MarketFrame f = feed.next_frame();
    const std::string market(f.market);
    const std::vector<std::int64_t> stamps = numbers_of(f.text, "timestamp");
    ASSERT_FALSE(stamps.empty()) << f.text;
    if (f.channel == "update") {
      ASSERT_TRUE(near_ms(stamps[0], before)) << f.text;
      EXPECT_GE(stamps[0], last_ts[market]) << f.text;
      last_ts[market] = stamps[0];
    } else if (batches[market]++ > 0) {  // the first batch repeats trades from before the start
      for (std::int64_t ms : stamps) ASSERT_TRUE(near_ms(ms, before)) << f.text;
    }
  }
  EXPECT_TRUE(near_ms(first_number(feed.snapshot_data("BTC-USD"), "timestamp", "t"), wall_ns()));
}

TEST(SimClockFeeds, WallStampsCoinonePrivateEventsInSecondsInBothFormats) {
  sim::CoinonePrivateFeed feed(5, 100, 100, {}, SimClock::wall);  // one event per call
  for (int i = 0; i < 200; ++i) {
    const std::int64_t now_s = wall_ns() / 1'000'000'000;
    const sim::MarketFrame f = feed.next_frame();
    ASSERT_FALSE(f.text.empty());
    for (std::string_view text : {f.text, feed.last_short()}) {
      int stamps = 0;
      for (std::string_view key : {"timestamp", "ts", "order_timestamp", "ot",
                                   "executed_timestamp", "et"}) {
        for (std::int64_t s : numbers_of(text, key)) {
          if (s == 0) continue;  // a post-only cancel's executed_timestamp: absent (A7.4)
          // An order's placement time, and a trade_done's fill time, may be the second before.
          EXPECT_GE(s, now_s - 1) << text;
          EXPECT_LE(s, now_s + 2) << text;
          ++stamps;
        }
      }
      EXPECT_GE(stamps, 1) << text;
    }
  }
}

TEST(SimClockFeeds, FixedKeepsTheSyntheticClockAndWallOnlyChangesTimes) {
  sim::CoinoneMarketFeed fixed(11, SimClock::fixed), wall(11, SimClock::wall);
  sim::BtseMarketFeed btse_fixed(11, sim::btse_markets(), SimClock::fixed);
  sim::BtseMarketFeed btse_wall(11, sim::btse_markets(), SimClock::wall);
  sim::CoinonePrivateFeed own_fixed(11, 100, 100, {}, SimClock::fixed);
  sim::CoinonePrivateFeed own_wall(11, 100, 100, {}, SimClock::wall);
  for (int i = 0; i < 1000; ++i) {
    const sim::MarketFrame f = fixed.next_frame();
    // The fixed clock starts at sample::kDefaultStartNs (2025-10-21T05:53:20Z), not now.
    EXPECT_LT(first_number(f.text, "timestamp", "t"), 1'761'100'000'000);
    ASSERT_EQ(without_times(f.text), without_times(wall.next_frame().text));
    ASSERT_EQ(without_times(btse_fixed.next_frame().text),
              without_times(btse_wall.next_frame().text));
    ASSERT_EQ(without_times(own_fixed.next_frame().text),
              without_times(own_wall.next_frame().text));
  }
}

// ---- the whole simulator over TLS --------------------------------------------------------------

TEST(SimClockOptions, WallIsTheDefault) {
  EXPECT_EQ(sim::SimOptions{}.clock, SimClock::wall);
}

class SimClockLive : public live_test::SimulatorFixture<live_test::Recorder> {
 protected:
  SimClockLive() : SimulatorFixture("clock") {}

  live::SessionOptions coinone() const {
    live::SessionOptions o = live_test::session_to(*sim_, sim_->coinone_public_url());
    o.subscriptions = {{Channel::book, "XRP", "KRW", coinone::WireFormat::short_format},
                       {Channel::trade, "XRP", "KRW", coinone::WireFormat::default_format},
                       {Channel::book, "BTC", "KRW", coinone::WireFormat::default_format}};
    return o;
  }
};

// Every data frame the simulator sent, by default, carries the time it was sent at (the record's
// receive_ns is the send time), on both venues and the private path.
TEST_F(SimClockLive, ByDefaultEveryVenueTimeIsTheTimeTheFrameIsSent) {
  const std::string record = (certs_.path() / "wall.mdecap").string();
  start_sim({.seed = 17, .rate = 2000, .private_rate = 200, .record_path = record});
  runtime().add_session(coinone());
  live::SessionOptions books = live_test::session_to(*sim_, sim_->btse_oss_url(), Venue::btse);
  books.btse_subscriptions = {{Channel::book, "BTC-USD"}};
  runtime().add_session(books);
  live::SessionOptions trades = live_test::session_to(*sim_, sim_->btse_main_url(), Venue::btse);
  trades.btse_subscriptions = {{Channel::trade, "ETH-USD"}};
  runtime().add_session(trades);
  live::SessionOptions own = live_test::session_to(*sim_, sim_->coinone_private_url());
  own.credentials = {coinone::Secret(std::string(sim::kSimDemoAccessToken)),
                     coinone::Secret(std::string(sim::kSimDemoSecretKey))};
  own.private_subscriptions = {{Channel::orders, {}, "KRW", coinone::WireFormat::short_format},
                               {Channel::assets, {}, "KRW", coinone::WireFormat::default_format}};
  runtime().add_session(own);
  runtime().start();
  ASSERT_TRUE(wait_until([&] { return sim_->stats().frames_sent.load() >= 600; }, 10s));
  std::this_thread::sleep_for(300ms);  // trade batches and private events come slower
  runtime().stop();
  sim_->stop();

  const live_test::RecordedCapture capture = live_test::read_capture(record);
  ASSERT_TRUE(capture.opened);
  std::map<std::string, std::uint64_t> last_id;
  std::map<std::string, int> batches;
  int coinone_public = 0, btse_books = 0, btse_trades = 0, own_events = 0;
  for (const live_test::RecordedFrame& f : capture.frames) {
    const std::string_view text = f.text;
    // Coinone public and private (whose route records no venue) data frames.
    if (f.venue != Venue::btse && text.find("DATA") != std::string_view::npos) {
      const std::string channel = string_of(text, "channel", "c");
      if (channel == "MYORDER" || channel == "MYASSET") {
        const std::int64_t s = first_number(text, "timestamp", "ts");
        EXPECT_LE(std::abs(s - f.receive_ns / 1'000'000'000), 2) << text;
        ++own_events;
        continue;
      }
      const std::int64_t ts = first_number(text, "timestamp", "t");
      EXPECT_TRUE(near_ms(ts, f.receive_ns)) << text;
      const std::uint64_t id = std::stoull(string_of(text, "id", "i"));
      std::uint64_t& last = last_id[channel + string_of(text, "target_currency", "tc")];
      EXPECT_GE(id, last) << text;  // a subscribe's book repeats the latest id
      last = id;
      ++coinone_public;
    } else if (f.venue == Venue::btse && text.starts_with(R"({"topic":"update:)")) {
      for (std::int64_t ms : numbers_of(text, "timestamp")) {
        EXPECT_TRUE(near_ms(ms, f.receive_ns)) << text;
      }
      ++btse_books;
    } else if (f.venue == Venue::btse && text.starts_with(R"({"topic":"tradeHistoryApi:)")) {
      if (batches[string_of(text, "topic", "topic")]++ == 0) continue;  // recent trades again
      for (std::int64_t ms : numbers_of(text, "timestamp")) {
        EXPECT_TRUE(near_ms(ms, f.receive_ns)) << text;
      }
      ++btse_trades;
    }
  }
  EXPECT_GT(coinone_public, 50);
  EXPECT_GT(btse_books, 20);
  EXPECT_GT(btse_trades, 0);
  EXPECT_GT(own_events, 5);
}

// The data frames one Coinone connection received from a simulator with `seed` and the fixed
// clock, the market held until the subscriptions were in, then `rounds` frames per venue.
std::vector<std::string> fixed_frames(std::uint64_t seed, std::uint64_t rounds) {
  live_test::TempDir certs("clock-fixed");
  const std::string record = (certs.path() / "fixed.mdecap").string();
  sim::Simulator sim({.seed = seed,
                      .rate = 4000,
                      .clock = SimClock::fixed,
                      .max_frames = rounds,
                      .market_paused = true,
                      .cert_dir = certs.path(),
                      .record_path = record});
  sim.start();
  {
    live_test::Recorder recorder;
    LiveRuntime<live_test::Recorder> rt(recorder);
    live::SessionOptions o = live_test::session_to(sim, sim.coinone_public_url());
    o.subscriptions = {{Channel::book, "XRP", "KRW", coinone::WireFormat::short_format},
                       {Channel::trade, "XRP", "KRW", coinone::WireFormat::default_format},
                       {Channel::book, "ETH", "KRW", coinone::WireFormat::default_format}};
    rt.add_session(o);
    rt.start();
    EXPECT_TRUE(wait_until([&] { return sim.stats().subscribes.load() >= 3; }, 10s));
    sim.resume_market();
    EXPECT_TRUE(wait_until([&] { return sim.stats().market_rounds.load() >= rounds; }, 10s));
    std::this_thread::sleep_for(100ms);  // the last frames reach the socket
    rt.stop();
  }
  sim.stop();
  std::vector<std::string> out;
  for (const live_test::RecordedFrame& f : live_test::read_capture(record).frames) {
    if (f.text.find("DATA") != std::string::npos) out.push_back(f.text);
  }
  return out;
}

TEST(SimClockLiveFixed, TwoSimulatorsWithTheSameSeedSendTheSameBytes) {
  const std::vector<std::string> a = fixed_frames(29, 600);
  const std::vector<std::string> b = fixed_frames(29, 600);
  ASSERT_GT(a.size(), 100u);
  EXPECT_EQ(a, b);
  // Synthetic time: the generator's start, not today.
  EXPECT_LT(first_number(a.front(), "timestamp", "t"), 1'761'100'000'000);
}

}  // namespace
}  // namespace mde
