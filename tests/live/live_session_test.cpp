// Coinone sessions over real loopback TLS against the in-process simulator (port 0), through the
// whole LiveRuntime: I/O thread -> queue -> core thread -> Engine -> strategy.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "live/live_test_support.hpp"
#include "live/sim_session_support.hpp"
#include "mde/feeds/live/session.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/sim/simulator.hpp"

namespace mde {
namespace {

using namespace std::chrono_literals;
using live_test::Recorder;
using live_test::wait_until;

class LiveCoinone : public live_test::SimulatorFixture<Recorder> {
 protected:
  LiveCoinone() : SimulatorFixture("session") {}
  void SetUp() override { start_sim({.seed = 11, .rate = 4000}); }

  // A session to the simulator that trusts its certificate, with short test timers.
  live::SessionOptions session(std::vector<live::CoinoneSubscription> subs) const {
    live::SessionOptions o = live_test::session_to(*sim_, sim_->coinone_public_url());
    o.subscriptions = std::move(subs);
    return o;
  }

};

constexpr auto kShort = coinone::WireFormat::short_format;
constexpr auto kDefault = coinone::WireFormat::default_format;

TEST_F(LiveCoinone, SessionsOnTwoIoThreadsBothFeedTheOneEngine) {
  LiveRuntime<Recorder>& rt = runtime({.io_cpus = {-1, -1}});
  rt.add_session(session({{Channel::book, "XRP", "KRW", kShort}}), 0);
  rt.add_session(session({{Channel::book, "BTC", "KRW", kDefault}}), 1);
  EXPECT_THROW(rt.add_session(session({{Channel::book, "ETH", "KRW", kShort}}), 2),
               std::runtime_error);
  rt.start();
  const InstrumentRegistry& reg = rt.registry();
  ASSERT_TRUE(wait_until([&] {
    return recorder_.books_of(reg, "XRP-KRW") >= 2 && recorder_.books_of(reg, "BTC-KRW") >= 2;
  }));
  rt.stop();  // both I/O threads and the core thread join
  EXPECT_EQ(recorder_.connected.load(), 2u);
}

TEST_F(LiveCoinone, TlsIsCappedAt12UnlessTls13IsAllowedAndBothDeliver) {
  live::SessionOptions capped = session({{Channel::book, "XRP", "KRW", kShort}});
  live::SessionOptions modern = session({{Channel::book, "BTC", "KRW", kShort}});
  modern.tls.tls13 = true;
  runtime().add_session(std::move(capped));
  runtime().start();
  const InstrumentRegistry& reg = runtime().registry();
  ASSERT_TRUE(wait_until([&] { return recorder_.books_of(reg, "XRP-KRW") >= 2; }));
  EXPECT_EQ(sim_->stats().tls13_handshakes.load(), 0u);  // the default: TLS 1.2
  runtime().stop();
  runtime_.reset();
  runtime().add_session(std::move(modern));
  runtime().start();
  ASSERT_TRUE(wait_until([&] { return recorder_.books_of(runtime().registry(), "BTC-KRW") >= 2; }));
  EXPECT_EQ(sim_->stats().tls13_handshakes.load(), 1u);
}

TEST_F(LiveCoinone, BooksAndTradesArriveInShortAndInDefaultAndDecode) {
  runtime().add_session(session({{Channel::book, "XRP", "KRW", kShort},
                                 {Channel::trade, "XRP", "KRW", kShort},
                                 {Channel::book, "BTC", "KRW", kDefault},
                                 {Channel::trade, "BTC", "KRW", kDefault}}));
  runtime().start();
  const InstrumentRegistry& reg = runtime().registry();
  ASSERT_TRUE(wait_until([&] {
    return recorder_.books_of(reg, "XRP-KRW") >= 3 && recorder_.books_of(reg, "BTC-KRW") >= 3 &&
           recorder_.trades_of(reg, "XRP-KRW") >= 1 && recorder_.trades_of(reg, "BTC-KRW") >= 1;
  })) << "xrp books " << recorder_.books_of(reg, "XRP-KRW") << ", btc books "
      << recorder_.books_of(reg, "BTC-KRW");
  const live::SessionStats& st = runtime().session(0).stats();
  EXPECT_EQ(st.decode_errors.load(), 0u);
  EXPECT_EQ(recorder_.connected.load(), 1u);
  EXPECT_EQ(recorder_.subscribed.load(), 4u);
  EXPECT_GT(sim_->stats().frames_short.load(), 0u);
  EXPECT_GT(sim_->stats().frames_default.load(), 0u);
  EXPECT_EQ(recorder_.books_of(reg, "ETH-KRW"), 0u);  // never subscribed
  runtime().stop();
  const auto xrp = reg.find(Venue::coinone, "XRP-KRW");
  ASSERT_TRUE(xrp);
  const OrderBook* book = runtime().engine().book(*xrp);
  ASSERT_NE(book, nullptr);
  EXPECT_EQ(book->status(), BookStatus::live);
}

TEST_F(LiveCoinone, KeepalivePingsAreAnsweredWithPong) {
  live::SessionOptions o = session({});
  o.timers.ping_interval = 20ms;
  runtime().add_session(std::move(o));
  runtime().start();
  ASSERT_TRUE(wait_until([&] { return recorder_.pongs.load() >= 3; }));
  EXPECT_GE(runtime().session(0).stats().pings_sent.load(), 3u);
  EXPECT_GE(sim_->stats().pings.load(), 3u);
}

TEST_F(LiveCoinone, TheServerCertificateIsVerified) {
  live::SessionOptions untrusting = session({{Channel::trade, "XRP", "KRW", kDefault}});
  untrusting.tls.ca_file.clear();  // the system store does not know the simulator's CA
  runtime().add_session(std::move(untrusting));
  live::SessionOptions by_name = session({{Channel::trade, "XRP", "KRW", kDefault}});
  by_name.endpoint.host = "localhost";  // checked against the DNS subjectAltName
  runtime().add_session(std::move(by_name));
  runtime().start();
  const live::SessionStats& refused = runtime().session(0).stats();
  const live::SessionStats& trusted = runtime().session(1).stats();
  ASSERT_TRUE(wait_until([&] {
    return refused.failures.load() >= 2 && trusted.connects.load() >= 1 &&
           sim_->stats().tls_failures.load() >= 1;
  }));
  EXPECT_EQ(refused.connects.load(), 0u);
  EXPECT_EQ(refused.last_failure.load(), live::SessionStage::tls_handshake);
  EXPECT_EQ(trusted.failures.load(), 0u);
}

TEST_F(LiveCoinone, ADroppedConnectionIsReconnectedAndResubscribedAndBooksGoLiveAgain) {
  runtime().add_session(session({{Channel::book, "XRP", "KRW", kShort},
                                 {Channel::trade, "XRP", "KRW", kDefault}}));
  runtime().start();
  const InstrumentRegistry& reg = runtime().registry();
  ASSERT_TRUE(wait_until([&] {
    return recorder_.books_of(reg, "XRP-KRW") >= 2 && sim_->stats().subscribes.load() >= 2;
  }));
  const std::uint64_t subscribes_before = sim_->stats().subscribes.load();
  EXPECT_EQ(subscribes_before, 2u);
  sim_->drop_connections();
  const live::SessionStats& st = runtime().session(0).stats();
  ASSERT_TRUE(wait_until([&] {
    return st.connects.load() >= 2 && recorder_.lives_after_reconnect.load() >= 1 &&
           sim_->stats().subscribes.load() >= subscribes_before + 2;
  })) << "connects " << st.connects.load() << ", reconnect stales "
      << recorder_.reconnect_stales.load();
  EXPECT_EQ(st.disconnects.load(), 1u);
  EXPECT_EQ(st.last_failure.load(), live::SessionStage::read);
  EXPECT_EQ(sim_->stats().subscribes.load(), subscribes_before + 2);  // everything again
  EXPECT_GE(recorder_.reconnect_stales.load(), 1u);
  EXPECT_EQ(recorder_.connected.load(), 2u);
}

TEST_F(LiveCoinone, ASilentConnectionIsDeclaredDeadByTheWatchdogAndReconnected) {
  live::SessionOptions o = session({});  // no subscription: nothing arrives after CONNECTED
  o.timers.silence_timeout = 60ms;
  runtime().add_session(std::move(o));
  runtime().start();
  const live::SessionStats& st = runtime().session(0).stats();
  // The venue's CONNECTED frame of the second connection reaching the strategy proves the
  // reconnect went all the way through.
  ASSERT_TRUE(wait_until([&] {
    return st.watchdog_fires.load() >= 1 && recorder_.connected.load() >= 2;
  }));
  EXPECT_EQ(st.last_failure.load(), live::SessionStage::watchdog);
  EXPECT_EQ(st.decode_errors.load(), 0u);
}

TEST_F(LiveCoinone, AnUnknownMarketsErrorReachesTheStrategy) {
  runtime().add_session(session({{Channel::book, "NOPE", "KRW", kShort}}));
  runtime().start();
  ASSERT_TRUE(wait_until([&] { return recorder_.errors.load() >= 1; }));
  EXPECT_EQ(recorder_.last_error_code.load(), 160012);
  EXPECT_EQ(recorder_.subscribed.load(), 1u);  // acked first, as the venue does
}

TEST_F(LiveCoinone, ABadRequestsErrorNamesTheField) {
  live::SessionOptions o = session({});
  o.raw_requests.push_back(
      R"({"request_type":"subscribe","channel":"TRADE","topic":{"quote_currency":"KRW","target_currency":"XRP"}})");
  runtime().add_session(std::move(o));
  runtime().start();
  ASSERT_TRUE(wait_until([&] { return recorder_.errors.load() >= 1; }));
  EXPECT_EQ(recorder_.last_error_code.load(), 160011);
  EXPECT_TRUE(recorder_.error_field_request_type.load());
}

TEST(LiveSessionUrl, ParsesHostPortAndPath) {
  const live::Endpoint e = live::parse_wss_url("wss://127.0.0.1:8443/v1/private");
  EXPECT_EQ(e.host, "127.0.0.1");
  EXPECT_EQ(e.port, "8443");
  EXPECT_EQ(e.target, "/v1/private");
  const live::Endpoint d = live::parse_wss_url("wss://stream.coinone.co.kr");
  EXPECT_EQ(d.port, "443");
  EXPECT_EQ(d.target, "/");
  EXPECT_THROW((void)live::parse_wss_url("ws://x"), std::runtime_error);
  EXPECT_EQ(live::host_header(e), "127.0.0.1:8443");
}

TEST(LiveSessionUrl, AnIpv6LiteralIsReadWithoutItsBracketsAndWrittenWithThemInTheHostHeader) {
  const live::Endpoint e = live::parse_wss_url("wss://[::1]:8443/ws/spot");
  EXPECT_EQ(e.host, "::1");
  EXPECT_EQ(e.port, "8443");
  EXPECT_EQ(e.target, "/ws/spot");
  EXPECT_EQ(live::host_header(e), "[::1]:8443");
  const live::Endpoint d = live::parse_wss_url("wss://[2001:db8::7]");
  EXPECT_EQ(d.host, "2001:db8::7");
  EXPECT_EQ(d.port, "443");
  EXPECT_EQ(d.target, "/");
  EXPECT_THROW((void)live::parse_wss_url("wss://[::1"), std::runtime_error);
  EXPECT_THROW((void)live::parse_wss_url("wss://[::1]x/"), std::runtime_error);
  EXPECT_THROW((void)live::parse_wss_url("wss://[::1]:/"), std::runtime_error);
}

}  // namespace
}  // namespace mde

namespace mde {
namespace {

TEST(LiveSimulatorLimits, AConnectionPastThePerAddressLimitIsClosedWith4290) {
  live_test::TempDir certs("limit");
  sim::Simulator sim({.rate = 100, .cert_dir = certs.path(), .max_connections_per_address = 1});
  sim.start();
  live_test::Recorder recorder;
  {
    LiveRuntime<live_test::Recorder> rt(recorder);
    for (int k = 0; k < 2; ++k) {
      live::SessionOptions o;
      o.endpoint = live::parse_wss_url(sim.coinone_public_url());
      o.tls.ca_file = sim.ca_file().string();
      o.timers.backoff_initial = std::chrono::milliseconds(20);
      rt.add_session(std::move(o));
    }
    rt.start();
    ASSERT_TRUE(live_test::wait_until([&] {
      return sim.stats().limit_closes.load() >= 1 && recorder.connected.load() >= 1 &&
             rt.session(0).stats().failures.load() + rt.session(1).stats().failures.load() >= 1;
    }));
    // Exactly one of the two got in: the other was refused before any CONNECTED frame.
    EXPECT_EQ(recorder.connected.load(), 1u);
  }
  sim.stop();
}

}  // namespace
}  // namespace mde
