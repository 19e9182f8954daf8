// A book frame the client's decoder rejects is a lost update for that book, over a live
// connection as in a replay: the book goes stale (reason rejected_frame) and the venue's next
// snapshot makes it live again. The simulator's sixth malformed frame is a well-formed XRP-KRW
// ORDERBOOK with a 9-fractional-digit quantity (Simulator::send_malformed).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <utility>

#include "live/live_test_support.hpp"
#include "live/sim_session_support.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/sim/simulator.hpp"

namespace mde {
namespace {

using live_test::wait_until;

struct RejectionWatcher {
  std::atomic<std::uint64_t> books{0};
  std::atomic<std::uint64_t> stale_by_rejection{0};
  std::atomic<std::uint64_t> live_again{0};

  void on_book(const BookView&) noexcept { books.fetch_add(1, std::memory_order_relaxed); }
  void on_status(const StatusView& s) noexcept {
    if (s.subject != StatusSubject::book) return;
    if (s.current != BookStatus::live && s.reason == StaleReason::rejected_frame) {
      stale_by_rejection.fetch_add(1, std::memory_order_relaxed);
      stale_seen_ = true;
    } else if (s.current == BookStatus::live && stale_seen_) {
      live_again.fetch_add(1, std::memory_order_relaxed);
    }
  }

 private:
  bool stale_seen_ = false;  // core thread only
};

class LiveRejectedBook : public live_test::SimulatorFixture<RejectionWatcher> {
 protected:
  LiveRejectedBook() : SimulatorFixture("rejected-book") {}
  void SetUp() override { start_sim({.seed = 5, .rate = 500}); }
};

TEST_F(LiveRejectedBook, ARejectedBookFrameMakesTheBookStaleAndTheNextSnapshotMakesItLive) {
  LiveRuntime<RejectionWatcher>& rt = runtime();
  live::SessionOptions o = live_test::session_to(*sim_, sim_->coinone_public_url());
  o.subscriptions = {{Channel::book, "XRP", "KRW", coinone::WireFormat::short_format}};
  rt.add_session(std::move(o));
  rt.start();
  ASSERT_TRUE(wait_until([&] { return recorder_.books.load() >= 2; }));
  EXPECT_EQ(recorder_.stale_by_rejection.load(), 0u);

  sim_->send_malformed(6);  // five that name no market, then the XRP-KRW book with 9 digits
  const live::SessionStats& st = rt.session(0).stats();
  ASSERT_TRUE(wait_until([&] { return st.decode_errors.load() >= 6; }));
  ASSERT_TRUE(wait_until([&] { return recorder_.stale_by_rejection.load() >= 1; }))
      << "the rejected ORDERBOOK left XRP-KRW's book live";
  EXPECT_EQ(recorder_.stale_by_rejection.load(), 1u) << "only the frame naming a market counts";
  ASSERT_TRUE(wait_until([&] { return recorder_.live_again.load() >= 1; }))
      << "the next snapshot did not make the book live again";
  rt.stop();  // the engine's counters are the core thread's until it has stopped
  EXPECT_EQ(rt.engine().counters().rejected_notices, 1u);
}

}  // namespace
}  // namespace mde
