// Coinone private sessions, close codes, error attribution and the simulator's faults, over real
// loopback TLS against the in-process simulator, through the whole LiveRuntime.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "live/live_test_support.hpp"
#include "live/sim_session_support.hpp"
#include "mde/feeds/live/session.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/runtime/state_json.hpp"
#include "mde/sim/coinone_private.hpp"
#include "mde/sim/simulator.hpp"

namespace mde {
namespace {

using namespace std::chrono_literals;
using live_test::wait_until;
using Clock = std::chrono::steady_clock;

constexpr auto kShort = coinone::WireFormat::short_format;
constexpr auto kDefault = coinone::WireFormat::default_format;
constexpr const char* kSecret = "7f3c9d2e-secret-4b1a-9e8f-0123456789ab";  // grepped for below
constexpr const char* kAccess = "c0ffee00-access-4000-8000-000000000001";

// What reached the strategy: counters readable from the test thread, and every text the feed
// controls carried (kept under a lock: tests only).
struct PrivateRecorder {
  std::atomic<std::uint64_t> orders{0}, assets{0}, connected{0}, books{0};
  std::atomic<std::uint64_t> orders_stale_reconnect{0}, orders_fresh_after_stale{0};
  std::atomic<std::uint64_t> disconnected_4280{0};
  std::atomic<std::uint64_t> failed_subscriptions{0};  // ERRORs naming their subscription
  std::atomic<std::int64_t> last_error_code{0};
  std::atomic<Channel> failed_channel{Channel::none};
  mutable std::mutex mutex;
  std::vector<std::string> texts;  // every control message, field and topic
  std::string failed_topic;

  void on_book(const BookView&) noexcept { books.fetch_add(1, std::memory_order_relaxed); }
  void on_order(const OrderView&) noexcept { orders.fetch_add(1, std::memory_order_relaxed); }
  void on_asset(const AssetView&) noexcept { assets.fetch_add(1, std::memory_order_relaxed); }
  void on_status(const StatusView& s) noexcept {
    if (s.subject == StatusSubject::orders) {
      if (s.stale && s.reason == StaleReason::reconnect) {
        orders_stale_reconnect.fetch_add(1, std::memory_order_relaxed);
      } else if (!s.stale && orders_stale_reconnect.load(std::memory_order_relaxed) > 0) {
        orders_fresh_after_stale.fetch_add(1, std::memory_order_relaxed);
      }
      return;
    }
    if (s.subject != StatusSubject::feed || s.control == nullptr) return;
    const Control& c = *s.control;
    {
      std::lock_guard lock(mutex);
      texts.emplace_back(c.message.view());
      texts.emplace_back(c.field.view());
      texts.emplace_back(c.topic.view());
    }
    if (c.type == ControlType::connected) connected.fetch_add(1, std::memory_order_relaxed);
    if (c.type == ControlType::disconnected && c.error_code == 4280) {
      disconnected_4280.fetch_add(1, std::memory_order_relaxed);
    }
    if (c.type == ControlType::error) {
      last_error_code.store(c.error_code, std::memory_order_relaxed);
      if (c.channel != Channel::none) {
        {
          std::lock_guard lock(mutex);
          failed_topic = std::string(c.topic.view());
        }
        failed_channel.store(c.channel, std::memory_order_relaxed);
        failed_subscriptions.fetch_add(1, std::memory_order_relaxed);
      }
    }
  }
};

class LivePrivate : public live_test::SimulatorFixture<PrivateRecorder> {
 protected:
  LivePrivate() : SimulatorFixture("private") {}
  void start_private_sim(std::uint32_t private_rate = 400) {
    sim::SimOptions o{.seed = 23, .rate = 2000, .private_rate = private_rate};
    o.coinone_account = {coinone::Secret(kAccess), coinone::Secret(kSecret)};
    start_sim(std::move(o));
  }

  live::SessionOptions base(const std::string& url) const {
    return live_test::session_to(*sim_, url);
  }
  // MYORDER for every market (SHORT) and MYASSET (DEFAULT), signed with `secret`.
  live::SessionOptions private_session(const char* secret = kSecret) const {
    live::SessionOptions o = base(sim_->coinone_private_url());
    o.credentials = {coinone::Secret(kAccess), coinone::Secret(secret)};
    o.private_subscriptions = {{Channel::orders, {}, "KRW", kShort},
                               {Channel::assets, {}, "KRW", kDefault}};
    return o;
  }


