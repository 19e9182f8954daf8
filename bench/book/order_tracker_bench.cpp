// OrderTracker benchmarks, beside a std::unordered_map tracker (the alternative a user would
// write: string keys, a set of trade-id strings per order).
//
//  BM_OrderEvent/fill_new/*       a fill with a new trade id on one of 1024 open orders (lookup,
//                                 dedupe miss in both memories, exact totals, remember the id).
//  BM_OrderEvent/fill_repeat/mde  the same trade id again (Coinone's trade_done): dedupe hit.
//  BM_OrderEvent/lifecycle/mde    wait -> trade -> trade_done on a new order each iteration in a
//                                 full table, so every new order evicts the oldest finished one;
//                                 items = 3 events per iteration.
//  BM_OrderEvent/build_only       writing the order id and a fresh trade id into the reused event,
//                                 which the fill figures include.
//  BM_OrderEventLatency/fill_new  per-event latency (fenced rdtsc), p50..max as counters.
//
// Every benchmark checks the tracker's counters after its loop (each fill counted exactly once,
// each repeat recognised) and reports an error otherwise.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "book/book_bench_support.hpp"
#include "mde/book/order_tracker.hpp"
#include "mde/core/clock.hpp"
#include "support/jsonl_frames.hpp"  // fail()

namespace mde::bench {
namespace {

constexpr std::size_t kOpenOrders = 1024;
constexpr std::size_t kCapacity = 4096;

// prefix + 16 hex digits of n: unique ids without formatting costs worth mentioning.
inline void hex_id(ExchangeId& id, char prefix, std::uint64_t n) noexcept {
  char buf[17];
  buf[0] = prefix;
  for (int i = 16; i >= 1; --i) {
    buf[i] = "0123456789abcdef"[n & 15];
    n >>= 4;
  }
  (void)id.assign(std::string_view(buf, sizeof(buf)));
}

EventHeader header() {
  EventHeader h{};
  h.receive_ns = 1;
  h.exchange_ns = 1;
  h.instrument = 1;
  h.kind = EventKind::order;
  return h;
}

OrderEvent base_event(OrderEventType type) {
  OrderEvent e{};
  e.order_id.clear();
  e.trade_id.clear();
  e.client_order_id.clear();
  e.venue_status.clear();
  e.type = type;
  e.side = Side::buy;
  e.order_type = OrderType::limit;
  e.executed_price = Decimal::from_integer(6'244'000);
  e.executed_qty = Decimal::from_mantissa(1'000'000);  // 0.01
  e.executed_fee = Decimal{};
  e.present = kTradeId | kExecutedPrice | kExecutedQty | kExecutedFee;
  return e;
}

std::vector<ExchangeId> open_order_ids() {
  std::vector<ExchangeId> ids(kOpenOrders);
  for (std::size_t i = 0; i < kOpenOrders; ++i) hex_id(ids[i], 'o', i);
  return ids;
}

void open_all(OrderTracker& t, const std::vector<ExchangeId>& ids) {
  OrderEvent e = base_event(OrderEventType::open);
  e.present = 0;
  for (const ExchangeId& id : ids) {
    e.order_id = id;
    if (!t.apply(header(), e).created) fail("open order not created");
  }
}

void BM_FillNewMde(benchmark::State& state) {
  const auto ids = open_order_ids();
  OrderTracker t(kCapacity);
  open_all(t, ids);
  const EventHeader h = header();
  OrderEvent e = base_event(OrderEventType::fill);
  std::uint64_t n = 0;
  for (auto _ : state) {
    e.order_id = ids[n & (kOpenOrders - 1)];
    hex_id(e.trade_id, 't', n++);
    benchmark::DoNotOptimize(t.apply(h, e));
  }
  if (t.counters().fills_counted != n || t.active() != kOpenOrders) {
    state.SkipWithError("a fill was not counted exactly once");
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_FillRepeatMde(benchmark::State& state) {
  const auto ids = open_order_ids();
  OrderTracker t(kCapacity);
  open_all(t, ids);
  const EventHeader h = header();
  OrderEvent e = base_event(OrderEventType::filled);
  e.order_id = ids[7];
  hex_id(e.trade_id, 't', 7);
  (void)t.apply(h, e);  // counted once here; every timed apply is the repeat
  for (auto _ : state) benchmark::DoNotOptimize(t.apply(h, e));
  if (t.counters().fills_counted != 1 ||
      t.counters().duplicate_fills != static_cast<std::uint64_t>(state.iterations())) {
    state.SkipWithError("a repeat was counted");
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_LifecycleMde(benchmark::State& state) {
  OrderTracker t(kCapacity);
  const EventHeader h = header();
  OrderEvent open = base_event(OrderEventType::open);
  open.present = 0;
  OrderEvent fill = base_event(OrderEventType::fill);
  OrderEvent done = base_event(OrderEventType::filled);
  std::uint64_t n = 0;
  // Fill the table with finished orders first, so the timed part is the steady state.
  auto one_order = [&] {
    hex_id(open.order_id, 'o', n);
    fill.order_id = done.order_id = open.order_id;
    hex_id(fill.trade_id, 't', n++);
    done.trade_id = fill.trade_id;
    benchmark::DoNotOptimize(t.apply(h, open));
    benchmark::DoNotOptimize(t.apply(h, fill));
    benchmark::DoNotOptimize(t.apply(h, done));
  };
  for (std::size_t i = 0; i < kCapacity; ++i) one_order();
  for (auto _ : state) one_order();
  if (t.counters().fills_counted != n || t.counters().duplicate_fills != n ||
      t.counters().evicted != n - kCapacity || t.counters().table_full != 0) {
    state.SkipWithError("lifecycle counters wrong");
  }
  state.SetItemsProcessed(3 * state.iterations());
}

void BM_BuildOnly(benchmark::State& state) {
  const auto ids = open_order_ids();
  OrderEvent e = base_event(OrderEventType::fill);
  std::uint64_t n = 0;
  for (auto _ : state) {
    e.order_id = ids[n & (kOpenOrders - 1)];
    hex_id(e.trade_id, 't', n++);
    benchmark::DoNotOptimize(e);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}

// The baseline: string-keyed hash maps. Its per-order trade set is cleared past 64 ids so that
// memory stays bounded over a long run (the same kind of bound the tracker documents).
class NaiveTracker {
 public:
  bool apply(const OrderEvent& e) {
    Order& o = orders_[std::string(e.order_id.view())];
    if (e.type != OrderEventType::fill && e.type != OrderEventType::filled) return false;
    if (!o.trades.insert(std::string(e.trade_id.view())).second) return false;
    if (o.trades.size() > 64) o.trades.clear();
    o.qty = Decimal::from_mantissa(o.qty.mantissa() + e.executed_qty.mantissa());
    Notional fill{};
    (void)checked_multiply(e.executed_price, e.executed_qty, fill);
    o.notional = Notional::from_mantissa(o.notional.mantissa() + fill.mantissa());
    ++fills_;
    return true;
  }
  [[nodiscard]] std::uint64_t fills() const { return fills_; }

 private:
  struct Order {
    Decimal qty{};
    Notional notional{};
    std::unordered_set<std::string> trades;
  };
  std::unordered_map<std::string, Order> orders_;
  std::uint64_t fills_ = 0;
};

void BM_FillNewNaive(benchmark::State& state) {
  const auto ids = open_order_ids();
  NaiveTracker t;
  const EventHeader h = header();
  benchmark::DoNotOptimize(h);
  OrderEvent e = base_event(OrderEventType::fill);
  std::uint64_t n = 0;
  for (auto _ : state) {
    e.order_id = ids[n & (kOpenOrders - 1)];
    hex_id(e.trade_id, 't', n++);
    benchmark::DoNotOptimize(t.apply(e));
  }
  if (t.fills() != n) state.SkipWithError("a fill was not counted exactly once");
  state.SetItemsProcessed(state.iterations());
}

void BM_FillLatencyMde(benchmark::State& state) {
  constexpr std::size_t kOps = 1 << 20;
  constexpr std::size_t kBatch = LatencySamples::kBatch;
  const TscCalibration tsc = TscCalibration::measure();
  const auto ids = open_order_ids();
  const EventHeader h = header();
  std::vector<OrderEvent> batch(kBatch, base_event(OrderEventType::fill));
  for (auto _ : state) {
    OrderTracker t(kCapacity);
    open_all(t, ids);
    LatencySamples samples(kOps);
    std::uint64_t n = 0;
    auto prepare = [&](OrderEvent& e) {  // outside the timed region
      e.order_id = ids[n & (kOpenOrders - 1)];
      hex_id(e.trade_id, 't', n++);
    };
    for (std::size_t k = 0; k < kOps; ++k) {
      prepare(batch[0]);
      const std::uint64_t t0 = fenced_tsc();
      benchmark::DoNotOptimize(t.apply(h, batch[0]));
      samples.add(fenced_tsc() - t0);
    }
    for (std::size_t b = 0; b < kOps / kBatch; ++b) {
      for (OrderEvent& e : batch) prepare(e);
      const std::uint64_t t0 = fenced_tsc();
      for (const OrderEvent& e : batch) benchmark::DoNotOptimize(t.apply(h, e));
      samples.add_batch(fenced_tsc() - t0);
    }
    if (t.counters().fills_counted != 2 * kOps) state.SkipWithError("a fill was not counted");
    samples.report(state, tsc);
  }
}

BENCHMARK(BM_FillNewMde)->Name("BM_OrderEvent/fill_new/mde");
BENCHMARK(BM_FillNewNaive)->Name("BM_OrderEvent/fill_new/unordered_map");
BENCHMARK(BM_FillRepeatMde)->Name("BM_OrderEvent/fill_repeat/mde");
BENCHMARK(BM_LifecycleMde)->Name("BM_OrderEvent/lifecycle/mde");
BENCHMARK(BM_BuildOnly)->Name("BM_OrderEvent/build_only");
BENCHMARK(BM_FillLatencyMde)->Name("BM_OrderEventLatency/fill_new/mde")->Iterations(1);

}  // namespace
}  // namespace mde::bench

BENCHMARK_MAIN();
