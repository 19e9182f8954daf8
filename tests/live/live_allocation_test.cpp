// Zero heap allocations on the live hot path: once every session is connected, subscribed and has
// delivered data, neither the I/O thread (TLS read, WebSocket frame, decode, publish) nor the core
// thread (books, trades, tickers, own orders, balances, strategy callbacks) allocates again, for
// Coinone public in both formats, Coinone private, and BTSE books and trades. The simulator runs
// in this process and allocates freely on its own thread: the counter tells threads apart by name.
// The window holds no PING (15-20 s apart); the second test covers writes: they allocate only
// inside OpenSSL 3.0's SSL_write, twice per record (docs/ARCHITECTURE.md).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>

#include "live/live_test_support.hpp"
#include "live/sim_session_support.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/sim/simulator.hpp"
#include "support/alloc_counter.hpp"

namespace mde {
namespace {

using live_test::wait_until;

struct CountingStrategy {
  std::atomic<std::uint64_t> events{0}, books{0}, trades{0}, tickers{0}, orders{0}, assets{0};
  Decimal best_bid_sum{};  // touches the views like a real strategy would

  void on_book(const BookView& v) noexcept {
    if (const auto bid = v.book.best_bid()) (void)checked_add(best_bid_sum, bid->price, best_bid_sum);
    tick(books);
  }
  void on_trade(const TradeView&) noexcept { tick(trades); }
  void on_ticker(const TickerView&) noexcept { tick(tickers); }
  void on_order(const OrderView& v) noexcept {
    (void)v.update.order->filled_qty;
    tick(orders);
  }
  void on_asset(const AssetView&) noexcept { tick(assets); }
  void on_status(const StatusView&) noexcept { events.fetch_add(1, std::memory_order_relaxed); }

