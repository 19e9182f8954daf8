// Coinone subscriptions never wait silently: over real loopback TLS against the in-process
// simulator, a SUBSCRIBE refused with ERROR 160010/160011 or never answered reaches on_status as an
// error naming its channel and market, counted once in SessionStats::subscriptions_failed; acked
// subscriptions report nothing; a reconnect forgets what the old connection awaited.
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
#include "mde/sim/simulator.hpp"

namespace mde {
namespace {

using namespace std::chrono_literals;
using live_test::wait_until;
using Clock = std::chrono::steady_clock;

constexpr auto kShort = coinone::WireFormat::short_format;
constexpr auto kDefault = coinone::WireFormat::default_format;

// What reached the strategy: data counts per instrument and every feed error control, readable
// from the test thread while the runtime runs.
struct AckRecorder {
  static constexpr std::size_t kIds = 64;
  struct FeedError {
    std::int64_t code;
    Channel channel;
    InstrumentId instrument;
    std::string topic, field, message;
  };

  std::atomic<std::uint64_t> books[kIds] = {};
  std::atomic<std::uint64_t> assets{0}, connected{0}, error_count{0};

  void on_book(const BookView& b) noexcept {
    if (b.instrument < kIds) books[b.instrument].fetch_add(1, std::memory_order_relaxed);
  }
  void on_asset(const AssetView&) noexcept { assets.fetch_add(1, std::memory_order_relaxed); }
  void on_status(const StatusView& s) noexcept {
    if (s.subject != StatusSubject::feed || s.control == nullptr) return;
    const Control& c = *s.control;
    if (c.type == ControlType::connected) connected.fetch_add(1, std::memory_order_relaxed);
    if (c.type != ControlType::error) return;
    {
      const std::lock_guard lock(mutex_);  // test code: the core thread may take a lock here
      errors_.push_back({c.error_code, c.channel, s.header.instrument, std::string(c.topic.view()),
                         std::string(c.field.view()), std::string(c.message.view())});
    }
    error_count.fetch_add(1, std::memory_order_relaxed);
  }

  [[nodiscard]] std::vector<FeedError> errors() const {
    const std::lock_guard lock(mutex_);
    return errors_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<FeedError> errors_;
};

class LiveCoinoneAcks : public live_test::SimulatorFixture<AckRecorder> {
 protected:
  LiveCoinoneAcks() : SimulatorFixture("acks") {}
  void SetUp() override { start_sim({.seed = 31, .rate = 2000, .private_rate = 400}); }

  live::SessionOptions public_session(std::vector<live::CoinoneSubscription> subs,
                                      std::chrono::milliseconds ack_timeout = 2000ms) const {
    live::SessionOptions o = live_test::session_to(*sim_, sim_->coinone_public_url());
    o.subscriptions = std::move(subs);
    o.timers.subscribe_ack_timeout = ack_timeout;
    return o;
  }

