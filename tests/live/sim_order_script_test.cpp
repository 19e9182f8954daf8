// The simulator's own-order script (SimOptions::order_script, `mde sim --orders`): the shipped
// example played to a private session ends with every order in the state its steps imply, as
// the engine's order tracker sees it; mistakes in a script are setup errors with file:line.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>

#include "live/live_test_support.hpp"
#include "live/sim_session_support.hpp"
#include "mde/feeds/live/session.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/sim/order_script.hpp"
#include "mde/sim/simulator.hpp"

namespace mde {
namespace {

using live_test::wait_until;

const std::string kExample =
    MDE_TEST_DATA_DIR "/../../examples/sim/orders.toml";  // in the repository

struct OwnActivity {
  std::atomic<std::uint64_t> orders{0}, assets{0};
  void on_order(const OrderView&) noexcept { orders.fetch_add(1, std::memory_order_relaxed); }
  void on_asset(const AssetView&) noexcept { assets.fetch_add(1, std::memory_order_relaxed); }
};

// The MYASSET frames an order's steps imply: funds locked on wait, each fill, the release on a
// cancel (only of what a wait locked: a stop order cancelled in watch had nothing locked).
std::uint64_t asset_events(const sim::ScriptedOrder& o) {
  std::uint64_t n = 0;
  bool locked = false;
  for (const sim::ScriptStep& s : o.steps) {
    switch (s.kind) {
      case sim::ScriptStepKind::wait:
        locked = true;
        ++n;
        break;
      case sim::ScriptStepKind::trade:
        ++n;
        break;
      case sim::ScriptStepKind::cancel:
      case sim::ScriptStepKind::cancel_post_only:
        n += locked ? 1 : 0;
        break;
      default:
        break;
    }
  }
  return n;
}

struct Expected {
  OrderState state;
  CancelReason reason;
};
Expected expected_state(const sim::ScriptedOrder& o) {
  const sim::ScriptOutcome out = sim::script_outcome(o);
  switch (out.last) {
    case sim::ScriptStepKind::trade_done:
      return {OrderState::filled, CancelReason::none};
    case sim::ScriptStepKind::cancel:
      return {OrderState::cancelled, CancelReason::user};
    case sim::ScriptStepKind::cancel_post_only:
      return {OrderState::cancelled, CancelReason::post_only};
    case sim::ScriptStepKind::trade:
      return {out.filled == o.qty ? OrderState::filled : OrderState::partially_filled,
              CancelReason::none};
    case sim::ScriptStepKind::watch:
      return {OrderState::pending_trigger, CancelReason::none};
    case sim::ScriptStepKind::wait:
      return {OrderState::open, CancelReason::none};
  }
  return {OrderState::unknown, CancelReason::none};
}

TEST(SimOrderScript, TheExampleScriptEndsWithEveryOrderInTheStateItsStepsImply) {
  const sim::OrderScript script = sim::read_order_script(kExample);
  ASSERT_GE(script.orders.size(), 5u);
  std::uint64_t order_frames = 0, asset_frames = 0;
  for (const sim::ScriptedOrder& o : script.orders) {
    order_frames += o.steps.size();
    asset_frames += asset_events(o);
  }

  live_test::TempDir certs("order-script");
  sim::SimOptions so{.seed = 9, .rate = 2000, .cert_dir = certs.path()};
  so.private_rate = 500;
  so.order_script = kExample;
  sim::Simulator sim(std::move(so));
  sim.start();
  OwnActivity seen;
  LiveRuntime<OwnActivity> rt(seen);
  live::SessionOptions o = live_test::session_to(sim, sim.coinone_private_url());
  o.credentials = {coinone::Secret(std::string(sim::kSimDemoAccessToken)),
                   coinone::Secret(std::string(sim::kSimDemoSecretKey))};
  // MYASSET first: the script starts on the MYORDER subscription, and nothing is replayed.
  o.private_subscriptions = {{Channel::assets, {}, "KRW", coinone::WireFormat::default_format},
                             {Channel::orders, {}, "KRW", coinone::WireFormat::short_format}};
  rt.add_session(std::move(o));
  rt.start();
  ASSERT_TRUE(wait_until([&] {
    return seen.orders.load() == order_frames && seen.assets.load() == asset_frames;
  })) << "orders "
      << seen.orders.load() << "/" << order_frames << ", assets " << seen.assets.load() << "/"
      << asset_frames;
  rt.stop();

  const OrderTracker& orders = rt.engine().orders();
  EXPECT_EQ(orders.counters().out_of_order, 0u);
  EXPECT_EQ(orders.counters().malformed, 0u);
  std::size_t checked = 0;
  orders.for_each([&](const Order& order) {
    ASSERT_GE(order.sequence, 1u);
    ASSERT_LE(order.sequence, script.orders.size());
    const sim::ScriptedOrder& s = script.orders[order.sequence - 1];  // played in file order
    const Expected want = expected_state(s);
    EXPECT_EQ(order.state, want.state) << "order " << order.sequence;
    EXPECT_EQ(order.cancel_reason, want.reason) << "order " << order.sequence;
    EXPECT_TRUE(order.filled_qty.mantissa() == sim::script_outcome(s).filled)
        << "order " << order.sequence << " filled "
        << static_cast<long long>(order.filled_qty.mantissa());
    EXPECT_EQ(order.side, s.bid ? Side::buy : Side::sell) << "order " << order.sequence;
    EXPECT_EQ(rt.registry().name(order.instrument), s.market + "-KRW");
    ++checked;
  });
  EXPECT_EQ(checked, script.orders.size());
  const Balance* krw = rt.engine().balances().find(Venue::coinone, "KRW");
  ASSERT_NE(krw, nullptr);
  EXPECT_GT(krw->updates, 0u);
}

// The message of the setup error `text` makes.
std::string script_error(const std::string& text) {
  try {
    (void)sim::parse_order_script(text, "orders.toml");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(SimOrderScript, MistakesAreSetupErrorsNamingFileLineAndOrder) {
  const std::string head =
      "[[order]]\nmarket = \"XRP\"\nside = \"bid\"\nprice = \"800\"\nqty = \"1\"\n";
  EXPECT_EQ(script_error(head + "steps = [\"wait\", \"trade 2\"]\n").rfind("orders.toml:6:", 0), 0u)
      << script_error(head + "steps = [\"wait\", \"trade 2\"]\n");
  EXPECT_NE(script_error(head + "steps = [\"wait\", \"trade 2\"]\n").find("order[0].steps[1]"),
            std::string::npos);
  EXPECT_NE(script_error(head + "steps = [\"wait\", \"trade 0.5\", \"trade_done\"]\n")
                .find("trade_done needs the fills"),
            std::string::npos);
  EXPECT_NE(script_error(head + "steps = [\"cancel_post_only\"]\n").find("post_only = true"),
            std::string::npos);
  EXPECT_NE(
      script_error(head + "steps = [\"wait\", \"cancel\", \"wait\"]\n").find("nothing may follow"),
      std::string::npos);
  EXPECT_NE(script_error(head + "steps = [\"watch\"]\n").find("stop_limit"), std::string::npos);
  EXPECT_NE(script_error(head + "steps = [\"fill\"]\n").find("unknown step"), std::string::npos);
  EXPECT_EQ(script_error(head + "stesp = [\"wait\"]\n").rfind("orders.toml:6:", 0), 0u);
  EXPECT_NE(script_error("[[order]]\nmarket = \"NOPE\"\n").find("not a simulated market"),
            std::string::npos);
  EXPECT_NE(script_error("x = 1\n").find("unknown key"), std::string::npos);
  EXPECT_EQ(script_error("[[order\n").rfind("orders.toml:1:", 0), 0u);
  EXPECT_EQ(script_error(head + "steps = [\"wait\", \"trade\", \"trade_done\"]\n"), "no error");
}

TEST(SimOrderScript, AScriptThatCannotBeReadStopsTheSimulatorAtSetup) {
  live_test::TempDir certs("order-script-bad");
  sim::SimOptions so{.cert_dir = certs.path()};
  so.order_script = (certs.path() / "missing.toml").string();
  EXPECT_THROW(sim::Simulator{std::move(so)}, std::runtime_error);
}

}  // namespace
}  // namespace mde