 private:
  void tick(std::atomic<std::uint64_t>& kind) noexcept {
    kind.fetch_add(1, std::memory_order_relaxed);
    events.fetch_add(1, std::memory_order_relaxed);
  }
};

class LiveAllocation : public live_test::SimulatorFixture<CountingStrategy> {
 protected:
  LiveAllocation() : SimulatorFixture("alloc") {}
  void SetUp() override { start_sim({.seed = 31, .rate = 4000, .private_rate = 400}); }
};

constexpr auto kShort = coinone::WireFormat::short_format;
constexpr auto kDefault = coinone::WireFormat::default_format;

TEST(LiveAllocationCounter, SeesAnAllocationOnANamedThread) {
  std::uint64_t before = 0, after = 0;
  std::thread t([&] {
    (void)name_current_thread("alloc-probe");
    before = test::allocations_by_threads_named("alloc-probe");  // this call allocates too
    auto* p = new int(42);
    delete p;
    after = test::allocations_by_threads_named("alloc-probe");
  });
  t.join();
  EXPECT_GT(after, before);  // a counter that cannot see an allocation would prove nothing
}

TEST_F(LiveAllocation, TheIoAndCoreThreadsNeverAllocateOnceDataFlows) {
  LiveRuntime<CountingStrategy>& rt = runtime({.queue_capacity = 4096});
  live::SessionOptions coinone = live_test::session_to(*sim_, sim_->coinone_public_url());
  coinone.subscriptions = {{Channel::book, "XRP", "KRW", kShort},
                           {Channel::trade, "XRP", "KRW", kShort},
                           {Channel::ticker, "XRP", "KRW", kShort},
                           {Channel::book, "BTC", "KRW", kDefault},
                           {Channel::trade, "BTC", "KRW", kDefault},
                           {Channel::ticker, "BTC", "KRW", kDefault}};
  rt.add_session(std::move(coinone));
  live::SessionOptions own = live_test::demo_private_session_to(*sim_);
  own.private_subscriptions = {{Channel::orders, {}, "KRW", kShort},
                               {Channel::assets, {}, "KRW", kDefault}};
  rt.add_session(std::move(own));
  live::SessionOptions btse_books = live_test::session_to(*sim_, sim_->btse_oss_url(), Venue::btse);
  btse_books.btse_subscriptions = {{Channel::book, "BTC-USD"}, {Channel::book, "ETH-USD"}};
  rt.add_session(std::move(btse_books));
  live::SessionOptions btse_trades = live_test::session_to(*sim_, sim_->btse_main_url(), Venue::btse);
  btse_trades.btse_subscriptions = {{Channel::trade, "BTC-USD"}, {Channel::trade, "ETH-USD"}};
  rt.add_session(std::move(btse_trades));
  rt.start();

  // Warm-up: every kind of event has arrived, and then some (first-use paths have run).
  const CountingStrategy& s = recorder_;
  ASSERT_TRUE(wait_until(
      [&] {
        return s.books >= 500 && s.trades >= 200 && s.tickers >= 20 && s.orders >= 20 &&
               s.assets >= 5 && s.events >= 3000;
      },
      std::chrono::seconds(20)))
      << "books " << s.books << " trades " << s.trades << " tickers " << s.tickers << " orders "
      << s.orders << " assets " << s.assets;
  const std::uint64_t io_before = test::allocations_by_threads_named("mde-io");
  const std::uint64_t core_before = test::allocations_by_threads_named("mde-core");
  const std::uint64_t events_before = s.events, books_before = s.books, trades_before = s.trades,
                      orders_before = s.orders;
  EXPECT_GT(io_before, 0u);  // the connects allocated on it: the counter does see this thread

  ASSERT_TRUE(wait_until(
      [&] {
        return s.events >= events_before + 10'000 && s.books >= books_before + 2'000 &&
               s.trades >= trades_before + 500 && s.orders >= orders_before + 50;
      },
      std::chrono::seconds(20)));
  EXPECT_EQ(test::allocations_by_threads_named("mde-io") - io_before, 0u)
      << "the I/O thread allocated on the data path";
  EXPECT_EQ(test::allocations_by_threads_named("mde-core") - core_before, 0u)
      << "the core thread allocated on the data path";
  for (std::size_t k = 0; k < rt.session_count(); ++k) {
    EXPECT_EQ(rt.session(k).stats().disconnects.load(), 0u) << "session " << k;
  }
  // The default that makes this hold: TLS 1.2 (OpenSSL 3.0 allocates per TLS 1.3 record).
  EXPECT_EQ(sim_->stats().tls13_handshakes.load(), 0u);
}


// Keepalive writes (PING, `ping`) on a warm connection: our code takes nothing from the heap (the
// outbox reuses its slots, every timer and write operation takes this connection's arena). What
// is left is OpenSSL 3.0's own: SSL_write builds each record header in a WPACKET whose
// bookkeeping it mallocs and frees per record, TLS 1.2 included, and no public API avoids it.
TEST_F(LiveAllocation, KeepaliveWritesAllocateOnlyInsideOpenSslsRecordLayer) {
  LiveRuntime<CountingStrategy>& rt = runtime({.queue_capacity = 4096});
  live::SessionOptions coinone = live_test::session_to(*sim_, sim_->coinone_public_url());
  coinone.subscriptions = {{Channel::trade, "XRP", "KRW", kShort}};
  coinone.timers.ping_interval = std::chrono::milliseconds(2);
  rt.add_session(std::move(coinone));
  live::SessionOptions btse = live_test::session_to(*sim_, sim_->btse_main_url(), Venue::btse);
  btse.btse_subscriptions = {{Channel::trade, "BTC-USD"}};
  btse.timers.ping_interval = std::chrono::milliseconds(3);
  rt.add_session(std::move(btse));
  rt.start();

  const auto pings = [&] {
    return rt.session(0).stats().pings_sent.load() + rt.session(1).stats().pings_sent.load();
  };
  const CountingStrategy& s = recorder_;
  ASSERT_TRUE(wait_until([&] { return s.trades >= 200 && pings() >= 200; },
                         std::chrono::seconds(20)));
  const std::uint64_t io_before = test::allocations_by_threads_named("mde-io");
  const std::uint64_t pings_before = pings();
  ASSERT_TRUE(wait_until([&] { return pings() >= pings_before + 1'000; }, std::chrono::seconds(20)));
  const std::uint64_t io_allocations = test::allocations_by_threads_named("mde-io") - io_before;
  const std::uint64_t written = pings() - pings_before;
  EXPECT_LE(io_allocations, 2 * (written + 2))  // + the writes in flight at both ends
      << "more than OpenSSL's two per record: " << io_allocations << " for " << written << " PINGs";
  for (std::size_t k = 0; k < rt.session_count(); ++k) {
    EXPECT_EQ(rt.session(k).stats().disconnects.load(), 0u) << "session " << k;
  }
}

}  // namespace
}  // namespace mde