  [[nodiscard]] const live::SessionStats& stats() { return runtime().session(0).stats(); }
  [[nodiscard]] std::uint64_t books_of(const char* market) {
    const auto id = runtime().registry().find(Venue::coinone, market);
    return id && *id < AckRecorder::kIds ? recorder_.books[*id].load() : 0;
  }
};

TEST_F(LiveCoinoneAcks, A160011AnswerFailsThatSubscriptionAndNamesItsMarketAndField) {
  sim_->refuse_next_subscribes(1, 160011, "channel");  // the first SUBSCRIBE sent: XRP's book
  runtime().add_session(public_session({{Channel::book, "XRP", "KRW", kShort},
                                        {Channel::book, "BTC", "KRW", kDefault}}));
  runtime().start();
  ASSERT_TRUE(wait_until([&] { return recorder_.error_count.load() >= 1 && books_of("BTC-KRW") >= 2; }));
  const auto errors = recorder_.errors();
  ASSERT_EQ(errors.size(), 1u);  // the venue's ERROR itself, named: not reported a second time
  EXPECT_EQ(errors[0].code, 160011);
  EXPECT_EQ(errors[0].field, "channel");
  EXPECT_EQ(errors[0].channel, Channel::book);
  EXPECT_EQ(errors[0].topic, "XRP-KRW");  // not the BTC book acked after it
  EXPECT_EQ(stats().subscriptions_failed.load(), 1u);
  EXPECT_EQ(stats().errors.load(), 1u);
  EXPECT_EQ(sim_->stats().subscribes_refused.load(), 1u);
  EXPECT_EQ(books_of("XRP-KRW"), 0u);
}

TEST_F(LiveCoinoneAcks, AnUnansweredSubscriptionIsReportedFailedAtItsDeadline) {
  sim_->ignore_next_subscribes(1);
  runtime().add_session(public_session({{Channel::book, "XRP", "KRW", kShort},
                                        {Channel::book, "BTC", "KRW", kShort}},
                                       300ms));
  const auto started = Clock::now();
  runtime().start();
  ASSERT_TRUE(wait_until([&] { return recorder_.error_count.load() >= 1; }));
  EXPECT_GE(Clock::now() - started, 300ms);  // not before its deadline
  ASSERT_TRUE(wait_until([&] { return books_of("BTC-KRW") >= 2; }));
  const auto errors = recorder_.errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, 0);
  EXPECT_EQ(errors[0].channel, Channel::book);
  EXPECT_EQ(errors[0].topic, "XRP-KRW");
  EXPECT_NE(errors[0].message.find("subscribe_ack_timeout"), std::string::npos) << errors[0].message;
  EXPECT_EQ(stats().subscriptions_failed.load(), 1u);
  EXPECT_EQ(stats().errors.load(), 0u);    // no ERROR frame came: the session's own report
  EXPECT_EQ(stats().connects.load(), 1u);  // reported, not reconnected
  EXPECT_EQ(sim_->stats().subscribes_ignored.load(), 1u);
}

TEST_F(LiveCoinoneAcks, AllAckedSubscriptionsReportNothingAndDataFlows) {
  runtime().add_session(public_session({{Channel::book, "XRP", "KRW", kShort},
                                        {Channel::book, "BTC", "KRW", kDefault},
                                        {Channel::ticker, "ETH", "KRW", kShort},
                                        {Channel::trade, "XRP", "KRW", kDefault}},
                                       200ms));
  runtime().start();
  ASSERT_TRUE(wait_until([&] { return books_of("XRP-KRW") >= 2 && books_of("BTC-KRW") >= 2; }));
  // Well past every deadline, nothing was reported failed.
  EXPECT_FALSE(wait_until([&] { return recorder_.error_count.load() > 0; }, 500ms));
  EXPECT_EQ(stats().subscriptions_failed.load(), 0u);
  EXPECT_EQ(stats().errors.load(), 0u);
}

TEST_F(LiveCoinoneAcks, A160012AfterSubscribedIsCountedOnce) {
  runtime().add_session(public_session({{Channel::trade, "NOPE", "KRW", kShort},
                                        {Channel::book, "XRP", "KRW", kShort}},
                                       200ms));
  runtime().start();
  ASSERT_TRUE(wait_until([&] { return recorder_.error_count.load() >= 1 && books_of("XRP-KRW") >= 2; }));
  // Past the ack deadline: the SUBSCRIBED answered the request, the ERROR is not a second failure.
  EXPECT_FALSE(wait_until([&] { return recorder_.error_count.load() > 1; }, 400ms));
  const auto errors = recorder_.errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, 160012);
  EXPECT_EQ(errors[0].channel, Channel::trade);
  EXPECT_EQ(errors[0].topic, "NOPE-KRW");
  EXPECT_EQ(stats().subscriptions_failed.load(), 1u);
  EXPECT_EQ(stats().errors.load(), 1u);
}

TEST_F(LiveCoinoneAcks, ARefusedPrivateMyorderIsReportedWithItsChannelAndMarkets) {
  sim_->refuse_next_subscribes(1, 160011, "format");
  live::SessionOptions o = live_test::session_to(*sim_, sim_->coinone_private_url());
  o.credentials = {coinone::Secret(std::string(sim::kSimDemoAccessToken)),
                   coinone::Secret(std::string(sim::kSimDemoSecretKey))};
  o.private_subscriptions = {{Channel::orders, {"XRP", "BTC"}, "KRW", kShort},
                             {Channel::assets, {}, "KRW", kDefault}};
  o.timers.subscribe_ack_timeout = 2000ms;
  runtime().add_session(std::move(o));
  runtime().start();
  ASSERT_TRUE(wait_until([&] { return recorder_.error_count.load() >= 1 && recorder_.assets.load() >= 2; }));
  const auto errors = recorder_.errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, 160011);
  EXPECT_EQ(errors[0].field, "format");
  EXPECT_EQ(errors[0].channel, Channel::orders);  // not the MYASSET subscription acked after it
  EXPECT_EQ(errors[0].topic, "XRP-KRW+1");
  EXPECT_EQ(stats().subscriptions_failed.load(), 1u);
}

TEST_F(LiveCoinoneAcks, AReconnectClearsWhatTheOldConnectionAwaited) {
  sim_->ignore_next_subscribes(1);  // the first connection's SUBSCRIBE is never answered
  runtime().add_session(public_session({{Channel::book, "XRP", "KRW", kShort}}, 400ms));
  runtime().start();
  ASSERT_TRUE(wait_until([&] { return sim_->stats().subscribes_ignored.load() == 1; }));
  sim_->drop_connections();  // before its deadline
  ASSERT_TRUE(wait_until([&] { return stats().connects.load() == 2 && books_of("XRP-KRW") >= 2; }));
  // Past the old connection's deadline and the new one's: the new SUBSCRIBED answered all there is.
  EXPECT_FALSE(wait_until([&] { return recorder_.error_count.load() > 0; }, 800ms));
  EXPECT_EQ(stats().subscriptions_failed.load(), 0u);
}

}  // namespace
}  // namespace mde
