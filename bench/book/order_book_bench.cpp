// OrderBook benchmarks, beside a std::map book (the alternative a user would write).
//
//  BM_Snapshot/coinone16/*      replace the whole book with a real 16+16-level Coinone frame
//                               (asks worst-first on the wire); two different frames alternate
//                               so every apply really changes the levels.
//  BM_Snapshot/coinone16_repeat the same levels again under a new id (Coinone's idle repeats).
//  BM_Delta/btse50/*            a BTSE-style stream on a 50-level book: 1-3 level changes per
//                               delta, mostly near the top, inserts that push the 51st level out
//                               with a size-0 delete as BTSE does. `build_only` is the cost of
//                               writing the next delta into the reused BookUpdate, which every
//                               other Delta figure includes.
//  BM_Delta/btse50_10changes/*  the issue's figure: every delta changes exactly 10 levels of the
//                               50-level book (new sizes, deletes, inserts with the window's
//                               delete, prices unique per side, depth geometric with p = 0.2).
//  BM_*Latency/*                per-operation latency (fenced rdtsc around each apply, timer
//                               overhead subtracted), p50/p90/p99/p99.9/max as counters.
//
// Inputs are checked before timing: the Coinone frames come from tests/data through the real
// decoder and must normalise to sorted 16-level sides equal to the std::map book's; the delta
// stream is generated against a reference model and replayed once through both books, which
// must end live and equal to the model. A failed check aborts the run.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "book/book_bench_support.hpp"
#include "mde/book/order_book.hpp"
#include "mde/core/clock.hpp"
#include "mde/core/frame.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/coinone/decoder.hpp"
#include "support/jsonl_frames.hpp"

#ifndef MDE_TEST_DATA_DIR
#error "MDE_TEST_DATA_DIR must point at tests/data"
#endif

