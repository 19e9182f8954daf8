// `mde replay FILE`: runs a capture through the real pipeline (reader thread -> queue -> core
// thread -> strategy) and reports what the engine ended with.
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <memory>
#include <vector>

#include "commands.hpp"
#include "event_text.hpp"
#include "mde/runtime/replay_runtime.hpp"
#include "mde/runtime/state_json.hpp"

namespace mde::tools {

namespace {

// Counts callbacks; allocation-free, like any strategy must be.
struct CountingStrategy {
  std::uint64_t books = 0, trades = 0, orders = 0, assets = 0, status = 0, tickers = 0;
  void on_book(const BookView&) noexcept { ++books; }
  void on_trade(const TradeView&) noexcept { ++trades; }
  void on_order(const OrderView&) noexcept { ++orders; }
  void on_asset(const AssetView&) noexcept { ++assets; }
  void on_status(const StatusView&) noexcept { ++status; }
  void on_ticker(const TickerView&) noexcept { ++tickers; }
};

struct ReplayArgs {
  std::vector<std::string> paths;
  std::string dump_path;
  RunOptions pipeline{};
  bool stats = false;
  bool quiet = false;
};

int usage() {
  std::fputs(
      "usage: mde replay FILE... [--pace max|recorded|Nx] [--stats] [--dump-state OUT.json]\n"
      "                  [--drop] [--queue-capacity N] [--reader-cpu N] [--core-cpu N]\n"
      "                  [--busy-spin] [--quiet]\n"
      "  FILE is a native capture (.mdecap) or a text capture (one frame per line, optionally\n"
      "  '<receive_ns>\\t<frame>'), read as it goes. Several files replay at once, each on its\n"
      "  own reader thread and queue, into one engine.\n",
      stderr);
  return 2;
}

bool parse_int(const char* s, long& out) {
  char* end = nullptr;
  out = std::strtol(s, &end, 10);
  return end != s && *end == '\0';
}

bool parse_args(std::span<char* const> args, ReplayArgs& a) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    auto value = [&]() -> const char* { return i + 1 < args.size() ? args[++i] : nullptr; };
    long n = 0;
    if (arg == "--stats") {
      a.stats = true;
    } else if (arg == "--quiet") {
      a.quiet = true;
    } else if (arg == "--drop") {
      a.pipeline.replay.full_queue = replay::FullQueuePolicy::drop;
    } else if (arg == "--busy-spin") {
      a.pipeline.busy_spin = true;
    } else if (arg == "--pace") {
      const char* v = value();
      const auto pace = v ? replay::parse_pace(v) : std::nullopt;
      if (!pace) return false;
      a.pipeline.replay.pace = *pace;
    } else if (arg == "--dump-state") {
      const char* v = value();
      if (!v) return false;
      a.dump_path = v;
    } else if (arg == "--queue-capacity" || arg == "--reader-cpu" || arg == "--core-cpu") {
      const char* v = value();
      if (!v || !parse_int(v, n)) return false;
      if (arg == "--queue-capacity") {
        if (n < 2) return false;
        a.pipeline.queue_capacity = static_cast<std::size_t>(n);
      } else if (arg == "--reader-cpu") {
        a.pipeline.reader_cpus = {static_cast<int>(n)};
      } else {
        a.pipeline.core_cpu = static_cast<int>(n);
      }
    } else if (!arg.empty() && arg[0] == '-') {
      return false;
    } else {
      a.paths.emplace_back(arg);
    }
  }
  return !a.paths.empty();
}

void print_summary(const Engine<CountingStrategy>& engine, const InstrumentRegistry& registry,
                   const CountingStrategy& s) {
  auto key = [&](InstrumentId id) { return market_key(registry, id); };
  std::printf("books:\n");
  for (InstrumentId id : markets_by_name(registry)) {
    const OrderBook* b = engine.book(id);
    if (!b) continue;
    const auto bid = b->best_bid();
    const auto ask = b->best_ask();
    std::printf("  %-18s %-9s id=%-18" PRIu64 " levels=%zu/%zu  bid %s @ %s | ask %s @ %s\n",
                key(id).c_str(), to_string(b->status()), b->last_id(),
                b->bids().size(), b->asks().size(),
                bid ? bid->qty.to_string().c_str() : "-", bid ? bid->price.to_string().c_str() : "-",
                ask ? ask->qty.to_string().c_str() : "-", ask ? ask->price.to_string().c_str() : "-");
  }
  std::printf("trades:\n");
  for (InstrumentId id : markets_by_name(registry)) {
    const TradeStat* t = engine.trades().find(id);
    if (!t) continue;
    std::printf("  %-18s count=%" PRIu64 " volume=%s notional=%s last=%s @ %s buyer_taker=%" PRIu64
                "\n",
                key(id).c_str(), t->count, t->volume.to_string().c_str(),
                t->notional.to_string().c_str(), std::string(t->last_id.view()).c_str(),
                t->last_price.to_string().c_str(), t->buyer_taker_count);
  }
  std::printf("orders: %zu tracked (%zu active)\n", engine.orders().size(),
              engine.orders().active());
  engine.orders().for_each([&](const Order& o) {
    std::printf("  %s %-8s %-4s %-6s %-16s filled=%s notional=%s fees=%s fills=%u\n",
                std::string(o.order_id.view()).c_str(),
                std::string(registry.name(o.instrument)).c_str(),
                std::string(to_string(o.side)).c_str(),
                std::string(to_string(o.order_type)).c_str(), to_string(o.state),
                o.filled_qty.to_string().c_str(), o.filled_notional.to_string().c_str(),
                o.fees.to_string().c_str(), o.fill_count);
  });
  std::printf("assets:\n");
  for (const Balance& b : engine.balances().all()) {
    std::printf("  %-6s available=%s locked=%s\n", std::string(b.currency.view()).c_str(),
                b.available.to_string().c_str(), b.locked.to_string().c_str());
  }
  std::printf("callbacks: book=%" PRIu64 " trade=%" PRIu64 " order=%" PRIu64 " asset=%" PRIu64
              " ticker=%" PRIu64 " status=%" PRIu64 "\n",
              s.books, s.trades, s.orders, s.assets, s.tickers, s.status);
}