  // Every order of a round the client saw whole is in the final state, with the filled
  // quantity, the script gave it. Returns how many were checked.
  int check_final_order_states() {
    const auto& engine = runtime().engine();
    const InstrumentRegistry& reg = runtime().registry();
    std::uint64_t first_round = ~0ULL, last_round = 0;
    engine.orders().for_each([&](const Order& o) {
      first_round = std::min(first_round, round_of(o.order_id.view()));
      last_round = std::max(last_round, round_of(o.order_id.view()));
    });
    int checked = 0;
    engine.orders().for_each([&](const Order& o) {
      const auto outcome = sim::coinone_scripted_outcome(o.order_id.view());
      ASSERT_TRUE(outcome) << o.order_id.view();
      // The first round may have begun before the subscription (nothing is replayed), and a swap
      // moves an event by one place at most: rounds between those are complete.
      const std::uint64_t round = round_of(o.order_id.view());
      if (round == first_round || round + 2 > last_round) return;
      const bool xrp = reg.name(o.instrument) == "XRP-KRW";
      const __int128 unit = xrp ? __int128(100) * 100'000'000 : 1'000'000;
      const auto expected_filled = static_cast<__int128>(
          static_cast<double>(unit) * outcome->filled_fraction);
      if (outcome->final_status == "trade_done") {
        EXPECT_EQ(o.state, OrderState::filled) << o.order_id.view();
      } else {
        EXPECT_EQ(o.state, OrderState::cancelled) << o.order_id.view();
        EXPECT_EQ(o.cancel_reason, outcome->final_status == "cancel_post_only"
                                       ? CancelReason::post_only
                                       : CancelReason::user);
      }
      EXPECT_TRUE(o.filled_qty.mantissa() == expected_filled)
          << o.order_id.view() << " filled " << static_cast<long long>(o.filled_qty.mantissa());
      ++checked;
    });
    return checked;
  }