namespace mde::bench {
namespace {

// ---- Inputs ----------------------------------------------------------------------------------

// One delta, compact: the timed loop writes it into a reused BookUpdate like a queue pop would.
template <std::size_t N>
struct CompactDeltaN {
  static constexpr std::size_t kMaxOpsPerSide = N;
  std::uint8_t bid_count = 0;
  std::uint8_t ask_count = 0;
  PriceLevel bids[N];
  PriceLevel asks[N];
};
using CompactDelta = CompactDeltaN<6>;     // 1-3 changes (+ window deletes)
using CompactDelta10 = CompactDeltaN<10>;  // exactly 10 level changes

// The shape of a delta stream: `exact` level entries per delta (0: 1-3 changes, 60/27/13 %),
// change depth geometric with p = depth_p.
struct StreamShape {
  int exact = 0;
  double depth_p = 0.35;
};

using Bids = std::map<std::int64_t, std::int64_t, std::greater<>>;
using Asks = std::map<std::int64_t, std::int64_t>;

Decimal tick_price(std::int64_t tick) { return Decimal::from_mantissa(tick * 50'000'000); }
Decimal lot_qty(std::int64_t lots) { return Decimal::from_mantissa(lots * 100'000); }

struct World {
  BookUpdate coinone[2];  // DEFAULT and SHORT XRP-KRW frames of protocols.md A2
  std::vector<BookUpdate> btse_snapshot;  // 50 levels a side: parts of kMaxBookLevels
  std::vector<CompactDelta> deltas;
  std::vector<CompactDelta10> deltas10;
  TscCalibration tsc;
};

template <class Side>
void require_sorted(std::span<const PriceLevel> side, const Side& model, const char* what) {
  if (side.size() != model.size()) fail(std::string(what) + ": level count differs");
  std::size_t i = 0;
  for (const auto& [price, qty] : model) {
    if (!(side[i].price == price && side[i].qty == qty)) fail(std::string(what) + ": differs");
    ++i;
  }
}

void decode_coinone(World& w) {
  const auto lines = read_lines(std::string(MDE_TEST_DATA_DIR) + "/coinone_protocol_frames.jsonl");
  InstrumentRegistry registry;
  coinone::Decoder decoder(registry, coinone::DecoderOptions{.add_unknown_instruments = true});
  PaddedBuffer buffer(1 << 16);
  const std::string_view needles[2][2] = {{R"("response_type":"DATA")", R"("channel":"ORDERBOOK")"},
                                          {R"("r":"DATA")", R"("c":"ORDERBOOK")"}};
  for (int k = 0; k < 2; ++k) {
    if (!buffer.assign(first_line_with(lines, needles[k], "coinone orderbook"))) fail("frame size");
    Event e;
    if (!decoder.decode(buffer.view(), e).ok() || e.header.kind != EventKind::book) {
      fail("coinone orderbook frame did not decode");
    }
    if (e.book.bid_count != 16 || e.book.ask_count != 16) fail("expected 16+16 levels");
    w.coinone[k] = e.book;
  }
  // Both books must normalise the same way the std::map book orders them.
  for (const BookUpdate& u : w.coinone) {
    OrderBook book;
    MapBook map;
    if (book.apply(u) != BookApply::applied || !map.apply(u)) fail("coinone snapshot refused");
    require_sorted(book.bids(), map.bids(), "coinone bids");
    require_sorted(book.asks(), map.asks(), "coinone asks");
  }
}

// A BTSE-like stream: 50 levels a side, tick 0.5, changes concentrated near the top. Prices are
// unique per side within a delta, as the decoder guarantees. The snapshot depends only on the
// seed, so every stream starts from the same book.
// Applies a snapshot given as parts, all with id `id`; returns the last part's result.
template <class Book>
auto apply_parts(Book& book, std::vector<BookUpdate>& parts, std::uint64_t id) {
  for (std::size_t p = 0; p + 1 < parts.size(); ++p) {
    parts[p].id = id;
    (void)book.apply(parts[p]);
  }
  parts.back().id = id;
  return book.apply(parts.back());
}

// Splits a snapshot's wire-order levels into parts of kMaxBookLevels a side, flagged as the BTSE
// decoder flags them.
std::vector<BookUpdate> snapshot_parts(const std::vector<PriceLevel>& bids,
                                       const std::vector<PriceLevel>& asks) {
  const std::size_t longest = std::max(bids.size(), asks.size());
  const std::size_t n = (longest + kMaxBookLevels - 1) / kMaxBookLevels;
  std::vector<BookUpdate> parts(n);
  for (std::size_t p = 0; p < n; ++p) {
    BookUpdate& u = parts[p];
    u = BookUpdate{};
    u.action = BookAction::snapshot;
    u.part_flags = static_cast<std::uint8_t>((p + 1 < n ? kBookPartMore : 0) |
                                             (p > 0 ? kBookPartContinued : 0));
    for (std::size_t i = p * kMaxBookLevels; i < bids.size() && i < (p + 1) * kMaxBookLevels; ++i) {
      u.bids[u.bid_count++] = bids[i];
    }
    for (std::size_t i = p * kMaxBookLevels; i < asks.size() && i < (p + 1) * kMaxBookLevels; ++i) {
      u.asks[u.ask_count++] = asks[i];
    }
  }
  return parts;
}

template <std::size_t N>
std::vector<CompactDeltaN<N>> generate_btse(std::vector<BookUpdate>& s, std::size_t count,
                                            StreamShape shape) {
  using Delta = CompactDeltaN<N>;
  std::mt19937_64 rng(42);
  auto uniform = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  std::geometric_distribution<int> depth_dist(shape.depth_p);
  Bids bids;
  Asks asks;
  for (std::int64_t t = 119'999; bids.size() < 50; --t) {
    if (uniform(0, 9) < 8) bids[t] = uniform(1, 5000);
  }
  for (std::int64_t t = 120'001; asks.size() < 50; ++t) {
    if (uniform(0, 9) < 8) asks[t] = uniform(1, 5000);
  }
  std::vector<PriceLevel> wire_bids, wire_asks;
  for (const auto& [t, q] : bids) wire_bids.push_back({tick_price(t), lot_qty(q)});
  for (auto it = asks.rbegin(); it != asks.rend(); ++it) {  // worst-first, as on the wire
    wire_asks.push_back({tick_price(it->first), lot_qty(it->second)});
  }
  s = snapshot_parts(wire_bids, wire_asks);

  std::vector<std::int64_t> used;  // ticks already in the current delta (either side)
  auto emit = [&used](Delta& d, bool bid, std::int64_t tick, std::int64_t lots) {
    // Decay to pointers before choosing: with GCC 12, `(c ? d.bids : d.asks)[i] = x` on
    // PriceLevel arrays stores into a temporary copy of the array (clang stores into d).
    PriceLevel* levels = bid ? &d.bids[0] : &d.asks[0];
    std::uint8_t& n = bid ? d.bid_count : d.ask_count;
    levels[n++] = {tick_price(tick), lot_qty(lots)};
    used.push_back(tick);
  };
  auto is_used = [&used](std::int64_t tick) {
    return std::find(used.begin(), used.end(), tick) != used.end();
  };
  // One change on one side of the model, recorded into d. `single`: emit one entry at most.
  // Returns false (emitting nothing) when it picked a price already in the delta.
  auto change = [&](Delta& d, bool bid, auto& side, std::int64_t best_other, bool single) {
    const int depth = std::min<int>(depth_dist(rng), static_cast<int>(side.size()) - 1);
    auto it = std::next(side.begin(), depth);
    if (is_used(it->first)) return false;
    const std::int64_t r = uniform(0, 99);
    if (r < 65) {  // new size at an existing level
      it->second = it->second % 5000 + 1;
      emit(d, bid, it->first, it->second);
    } else if (r < 82 && side.size() > 40) {  // a level empties
      emit(d, bid, it->first, 0);
      side.erase(it);
    } else {  // a new level: just better than the best (not crossing) or in the next gap down
      const std::int64_t step = bid ? 1 : -1;
      std::int64_t tick = depth == 0 ? side.begin()->first + step : it->first - step;
      auto worst = std::prev(side.end());
      const bool pushes_out = side.size() >= 50;
      if (side.count(tick) != 0 || is_used(tick) || (bid ? tick >= best_other : tick <= best_other) ||
          (pushes_out && (single || is_used(worst->first)))) {
        it->second = it->second % 5000 + 1;
        emit(d, bid, it->first, it->second);
        return true;
      }
      if (pushes_out) {  // the 51st level leaves the window: the delete comes first
        emit(d, bid, worst->first, 0);
        side.erase(worst);
      }
      side[tick] = uniform(1, 5000);
      emit(d, bid, tick, side[tick]);
    }
    return true;
  };
  std::vector<Delta> deltas(count);
  for (Delta& d : deltas) {
    used.clear();
    auto one = [&](bool single) {
      const bool bid = uniform(0, 1) == 0;
      const int on_side = bid ? d.bid_count : d.ask_count;
      if (on_side + 1 > static_cast<int>(N)) return;
      single = single || on_side + 2 > static_cast<int>(N);
      if (bid) (void)change(d, true, bids, asks.begin()->first, single);
      else (void)change(d, false, asks, bids.begin()->first, single);
    };
    if (shape.exact == 0) {
      const std::int64_t changes = uniform(0, 9) < 6 ? 1 : (uniform(0, 2) < 2 ? 2 : 3);
      for (std::int64_t c = 0; c < changes; ++c) one(false);
    } else {
      while (d.bid_count + d.ask_count < shape.exact) {
        one(d.bid_count + d.ask_count + 2 > shape.exact);
      }
    }
    if (d.bid_count + d.ask_count == 0) fail("empty delta generated");
    if (shape.exact != 0 && d.bid_count + d.ask_count != shape.exact) fail("delta size");
  }

  // Replay once through both books: every delta applies, and both end equal to the model.
  OrderBook book;
  MapBook map;
  if (apply_parts(book, s, 1) != BookApply::applied || !apply_parts(map, s, 1)) {
    fail("btse snapshot refused");
  }
  BookUpdate u;
  std::uint64_t id = 1;
  for (const Delta& d : deltas) {
    u = BookUpdate{};
    u.action = BookAction::delta;
    u.prev_id = id;
    u.id = ++id;
    u.bid_count = d.bid_count;
    u.ask_count = d.ask_count;
    std::memcpy(u.bids, d.bids, sizeof(d.bids));
    std::memcpy(u.asks, d.asks, sizeof(d.asks));
    if (const BookApply r = book.apply(u); r != BookApply::applied) {
      fail(std::string("btse delta refused by OrderBook: ") + to_string(r));
    }
    if (!map.apply(u)) fail("btse delta refused by MapBook");
  }
  std::map<Decimal, Decimal, std::greater<>> bid_dec;
  std::map<Decimal, Decimal> ask_dec;
  for (const auto& [t, q] : bids) bid_dec[tick_price(t)] = lot_qty(q);
  for (const auto& [t, q] : asks) ask_dec[tick_price(t)] = lot_qty(q);
  require_sorted(book.bids(), bid_dec, "btse bids after replay");
  require_sorted(book.asks(), ask_dec, "btse asks after replay");
  if (map.bids() != bid_dec || map.asks() != ask_dec) fail("MapBook differs after replay");
  return deltas;
}

const World& world() {
  static const World* w = [] {
    auto* p = new World;
    decode_coinone(*p);
    p->deltas = generate_btse<6>(p->btse_snapshot, 1 << 14, {});
    p->deltas10 = generate_btse<10>(p->btse_snapshot, 1 << 14, {.exact = 10, .depth_p = 0.2});
    p->tsc = TscCalibration::measure();
    return p;
  }();
  return *w;
}

// Writes delta `d` into the reused update `u` (fixed-size copies: no branch on the counts).
template <std::size_t N>
inline void load_delta(BookUpdate& u, const CompactDeltaN<N>& d, std::uint64_t id) noexcept {
  u.prev_id = id - 1;
  u.id = id;
  u.bid_count = d.bid_count;
  u.ask_count = d.ask_count;
  std::memcpy(u.bids, d.bids, sizeof(d.bids));
  std::memcpy(u.asks, d.asks, sizeof(d.asks));
}

// The delta stream a benchmark replays: 1-3 changes (N = 6) or exactly 10 (N = 10).
template <std::size_t N>
const std::vector<CompactDeltaN<N>>& stream(const World& w) {
  if constexpr (N == 10) {
    return w.deltas10;
  } else {
    return w.deltas;
  }
}

// ---- Snapshots -------------------------------------------------------------------------------

void BM_SnapshotMde(benchmark::State& state) {
  const World& w = world();
  BookUpdate frames[2] = {w.coinone[0], w.coinone[1]};
  OrderBook book;
  std::uint64_t id = 0;
  std::size_t k = 0;
  for (auto _ : state) {
    BookUpdate& u = frames[k];
    u.id = ++id;
    benchmark::DoNotOptimize(book.apply(u));
    k ^= 1;
  }
  if (book.counters().snapshots != static_cast<std::uint64_t>(state.iterations())) {
    state.SkipWithError("snapshot refused");
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_SnapshotRepeatMde(benchmark::State& state) {
  const World& w = world();
  BookUpdate u = w.coinone[0];
  OrderBook book;
  std::uint64_t id = 0;
  for (auto _ : state) {
    u.id = ++id;
    benchmark::DoNotOptimize(book.apply(u));
  }
  if (book.counters().snapshots != static_cast<std::uint64_t>(state.iterations())) {
    state.SkipWithError("snapshot refused");
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_SnapshotMap(benchmark::State& state) {
  const World& w = world();
  BookUpdate frames[2] = {w.coinone[0], w.coinone[1]};
  MapBook book;
  std::uint64_t id = 0;
  std::size_t k = 0;
  for (auto _ : state) {
    BookUpdate& u = frames[k];
    u.id = ++id;
    benchmark::DoNotOptimize(book.apply(u));
    k ^= 1;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_SnapshotLatencyMde(benchmark::State& state) {
  const World& w = world();
  constexpr std::size_t kOps = 1 << 20;
  constexpr std::size_t kBatch = LatencySamples::kBatch;
  std::vector<BookUpdate> batch(kBatch);  // prepared outside the timed region
  for (auto _ : state) {
    OrderBook book;
    LatencySamples samples(kOps);
    std::uint64_t id = 0;
    for (std::size_t i = 0; i < kOps; ++i) {
      BookUpdate& u = batch[i & 1];
      u = w.coinone[i & 1];
      u.id = ++id;
      const std::uint64_t t0 = fenced_tsc();
      benchmark::DoNotOptimize(book.apply(u));
      samples.add(fenced_tsc() - t0);
    }
    for (std::size_t b = 0; b < kOps / kBatch; ++b) {
      for (std::size_t k = 0; k < kBatch; ++k) {
        batch[k] = w.coinone[k & 1];
        batch[k].id = ++id;
      }
      const std::uint64_t t0 = fenced_tsc();
      for (const BookUpdate& u : batch) benchmark::DoNotOptimize(book.apply(u));
      samples.add_batch(fenced_tsc() - t0);
    }
    if (book.counters().snapshots != 2 * kOps) state.SkipWithError("snapshot refused");
    samples.report(state, w.tsc);
  }
}

// ---- Deltas ----------------------------------------------------------------------------------

template <std::size_t N, class Book>
void run_deltas(benchmark::State& state, Book& book) {
  const World& w = world();
  std::vector<BookUpdate> snapshot = w.btse_snapshot;
  BookUpdate u{};
  u.action = BookAction::delta;
  std::uint64_t id = 1;
  (void)apply_parts(book, snapshot, id);
  std::size_t i = 0;
  for (auto _ : state) {
    load_delta(u, stream<N>(w)[i], ++id);
    benchmark::DoNotOptimize(book.apply(u));
    if (++i == stream<N>(w).size()) {  // once per 16384 deltas: start the stream over
      i = 0;
      (void)apply_parts(book, snapshot, ++id);
    }
  }
  state.SetItemsProcessed(state.iterations());
}

template <std::size_t N>
void BM_DeltaMde(benchmark::State& state) {
  OrderBook book;
  run_deltas<N>(state, book);
  if (!book.live() || book.counters().not_live_drops + book.counters().gaps != 0) {
    state.SkipWithError("delta refused");
  }
}

template <std::size_t N>
void BM_DeltaMap(benchmark::State& state) {
  MapBook book;
  run_deltas<N>(state, book);
}

template <std::size_t N>
void BM_DeltaBuildOnly(benchmark::State& state) {
  const World& w = world();
  BookUpdate u{};
  std::uint64_t id = 1;
  std::size_t i = 0;
  for (auto _ : state) {
    load_delta(u, stream<N>(w)[i], ++id);
    benchmark::DoNotOptimize(u);
    benchmark::ClobberMemory();
    if (++i == stream<N>(w).size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

template <std::size_t N>
void BM_DeltaLatencyMde(benchmark::State& state) {
  const World& w = world();
  constexpr std::size_t kOps = 1 << 20;
  constexpr std::size_t kBatch = LatencySamples::kBatch;
  static_assert((1 << 14) % kBatch == 0, "batches must not straddle a stream restart");
  std::vector<BookUpdate> batch(kBatch);  // prepared outside the timed region
  for (auto& u : batch) u.action = BookAction::delta;
  for (auto _ : state) {
    OrderBook book;
    LatencySamples samples(kOps);
    std::vector<BookUpdate> snapshot = w.btse_snapshot;
    std::uint64_t id = 1;
    (void)apply_parts(book, snapshot, id);
    std::size_t i = 0;
    auto restart_if_done = [&] {
      if (i == stream<N>(w).size()) {  // once per 16384 deltas, untimed: start the stream over
        i = 0;
        (void)apply_parts(book, snapshot, ++id);
      }
    };
    for (std::size_t n = 0; n < kOps; ++n) {
      load_delta(batch[0], stream<N>(w)[i++], ++id);
      const std::uint64_t t0 = fenced_tsc();
      benchmark::DoNotOptimize(book.apply(batch[0]));
      samples.add(fenced_tsc() - t0);
      restart_if_done();
    }
    for (std::size_t b = 0; b < kOps / kBatch; ++b) {
      for (BookUpdate& u : batch) load_delta(u, stream<N>(w)[i++], ++id);
      const std::uint64_t t0 = fenced_tsc();
      for (const BookUpdate& u : batch) benchmark::DoNotOptimize(book.apply(u));
      samples.add_batch(fenced_tsc() - t0);
      restart_if_done();
    }
    if (book.counters().deltas != 2 * kOps || !book.live()) state.SkipWithError("delta refused");
    samples.report(state, w.tsc);
  }
}

BENCHMARK(BM_SnapshotMde)->Name("BM_Snapshot/coinone16/mde");
BENCHMARK(BM_SnapshotMap)->Name("BM_Snapshot/coinone16/std_map");
BENCHMARK(BM_SnapshotRepeatMde)->Name("BM_Snapshot/coinone16_repeat/mde");
BENCHMARK(BM_SnapshotLatencyMde)->Name("BM_SnapshotLatency/coinone16/mde")->Iterations(1);
BENCHMARK(BM_DeltaMde<6>)->Name("BM_Delta/btse50/mde");
BENCHMARK(BM_DeltaMap<6>)->Name("BM_Delta/btse50/std_map");
BENCHMARK(BM_DeltaBuildOnly<6>)->Name("BM_Delta/btse50/build_only");
BENCHMARK(BM_DeltaLatencyMde<6>)->Name("BM_DeltaLatency/btse50/mde")->Iterations(1);
BENCHMARK(BM_DeltaMde<10>)->Name("BM_Delta/btse50_10changes/mde");
BENCHMARK(BM_DeltaMap<10>)->Name("BM_Delta/btse50_10changes/std_map");
BENCHMARK(BM_DeltaBuildOnly<10>)->Name("BM_Delta/btse50_10changes/build_only");
BENCHMARK(BM_DeltaLatencyMde<10>)->Name("BM_DeltaLatency/btse50_10changes/mde")->Iterations(1);

}  // namespace
}  // namespace mde::bench
