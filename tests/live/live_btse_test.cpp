// BTSE spot sessions over real loopback TLS against the in-process simulator (port 0), through the
// whole LiveRuntime: books on an OSS session, trades on a main session, ping/pong, the gap and
// crossed-book resyncs (unsubscribe + subscribe -> fresh snapshot -> live), refused and unacked
// topics reported with their topic, reconnects, and Coinone beside BTSE in one runtime.
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

// What reached the strategy, per instrument, readable from the test thread while the runtime runs.
struct BtseRecorder {
  static constexpr std::size_t kIds = 64;
  struct FeedError {
    std::string topic, message;
    std::int64_t code;
  };

  std::atomic<std::uint64_t> books[kIds] = {};
  std::atomic<std::uint64_t> trades[kIds] = {};
  std::atomic<std::uint64_t> last_id[kIds] = {};  // the book's last applied seqNum
  std::atomic<std::uint64_t> lives[kIds] = {};    // transitions into live
  std::atomic<std::uint64_t> stales[kIds][kStaleReasonCount] = {};
  std::atomic<std::uint64_t> pongs{0}, subscribed{0};

  void on_book(const BookView& b) noexcept {
    if (b.instrument >= kIds) return;
    last_id[b.instrument].store(b.book.last_id(), std::memory_order_relaxed);
    books[b.instrument].fetch_add(1, std::memory_order_relaxed);
  }
  void on_trade(const TradeView& t) noexcept {
    if (t.instrument < kIds) trades[t.instrument].fetch_add(1, std::memory_order_relaxed);
  }
  void on_status(const StatusView& s) noexcept {
    if (s.subject == StatusSubject::book && s.instrument < kIds) {
      if (s.current == BookStatus::live && s.previous != BookStatus::live) {
        lives[s.instrument].fetch_add(1, std::memory_order_relaxed);
      } else if (s.reason != StaleReason::none) {
        stales[s.instrument][static_cast<std::size_t>(s.reason)].fetch_add(1, std::memory_order_relaxed);
      }
      return;
    }
    if (s.subject != StatusSubject::feed || s.control == nullptr) return;
    if (s.control->type == ControlType::pong) pongs.fetch_add(1, std::memory_order_relaxed);
    if (s.control->type == ControlType::subscribed) subscribed.fetch_add(1, std::memory_order_relaxed);
    if (s.control->type == ControlType::error) {
      const std::lock_guard lock(mutex_);  // test code: the core thread may take a lock here
      errors_.push_back({std::string(s.control->topic.view()), std::string(s.control->message.view()),
                         s.control->error_code});
    }
  }

  [[nodiscard]] std::vector<FeedError> errors() const {
    const std::lock_guard lock(mutex_);
    return errors_;
  }
  [[nodiscard]] bool has_error_for(std::string_view topic) const {
    for (const FeedError& e : errors()) {
      if (e.topic == topic) return true;
    }
    return false;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<FeedError> errors_;
};

class LiveBtse : public live_test::SimulatorFixture<BtseRecorder> {
 protected:
  LiveBtse() : SimulatorFixture("btse") {}
  void SetUp() override { start_sim({.seed = 21, .rate = 4000}); }

  live::SessionOptions session(const std::string& url,
                               std::vector<live::BtseSubscription> subs) const {
    live::SessionOptions o = live_test::session_to(*sim_, url, Venue::btse);
    o.btse_subscriptions = std::move(subs);
    return o;
  }
  live::SessionOptions books(std::vector<std::string> markets) const {
    std::vector<live::BtseSubscription> subs;
    for (std::string& m : markets) subs.push_back({Channel::book, std::move(m)});
    return session(sim_->btse_oss_url(), std::move(subs));
  }
  live::SessionOptions trades(std::vector<std::string> markets) const {
    std::vector<live::BtseSubscription> subs;
    for (std::string& m : markets) subs.push_back({Channel::trade, std::move(m)});
    return session(sim_->btse_main_url(), std::move(subs));
  }