void print_percentiles(const char* stage, const LatencyHistogram& h) {
  if (h.count() == 0) return;
  std::printf("  %-9s p50 %6" PRId64 " ns  p99 %7" PRId64 " ns  p99.9 %8" PRId64
              " ns  max %9" PRId64 " ns  (n=%" PRIu64 ")\n",
              stage, h.percentile(50), h.percentile(99), h.percentile(99.9), h.max(), h.count());
}

void print_stats(const ReplayRuntime<CountingStrategy>& p, const replay::ProducerStats& f,
                 const RunSummary& run) {
  const EngineCounters& c = p.engine().counters();
  const double secs = static_cast<double>(run.elapsed_ns) / 1e9;
  std::printf("stats:\n");
  std::printf("  frames %" PRIu64 " (%" PRIu64 " bytes): data %" PRIu64 ", control %" PRIu64
              ", rejected %" PRIu64 ", dropped %" PRIu64 "\n",
              f.frames, f.bytes, f.data, f.control, f.rejected, f.dropped);
  for (std::size_t i = 0; i < f.rejected_by_reason.size(); ++i) {
    if (f.rejected_by_reason[i] == 0) continue;
    std::printf("    rejected %-22s %" PRIu64 "\n",
                std::string(to_string(static_cast<DecodeStatus>(i))).c_str(),
                f.rejected_by_reason[i]);
  }
  for (std::size_t i = 0; i < f.rejection_samples; ++i) {
    std::printf("    e.g. record %" PRIu64 ": %s\n", f.first_rejections[i].record_index,
                describe(f.first_rejections[i].result).c_str());
  }
  std::printf("  events %" PRIu64 ": books %" PRIu64 " (dropped %" PRIu64 "), trades %" PRIu64
              ", orders %" PRIu64 ", assets %" PRIu64 ", tickers %" PRIu64 ", controls %" PRIu64
              ", resync requests %" PRIu64 "\n",
              c.events, c.books, c.book_updates_dropped, c.trades, c.orders, c.assets, c.tickers,
              c.controls, c.resync_requests);
  std::printf("  elapsed %.3f s: %.0f frames/s, %.1f MB/s\n", secs,
              secs > 0 ? static_cast<double>(f.frames) / secs : 0.0,
              secs > 0 ? static_cast<double>(f.bytes) / secs / 1e6 : 0.0);
  std::printf("  per-stage latency:\n");
  print_percentiles("decode", f.decode);
  print_percentiles("queue hop", p.engine().stages().hop);
  print_percentiles("update", p.engine().stages().update);
  print_percentiles("callback", p.engine().stages().callback);
}

}  // namespace

int run_replay(std::span<char* const> args) {
  ReplayArgs a;
  if (!parse_args(args, a)) return usage();
  a.pipeline.replay.measure = a.stats;

  CountingStrategy strategy;
  std::unique_ptr<ReplayRuntime<CountingStrategy>> runtime;
  try {
    runtime = std::make_unique<ReplayRuntime<CountingStrategy>>(strategy, a.paths, a.pipeline);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mde replay: %s\n", e.what());
    return 1;
  }
  const RunSummary run = runtime->run();
  for (const std::string& f : run.pin_failures) {
    std::fprintf(stderr, "mde replay: cannot pin the %s (running unpinned)\n", f.c_str());
  }
  int status = 0;
  replay::ProducerStats total;
  for (std::size_t k = 0; k < runtime->input_count(); ++k) {
    const ReplayInput& input = runtime->input(k);
    accumulate(total, input.stats());
    if (const std::string damage = input.damage(); !damage.empty()) {
      std::fprintf(stderr, "mde replay: %s: %s; everything before it was replayed\n",
                   input.name().c_str(), damage.c_str());
      status = 1;
    }
  }
  const Engine<CountingStrategy>& engine = runtime->engine();
  const InstrumentRegistry& registry = runtime->registry();
  if (!a.quiet) print_summary(engine, registry, strategy);
  if (a.stats) print_stats(*runtime, total, run);
  if (!a.dump_path.empty()) {
    std::ofstream out(a.dump_path, std::ios::binary | std::ios::trunc);
    out << state_json(engine, total, registry);
    if (!out) {
      std::fprintf(stderr, "mde replay: cannot write %s\n", a.dump_path.c_str());
      return 1;
    }
  }
  return status;
}

}  // namespace mde::tools
