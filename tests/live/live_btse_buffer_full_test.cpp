// A BTSE client that cannot keep up: the venue closes it with 1007 ("User message buffer is
// full", protocols.md B2) rather than buffering without bound, and the session comes back on its
// own: reconnect, resubscribe, fresh snapshot, book live again. Over real loopback TLS against
// the in-process simulator, whose backlog limit is made small so the test is quick.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>

#include "live/live_test_support.hpp"
#include "live/sim_session_support.hpp"

namespace mde {
namespace {

using namespace std::chrono_literals;
using live_test::wait_until;

// A strategy that stops the core thread while `hold` is set (each call spins at most 5 s, so a
// broken test cannot hang), which fills the session's queue, then TCP, then the venue's buffer.
struct HoldingRecorder {
  std::atomic<bool> hold{true};
  std::atomic<std::uint64_t> books{0}, stales{0}, lives_after_stale{0};
  bool saw_stale_ = false;  // core thread only

  void on_book(const BookView&) noexcept {
    books.fetch_add(1, std::memory_order_relaxed);
    const auto until = std::chrono::steady_clock::now() + 5s;
    while (hold.load(std::memory_order_acquire) && std::chrono::steady_clock::now() < until) {
    }
  }
  void on_trade(const TradeView&) noexcept {}
  void on_status(const StatusView& s) noexcept {
    if (s.subject != StatusSubject::book) return;
    if (s.current == BookStatus::live && s.previous != BookStatus::live && saw_stale_) {
      lives_after_stale.fetch_add(1, std::memory_order_relaxed);
    } else if (s.current != BookStatus::live && s.previous == BookStatus::live) {
      saw_stale_ = true;
      stales.fetch_add(1, std::memory_order_relaxed);
    }
  }
};

class LiveBtseBufferFull : public live_test::SimulatorFixture<HoldingRecorder> {
 protected:
  LiveBtseBufferFull() : SimulatorFixture("btse-buffer-full") {}
};

TEST_F(LiveBtseBufferFull, ASlowClientIsClosedWith1007AndItsBookComesBackLive) {
  start_sim({.seed = 41, .rate = 40'000, .max_backlog = 256});
  live::SessionOptions o =
      live_test::session_to(*sim_, sim_->btse_oss_url(), Venue::btse);
  o.btse_subscriptions = {{Channel::book, "BTC-USD"}};
  runtime({.queue_capacity = 16}).add_session(o);
  runtime().start();

  // The core thread is held from the first book on: the simulator's backlog for this client
  // passes 256 frames and it closes the connection.
  ASSERT_TRUE(wait_until([&] { return sim_->stats().slow_closes.load() >= 1; }, 20s))
      << "books seen " << recorder_.books.load();
  recorder_.hold.store(false, std::memory_order_release);

  const live::SessionStats& stats = runtime().session(0).stats();
  ASSERT_TRUE(wait_until(
      [&] {
        return stats.last_close_code.load() == 1007 && recorder_.lives_after_stale.load() >= 1;
      },
      20s))
      << "close code " << stats.last_close_code.load() << ", last failure "
      << live::to_string(stats.last_failure.load()) << ", watchdog " << stats.watchdog_fires.load()
      << ", sim slow closes " << sim_->stats().slow_closes.load() << ", disconnects "
      << stats.disconnects.load() << ", lives after stale " << recorder_.lives_after_stale.load();
  EXPECT_GE(stats.disconnects.load(), 1u);
  EXPECT_GE(recorder_.stales.load(), 1u);
  EXPECT_EQ(stats.decode_errors.load(), 0u);
}

}  // namespace
}  // namespace mde