  InstrumentId id(const char* market) { return SimulatorFixture::id(Venue::btse, market); }
  std::uint64_t books_of(const char* market) {
    const InstrumentId i = id(market);
    return i < BtseRecorder::kIds ? recorder_.books[i].load() : 0;
  }
  std::uint64_t trades_of(const char* market) {
    const InstrumentId i = id(market);
    return i < BtseRecorder::kIds ? recorder_.trades[i].load() : 0;
  }
  std::uint64_t lives_of(const char* market) {
    const InstrumentId i = id(market);
    return i < BtseRecorder::kIds ? recorder_.lives[i].load() : 0;
  }
  std::uint64_t stales_of(const char* market, StaleReason why) {
    const InstrumentId i = id(market);
    return i < BtseRecorder::kIds ? recorder_.stales[i][static_cast<std::size_t>(why)].load() : 0;
  }

  // Stops the market data, waits until the engine applied the simulator's last seqNum for
  // `market`, stops the runtime and compares the engine's book with the simulator's.
  void expect_engine_book_equals_simulator(const char* market) {
    sim_->pause_market_data(true);
    const sim::BtseBookState sim_book = sim_->btse_book(market);
    const InstrumentId i = id(market);
    ASSERT_LT(i, BtseRecorder::kIds);
    ASSERT_TRUE(wait_until([&] { return recorder_.last_id[i].load() == sim_book.seq; }))
        << "engine at " << recorder_.last_id[i].load() << ", simulator at " << sim_book.seq;
    runtime().stop();
    const OrderBook* book = runtime().engine().book(i);
    ASSERT_NE(book, nullptr);
    EXPECT_EQ(book->status(), BookStatus::live);
    ASSERT_EQ(book->bids().size(), sim_book.bids.size());
    ASSERT_EQ(book->asks().size(), sim_book.asks.size());
    for (std::size_t k = 0; k < sim_book.bids.size(); ++k) {
      EXPECT_EQ(book->bids()[k].price, sim_book.bids[k].price) << k;
      EXPECT_EQ(book->bids()[k].qty, sim_book.bids[k].qty) << k;
    }
    for (std::size_t k = 0; k < sim_book.asks.size(); ++k) {
      EXPECT_EQ(book->asks()[k].price, sim_book.asks[k].price) << k;
      EXPECT_EQ(book->asks()[k].qty, sim_book.asks[k].qty) << k;
    }
  }
};

TEST_F(LiveBtse, BooksOnTheOssSessionAndTradesOnTheMainSessionFillTheEngine) {
  runtime().add_session(books({"BTC-USD", "ETH-USD"}));
  runtime().add_session(trades({"BTC-USD", "ETH-USD"}));
  runtime().start();
  ASSERT_TRUE(wait_until([&] {
    return books_of("BTC-USD") >= 3 && books_of("ETH-USD") >= 3 && trades_of("BTC-USD") >= 1 &&
           trades_of("ETH-USD") >= 1;
  })) << "btc books " << books_of("BTC-USD") << ", eth trades " << trades_of("ETH-USD");
  for (std::size_t k = 0; k < 2; ++k) {
    const live::SessionStats& st = runtime().session(k).stats();
    EXPECT_EQ(st.decode_errors.load(), 0u) << k;
    EXPECT_EQ(st.subscriptions_failed.load(), 0u) << k;
    EXPECT_EQ(st.connects.load(), 1u) << k;
  }
  EXPECT_EQ(recorder_.subscribed.load(), 4u);  // one subscribed control per acked topic
  EXPECT_EQ(books_of("SOL-USD"), 0u);           // served, never subscribed
  EXPECT_EQ(lives_of("BTC-USD"), 1u);
  expect_engine_book_equals_simulator("BTC-USD");
  EXPECT_TRUE(recorder_.errors().empty());
}

TEST_F(LiveBtse, PlainTextPingsAreAnsweredWithPong) {
  live::SessionOptions o = trades({"BTC-USD"});
  o.timers.ping_interval = 20ms;
  runtime().add_session(std::move(o));
  runtime().start();
  ASSERT_TRUE(wait_until([&] { return recorder_.pongs.load() >= 3; }));
  EXPECT_GE(runtime().session(0).stats().pings_sent.load(), 3u);
  EXPECT_GE(sim_->stats().pings.load(), 3u);
  EXPECT_EQ(runtime().session(0).stats().decode_errors.load(), 0u);
}

TEST_F(LiveBtse, AGapMakesTheSessionResubscribeAndTheBookComesBackLive) {
  runtime().add_session(books({"BTC-USD", "ETH-USD"}));
  runtime().start();
  ASSERT_TRUE(wait_until([&] { return lives_of("BTC-USD") == 1 && books_of("BTC-USD") >= 3; }));
  const std::uint64_t subscribes = sim_->stats().subscribes.load();
  sim_->btse_skip_sequence("BTC-USD");
  ASSERT_TRUE(wait_until([&] {
    return stales_of("BTC-USD", StaleReason::gap) >= 1 && lives_of("BTC-USD") >= 2;
  })) << "gap stales " << stales_of("BTC-USD", StaleReason::gap) << ", lives "
      << lives_of("BTC-USD");
  EXPECT_GE(runtime().session(0).stats().resync_requests.load(), 1u);
  EXPECT_GE(sim_->stats().subscribes.load(), subscribes + 1);  // the topic, subscribed again
  EXPECT_EQ(stales_of("ETH-USD", StaleReason::gap), 0u);       // the other market never moved
  EXPECT_EQ(lives_of("ETH-USD"), 1u);
  expect_engine_book_equals_simulator("BTC-USD");
}

TEST_F(LiveBtse, ACrossedBookMakesTheSessionResubscribeAndTheBookComesBackLive) {
  runtime().add_session(books({"BTC-USD"}));
  runtime().start();
  ASSERT_TRUE(wait_until([&] { return lives_of("BTC-USD") == 1 && books_of("BTC-USD") >= 3; }));
  sim_->btse_cross_book("BTC-USD");
  ASSERT_TRUE(wait_until([&] {
    return stales_of("BTC-USD", StaleReason::crossed) >= 1 && lives_of("BTC-USD") >= 2;
  })) << "crossed stales " << stales_of("BTC-USD", StaleReason::crossed);
  EXPECT_GE(runtime().session(0).stats().resync_requests.load(), 1u);
  expect_engine_book_equals_simulator("BTC-USD");
}

TEST_F(LiveBtse, AnUnknownMarketReachesOnStatusAsAnErrorNamingItsTopic) {
  runtime().add_session(books({"BTCC-USD", "BTC-USD"}));
  runtime().start();
  ASSERT_TRUE(wait_until([&] {
    return recorder_.has_error_for("update:BTCC-USD_0") && books_of("BTC-USD") >= 2;
  }));
  const auto errors = recorder_.errors();
  ASSERT_EQ(errors.size(), 1u);  // the venue's error frame; not reported twice
  EXPECT_EQ(errors[0].code, 1000);
  EXPECT_EQ(errors[0].message, "Market pair provided is currently not supported.");
  EXPECT_EQ(runtime().session(0).stats().subscriptions_failed.load(), 1u);
  EXPECT_EQ(lives_of("BTC-USD"), 1u);  // the good topic in the same request is served
}

TEST_F(LiveBtse, ABookTopicLeftOutOfTheAckIsReportedAsAFailedSubscription) {
  // Book topics belong on OSS: the main endpoint leaves them out of its ack and stays silent.
  live::SessionOptions o = session(sim_->btse_main_url(),
                                   {{Channel::book, "BTC-USD"}, {Channel::trade, "BTC-USD"}});
  runtime().add_session(std::move(o));
  runtime().start();
  ASSERT_TRUE(wait_until([&] {
    return recorder_.has_error_for("update:BTC-USD_0") && trades_of("BTC-USD") >= 1;
  }));
  const auto errors = recorder_.errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, 0);
  EXPECT_NE(errors[0].message.find("ack"), std::string::npos) << errors[0].message;
  EXPECT_EQ(runtime().session(0).stats().subscriptions_failed.load(), 1u);
  EXPECT_EQ(books_of("BTC-USD"), 0u);
}

