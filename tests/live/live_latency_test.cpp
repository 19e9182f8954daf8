// The load-test path over real loopback TLS: the simulator's pre-rendered source and batched
// writes deliver every frame intact, and CallbackLatency times each callback from the frame's read
// and from the simulator's send stamp.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "live/live_test_support.hpp"
#include "mde/book/callback_latency.hpp"
#include "mde/feeds/live/session.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/sim/simulator.hpp"
#include "sim/src/ws_frame.hpp"

namespace mde {
namespace {

using namespace std::chrono_literals;
using live_test::wait_until;

struct TimedStrategy {
  CallbackLatency latency;
  std::atomic<std::uint64_t> books{0}, trades{0};
  std::uint64_t last_trade_id = 0;
  std::uint64_t out_of_order = 0;  // trade ids must only grow (one counter in the source)

  void on_book(const BookView& b) noexcept {
    latency.on_book(b);
    books.fetch_add(1, std::memory_order_relaxed);
  }
  void on_trade(const TradeView& t) noexcept {
    latency.on_trade(t);
    const std::uint64_t id = CallbackLatency::numeric_id(t.trade.id.view());
    if (id <= last_trade_id) ++out_of_order;
    last_trade_id = id;
    trades.fetch_add(1, std::memory_order_relaxed);
  }
};

TEST(SimWsFrame, LengthsUseTheOneTwoAndEightByteForms) {
  std::string out;
  sim::append_ws_text_frame(out, std::string(125, 'a'));
  EXPECT_EQ(out.size(), 2u + 125u);
  EXPECT_EQ(static_cast<unsigned char>(out[0]), 0x81u);
  EXPECT_EQ(static_cast<unsigned char>(out[1]), 125u);
  out.clear();
  sim::append_ws_text_frame(out, std::string(300, 'b'));
  ASSERT_EQ(out.size(), 4u + 300u);
  EXPECT_EQ(static_cast<unsigned char>(out[1]), 126u);
  EXPECT_EQ((static_cast<unsigned char>(out[2]) << 8) | static_cast<unsigned char>(out[3]), 300);
  out.clear();
  sim::append_ws_text_frame(out, std::string(70'000, 'c'));
  ASSERT_EQ(out.size(), 10u + 70'000u);
  EXPECT_EQ(static_cast<unsigned char>(out[1]), 127u);
  EXPECT_EQ(static_cast<unsigned char>(out[7]), (70'000u >> 16) & 0xFF);
  EXPECT_EQ(static_cast<unsigned char>(out[8]), (70'000u >> 8) & 0xFF);
  EXPECT_EQ(static_cast<unsigned char>(out[9]), 70'000u & 0xFF);
}

TEST(LiveLoadPath, PreRenderedFramesInBatchedWritesAllArriveAndEveryCallbackIsTimed) {
  live_test::TempDir dir("latency");
  SendStampTable stamps;
  sim::Simulator sim({.rate = 20'000,
                      .max_frames = 4000,
                      .market_paused = true,
                      .cert_dir = dir.path(),
                      .fast_source = sim::FastSourceOptions{
                          .target = "XRP", .book_every = 4,
                          .format = sim::CoinoneFormat::short_format},
                      .batch_writes = true,
                      .send_stamps = &stamps});
  sim.start();
  auto strategy = std::make_unique<TimedStrategy>();
  strategy->latency.sent = &stamps;
  LiveRuntime<TimedStrategy> rt(*strategy);
  live::SessionOptions o;
  o.endpoint = live::parse_wss_url(sim.coinone_public_url());
  o.tls.ca_file = sim.ca_file().string();
  o.subscriptions = {{Channel::book, "XRP", "KRW", coinone::WireFormat::short_format},
                     {Channel::trade, "XRP", "KRW", coinone::WireFormat::short_format}};
  rt.add_session(o);
  rt.start();
  ASSERT_TRUE(wait_until([&] { return sim.stats().subscribes.load() == 2; }));
  sim.resume_market();
  ASSERT_TRUE(wait_until([&] {
    return sim.stats().market_rounds.load() == 4000 &&
           strategy->books.load() + strategy->trades.load() == sim.stats().frames_short.load();
  })) << strategy->books.load() << " books + " << strategy->trades.load() << " trades of "
      << sim.stats().frames_short.load() << " sent";
  rt.stop();
  sim.stop();
  EXPECT_GT(strategy->trades.load(), 1000u);
  EXPECT_GT(strategy->books.load(), 300u);
  EXPECT_EQ(strategy->out_of_order, 0u);
  EXPECT_EQ(rt.session(0).stats().decode_errors.load(), 0u);
  const std::uint64_t callbacks = strategy->books.load() + strategy->trades.load();
  EXPECT_EQ(strategy->latency.read_to_callback.count(), callbacks);
  EXPECT_EQ(strategy->latency.read_to_callback.clamped(), 0u);
  // Every data frame was stamped when queued (the table holds far more than are in flight).
  EXPECT_EQ(strategy->latency.send_to_callback.count(), callbacks);
  EXPECT_GE(strategy->latency.send_to_callback.percentile(50),
            strategy->latency.read_to_callback.percentile(50));
  EXPECT_LT(strategy->latency.read_to_callback.percentile(50), 100'000'000);  // sane, < 100 ms
}

}  // namespace
}  // namespace mde