  static std::uint64_t round_of(std::string_view order_id) {
    return std::stoull(std::string(order_id.substr(24)), nullptr, 16) / 4;
  }
};

TEST_F(LivePrivate, ASignedSessionGetsOrdersAndBalancesAndTheOrderStatesEndRight) {
  start_private_sim();
  runtime().add_session(private_session());
  runtime().start();
  ASSERT_TRUE(wait_until([&] {
    return recorder_.orders.load() >= 60 && recorder_.assets.load() >= 30;
  })) << "orders " << recorder_.orders.load() << ", assets " << recorder_.assets.load();
  const live::SessionStats& st = runtime().session(0).stats();
  EXPECT_EQ(st.connects.load(), 1u);
  EXPECT_EQ(st.decode_errors.load(), 0u);
  EXPECT_EQ(sim_->stats().auth_failures.load(), 0u);
  EXPECT_GT(sim_->stats().frames_short.load(), 0u);    // MYORDER in SHORT
  EXPECT_GT(sim_->stats().frames_default.load(), 0u);  // MYASSET in DEFAULT
  runtime().stop();
  EXPECT_GE(check_final_order_states(), 4);
  EXPECT_EQ(runtime().engine().orders().counters().out_of_order, 0u);  // the script is in order
  EXPECT_EQ(runtime().engine().orders().counters().malformed, 0u);
  EXPECT_GT(runtime().engine().orders().counters().duplicate_fills, 0u);  // trade_done repeats
  const Balance* krw = runtime().engine().balances().find(Venue::coinone, "KRW");
  ASSERT_NE(krw, nullptr);
  EXPECT_GT(krw->updates, 0u);
}

TEST_F(LivePrivate, ASecretUpperCasedIsAcceptedAsTheSheetAllows) {
  start_private_sim();
  std::string upper = kSecret;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  runtime().add_session(private_session(upper.c_str()));
  runtime().start();
  ASSERT_TRUE(wait_until([&] { return recorder_.orders.load() >= 5; }));
  EXPECT_EQ(sim_->stats().auth_failures.load(), 0u);
}

TEST_F(LivePrivate, ABadSecretIsClosedWith4280AndTheSessionStopsAndSaysSoWithoutRetrying) {
  start_private_sim();
  runtime().add_session(private_session("not-the-secret"));
  runtime().start();
  const live::SessionStats& st = runtime().session(0).stats();
  ASSERT_TRUE(wait_until([&] {
    return st.stopped_by_venue.load() && recorder_.disconnected_4280.load() == 1;
  }));
  EXPECT_EQ(st.last_close_code.load(), 4280);
  EXPECT_EQ(sim_->stats().auth_failures.load(), 1u);
  // Ten backoff periods later there is still no second attempt.
  EXPECT_FALSE(wait_until([&] { return st.connect_attempts.load() > 1; }, 200ms));
  EXPECT_EQ(st.connect_attempts.load(), 1u);
  EXPECT_EQ(recorder_.orders.load(), 0u);
}

TEST_F(LivePrivate, A4290CloseBacksOffForTheLimitDelayBeforeReconnecting) {
  start_private_sim();
  live::SessionOptions o = base(sim_->coinone_public_url());
  o.timers.backoff_after_limit = 400ms;
  runtime().add_session(std::move(o));
  runtime().start();
  const live::SessionStats& st = runtime().session(0).stats();
  ASSERT_TRUE(wait_until([&] { return recorder_.connected.load() == 1; }));
  const auto closed_at = Clock::now();
  sim_->close_all(4290);
  ASSERT_TRUE(wait_until([&] { return st.connects.load() >= 2; }));
  const auto waited = Clock::now() - closed_at;
  EXPECT_GE(waited, 200ms);  // at least half of backoff_after_limit (the jitter's floor)
  EXPECT_EQ(st.slow_backoffs.load(), 1u);
  EXPECT_EQ(st.last_close_code.load(), 4290);
  EXPECT_FALSE(st.stopped_by_venue.load());
}

TEST_F(LivePrivate, A4280CloseOnAnEstablishedSessionStopsItAndIsReported) {
  start_private_sim();
  runtime().add_session(private_session());
  runtime().start();
  const live::SessionStats& st = runtime().session(0).stats();
  ASSERT_TRUE(wait_until([&] { return recorder_.orders.load() >= 3; }));
  sim_->close_all(4280);
  ASSERT_TRUE(wait_until([&] {
    return st.stopped_by_venue.load() && recorder_.disconnected_4280.load() == 1;
  }));
  EXPECT_FALSE(wait_until([&] { return st.connect_attempts.load() > 1; }, 200ms));
  EXPECT_EQ(st.disconnects.load(), 1u);
  EXPECT_FALSE(st.connected.load());
}

TEST_F(LivePrivate, AnUnknownMarketsError160012IsReportedAsThatSubscriptionFailed) {
  start_private_sim();
  live::SessionOptions o = private_session();
  o.private_subscriptions = {{Channel::assets, {}, "KRW", kDefault},
                             {Channel::orders, {"NOPE"}, "KRW", kShort}};
  runtime().add_session(std::move(o));
  live::SessionOptions pub = base(sim_->coinone_public_url());
  pub.subscriptions = {{Channel::book, "XRP", "KRW", kShort}, {Channel::trade, "NOPE", "KRW", kShort}};
  runtime().add_session(std::move(pub));
  runtime().start();
  ASSERT_TRUE(wait_until([&] {
    return recorder_.failed_subscriptions.load() >= 2 && recorder_.books.load() >= 2;
  }));
  EXPECT_EQ(recorder_.last_error_code.load(), 160012);
  EXPECT_EQ(runtime().session(0).stats().subscriptions_failed.load(), 1u);
  EXPECT_EQ(runtime().session(1).stats().subscriptions_failed.load(), 1u);
  EXPECT_EQ(runtime().session(0).stats().errors.load(), 1u);
  std::lock_guard lock(recorder_.mutex);
  EXPECT_EQ(recorder_.failed_topic.substr(0, 4), "NOPE");  // not the good XRP or MYASSET one
}

TEST_F(LivePrivate, MalformedFramesAreCountedAndTheSessionCarriesOn) {
  start_private_sim();
  live::SessionOptions o = base(sim_->coinone_public_url());
  o.subscriptions = {{Channel::book, "XRP", "KRW", kShort}};
  runtime().add_session(std::move(o));
  runtime().start();
  const live::SessionStats& st = runtime().session(0).stats();
  ASSERT_TRUE(wait_until([&] { return recorder_.books.load() >= 2; }));
  sim_->send_malformed(5);
  ASSERT_TRUE(wait_until([&] { return st.decode_errors.load() >= 5; }));
  const std::uint64_t books = recorder_.books.load();
  ASSERT_TRUE(wait_until([&] { return recorder_.books.load() >= books + 3; }));
  EXPECT_EQ(st.decode_errors.load(), 5u);
  EXPECT_EQ(st.connects.load(), 1u);
  EXPECT_EQ(sim_->stats().malformed.load(), 5u);
}

TEST_F(LivePrivate, AStalledVenueTripsTheWatchdogAndThePrivateStreamsReportTheGapThenFresh) {
  start_private_sim();
  live::SessionOptions o = private_session();
  o.timers.silence_timeout = 120ms;
  o.timers.ping_interval = 60s;  // no PONG to keep a stalled connection looking alive
  runtime().add_session(std::move(o));
  runtime().start();
  const live::SessionStats& st = runtime().session(0).stats();
  ASSERT_TRUE(wait_until([&] { return recorder_.orders.load() >= 5; }));
  sim_->stall(2s);  // longer than the test waits: only a new connection gets data again
  ASSERT_TRUE(wait_until([&] {
    return st.watchdog_fires.load() >= 1 && recorder_.orders_stale_reconnect.load() >= 1 &&
           recorder_.orders_fresh_after_stale.load() >= 1;
  })) << "watchdog " << st.watchdog_fires.load() << ", stale "
      << recorder_.orders_stale_reconnect.load();
  const std::uint64_t orders = recorder_.orders.load();
  ASSERT_TRUE(wait_until([&] { return recorder_.orders.load() >= orders + 5; }));
  EXPECT_EQ(st.last_failure.load(), live::SessionStage::watchdog);
  EXPECT_GE(st.connects.load(), 2u);
}

TEST_F(LivePrivate, DuplicatedAndReorderedOrderEventsStillEndInTheRightStates) {
  start_private_sim();
  runtime().add_session(private_session());
  runtime().start();
  for (int k = 0; k < 6; ++k) {
    const std::uint64_t before = recorder_.orders.load();
    (k % 2 == 0) ? sim_->duplicate_next_order_event() : sim_->reorder_next_order_events();
    ASSERT_TRUE(wait_until([&] { return recorder_.orders.load() >= before + 7; }));
  }
  ASSERT_TRUE(wait_until([&] { return recorder_.orders.load() >= 120; }));
  runtime().stop();
  EXPECT_GE(check_final_order_states(), 8);
  const OrderCounters& c = runtime().engine().orders().counters();
  std::uint64_t filled = 0;
  runtime().engine().orders().for_each(
      [&](const Order& o) { filled += o.state == OrderState::filled ? 1 : 0; });
  // Each filled order repeats its last fill once (trade_done); the three injected repeats are
  // on top of that, and each of the three swaps delivers a late opening status.
  EXPECT_GT(c.duplicate_fills, filled);
  EXPECT_GE(c.out_of_order, 3u);
}

TEST_F(LivePrivate, NoTextARunProducesContainsTheSecret) {
  start_private_sim();
  runtime().add_session(private_session());
  runtime().add_session(private_session("wrong-secret"));  // a 4280 too
  runtime().start();
  ASSERT_TRUE(wait_until([&] {
    return recorder_.orders.load() >= 10 && runtime().session(1).stats().stopped_by_venue.load();
  }));
  runtime().stop();
  std::vector<std::string> texts;
  {
    std::lock_guard lock(recorder_.mutex);
    texts = recorder_.texts;
  }
  for (std::size_t k = 0; k < 2; ++k) {
    const live::SessionStats& st = runtime().session(k).stats();
    texts.emplace_back(live::to_string(st.last_failure.load()));
    texts.push_back(std::to_string(st.frames.load()) + " frames");
  }
  replay::ProducerStats frames{};
  texts.push_back(state_json(runtime().engine(), frames, runtime().registry()));
  try {  // a setup error about credentials names no credential
    live::SessionOptions bad = private_session();
    bad.credentials.secret_key = coinone::Secret();
    LiveRuntime<PrivateRecorder> other(recorder_);
    other.add_session(std::move(bad));
  } catch (const std::exception& e) {
    texts.emplace_back(e.what());
  }
  ASSERT_GT(texts.size(), 6u);
  for (const std::string& t : texts) {
    EXPECT_EQ(t.find(kSecret), std::string::npos) << t;
    EXPECT_EQ(t.find(kAccess), std::string::npos) << t;
  }
}

}  // namespace
}  // namespace mde