TEST_F(LiveBtse, ASubscriptionNeverAcknowledgedIsReportedOnceTheAckTimeoutPasses) {
  // A peer that never acks BTSE requests: the simulator's Coinone path answers them with its own
  // ERROR frames, which are no BTSE ack.
  live::SessionOptions o = session(sim_->coinone_public_url(), {{Channel::book, "BTC-USD"}});
  o.timers.subscribe_ack_timeout = 100ms;
  runtime().add_session(std::move(o));
  runtime().start();
  ASSERT_TRUE(wait_until([&] { return recorder_.has_error_for("update:BTC-USD_0"); }));
  const auto errors = recorder_.errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("subscribe_ack_timeout"), std::string::npos) << errors[0].message;
  EXPECT_EQ(runtime().session(0).stats().subscriptions_failed.load(), 1u);
  EXPECT_EQ(runtime().session(0).stats().connects.load(), 1u);  // reported, not reconnected
}

TEST_F(LiveBtse, ADroppedConnectionIsReconnectedResubscribedAndItsBooksGoStaleThenLive) {
  runtime().add_session(books({"BTC-USD"}));
  runtime().add_session(trades({"BTC-USD"}));
  runtime().start();
  ASSERT_TRUE(wait_until([&] { return lives_of("BTC-USD") == 1 && trades_of("BTC-USD") >= 1; }));
  const std::uint64_t trades_before = trades_of("BTC-USD");
  sim_->drop_connections();
  ASSERT_TRUE(wait_until([&] {
    return stales_of("BTC-USD", StaleReason::reconnect) >= 1 && lives_of("BTC-USD") >= 2 &&
           runtime().session(0).stats().connects.load() >= 2 &&
           runtime().session(1).stats().connects.load() >= 2 &&
           trades_of("BTC-USD") > trades_before;
  })) << "reconnect stales " << stales_of("BTC-USD", StaleReason::reconnect) << ", lives "
      << lives_of("BTC-USD");
  EXPECT_GE(sim_->stats().drops.load(), 2u);
  EXPECT_GE(runtime().session(0).stats().disconnects.load(), 1u);
  expect_engine_book_equals_simulator("BTC-USD");
}

TEST_F(LiveBtse, CoinoneAndBtseSessionsRunInOneRuntime) {
  live::SessionOptions coinone;
  coinone.endpoint = live::parse_wss_url(sim_->coinone_public_url());
  coinone.tls.ca_file = sim_->ca_file().string();
  coinone.subscriptions = {{Channel::book, "XRP", "KRW", coinone::WireFormat::short_format}};
  runtime().add_session(std::move(coinone));
  runtime().add_session(books({"ETH-USD"}));
  runtime().add_session(trades({"ETH-USD"}));
  runtime().start();
  const InstrumentRegistry& reg = runtime().registry();
  ASSERT_TRUE(wait_until([&] {
    const auto xrp = reg.find(Venue::coinone, "XRP-KRW");
    return xrp && *xrp < BtseRecorder::kIds && recorder_.books[*xrp].load() >= 3 &&
           books_of("ETH-USD") >= 3 && trades_of("ETH-USD") >= 1;
  }));
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(runtime().session(k).stats().decode_errors.load(), 0u) << k;
  }
  EXPECT_FALSE(reg.find(Venue::btse, "XRP-KRW"));  // identity is per venue
}

}  // namespace
}  // namespace mde
