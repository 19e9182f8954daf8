// `mde replay FILE...`: runs captures through the real pipeline (one reader thread and queue per
// input -> core thread -> strategy, mde::ReplayRuntime) and reports what the engine ended with.
#include <sched.h>
#include <signal.h>

#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "state_file.hpp"
#include "event_text.hpp"
#include "mde/runtime/replay_runtime.hpp"
#include "mde/runtime/state_json.hpp"
#include "mde/sample/capture_io.hpp"
#include "mde/sample/output_file.hpp"
#include "progress.hpp"

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

// Queue capacity bounds: a power of two; 2^20 events of 2112 bytes is already 2.2 GB.
constexpr std::size_t kMaxQueueCapacity = std::size_t{1} << 20;
// The slowest pace: the schedule (offset / factor) must fit int64 ns, and at 0.001x a capture may
// span 106 days before it would not.
constexpr double kMinPaceFactor = 0.001;
constexpr int kMaxCpu = CPU_SETSIZE - 1;

std::string check_pace(const std::string& text) {
  const auto pace = replay::parse_pace(text);
  if (!pace) return "expected max, recorded or <factor>x with 0 < factor <= 1e9 (e.g. 10x, 0.5x)";
  if (pace->mode == replay::PaceMode::recorded && !(pace->speed >= kMinPaceFactor)) {
    return "factors below 0.001x would overflow the replay schedule (int64 ns)";
  }
  return {};
}

std::string check_queue_capacity(const std::string& text) {
  std::size_t n = 0;
  if (!CLI::detail::lexical_cast(text, n) || n < 2 || n > kMaxQueueCapacity ||
      (n & (n - 1)) != 0) {
    return "expected a power of two from 2 to " + std::to_string(kMaxQueueCapacity) +
           " (events of " + std::to_string(sizeof(Event)) + " bytes)";
  }
  return {};
}

// SIGINT / SIGTERM during a run: the first asks the runtime to stop (one relaxed store, safe in
// a handler) so the summary and --dump-state are still written; a second one ends the process
// (the output cleanup handler, restored here, removes any temporary).
std::atomic<ReplayRuntime<CountingStrategy>*> g_running{nullptr};
volatile sig_atomic_t g_signal = 0;

extern "C" void on_replay_signal(int sig) {
  g_signal = sig;
  if (ReplayRuntime<CountingStrategy>* rt = g_running.load(std::memory_order_relaxed)) rt->stop();
  sample::install_output_cleanup();
}

void install_stop_handler() {
  struct sigaction sa {};
  sa.sa_handler = on_replay_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

// Runs the runtime on its own thread while this one draws the progress of every input.
RunSummary run_with_progress(ReplayRuntime<CountingStrategy>& runtime) {
  std::uint64_t size = 0;
  for (std::size_t k = 0; k < runtime.input_count(); ++k) size += runtime.input(k).progress().size;
  Progress progress("replay", size);
  if (!progress.enabled()) return runtime.run();
  RunSummary summary;
  std::atomic<bool> done{false};
  std::thread worker([&] {
    summary = runtime.run();
    done.store(true, std::memory_order_release);
  });
  while (!done.load(std::memory_order_acquire)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::uint64_t bytes = 0, frames = 0;
    for (std::size_t k = 0; k < runtime.input_count(); ++k) {
      const InputProgress p = runtime.input(k).progress();
      bytes += p.bytes;
      frames += p.frames;
    }
    progress.poll(bytes, frames);
  }
  worker.join();
  progress.finish();
  return summary;
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
    std::printf("  %-14s available=%s locked=%s\n", venue_key(b.venue, b.currency.view()).c_str(),
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
  if (c.rejected_notices != 0) {
    // A rejected frame was a lost update for the book or private stream it was for.
    std::printf("    books or private streams a rejected frame made stale: %" PRIu64 "\n",
                c.rejected_notices);
  }
  std::printf("  events %" PRIu64 ": books %" PRIu64 " (dropped %" PRIu64 "), trades %" PRIu64
              ", orders %" PRIu64 ", assets %" PRIu64 ", tickers %" PRIu64 ", controls %" PRIu64
              ", resync requests %" PRIu64 "\n",
              c.events, c.books, c.book_updates_dropped, c.trades, c.orders, c.assets, c.tickers,
              c.controls, c.resync_requests);
  // Events the decoder accepted but the order tracker or the balances refused (a fill of a
  // negative quantity, a negative balance, a full order table): counted there, shown here.
  if (c.orders_refused != 0 || c.assets_refused != 0) {
    std::printf("    refused: orders %" PRIu64, c.orders_refused);
    for (std::size_t i = 0; i < kOrderApplyCount; ++i) {
      if (i == static_cast<std::size_t>(OrderApply::applied) || c.order_results[i] == 0) continue;
      std::printf(" (%s %" PRIu64 ")", to_string(static_cast<OrderApply>(i)), c.order_results[i]);
    }
    std::printf(", assets %" PRIu64 "\n", c.assets_refused);
  }
  std::printf("  elapsed %.3f s: %.0f frames/s, %.1f MB/s\n", secs,
              secs > 0 ? static_cast<double>(f.frames) / secs : 0.0,
              secs > 0 ? static_cast<double>(f.bytes) / secs / 1e6 : 0.0);
  std::printf("  per-stage latency:\n");
  print_percentiles("decode", f.decode);
  print_percentiles("queue hop", p.engine().stages().hop);
  print_percentiles("update", p.engine().stages().update);
  print_percentiles("callback", p.engine().stages().callback);
}


int run_replay(ReplayArgs& a) {
  a.pipeline.replay.measure = a.stats;
  for (const std::string& path : a.paths) {
    const sample::FileIdentity input = path == "-" ? sample::identity_of_fd(0)
                                                   : sample::identity_of_path(path);
    if (std::string error;
        !a.dump_path.empty() && sample::refuse_same_file(a.dump_path, path, input, error)) {
      std::fprintf(stderr, "mde replay: %s\n", error.c_str());
      return kExitFailed;
    }
  }

  CountingStrategy strategy;
  std::unique_ptr<ReplayRuntime<CountingStrategy>> runtime;
  try {
    runtime = std::make_unique<ReplayRuntime<CountingStrategy>>(strategy, a.paths, a.pipeline);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mde replay: %s\n", e.what());
    return kExitFailed;
  }
  g_running.store(runtime.get(), std::memory_order_relaxed);
  install_stop_handler();
  const RunSummary run = run_with_progress(*runtime);
  g_running.store(nullptr, std::memory_order_relaxed);
  for (const std::string& f : run.pin_failures) {
    std::fprintf(stderr, "mde replay: cannot pin the %s (running unpinned)\n", f.c_str());
  }
  int status = kExitOk;
  replay::ProducerStats total;
  for (std::size_t k = 0; k < runtime->input_count(); ++k) {
    const ReplayInput& input = runtime->input(k);
    accumulate(total, input.stats());
    if (const std::string damage = input.damage(); !damage.empty()) {
      std::fprintf(stderr, "mde replay: %s: %s\n",
                   input.name().c_str(), damage.c_str());
      status = kExitFailed;
    }
  }
  if (run.interrupted) {
    std::fprintf(stderr, "mde replay: interrupted (%s); what was read before it is reported\n",
                 g_signal == SIGTERM ? "SIGTERM" : "SIGINT");
  }
  const Engine<CountingStrategy>& engine = runtime->engine();
  const InstrumentRegistry& registry = runtime->registry();
  if (!a.quiet) print_summary(engine, registry, strategy);
  if (a.stats) print_stats(*runtime, total, run);
  std::fflush(stdout);
  if (!a.dump_path.empty() &&
      !write_state_file("mde replay", a.dump_path, state_json(engine, total, registry),
                        run.interrupted)) {
    return kExitFailed;
  }
  if (run.interrupted) return 128 + (g_signal != 0 ? static_cast<int>(g_signal) : SIGINT);
  return status;
}

}  // namespace

Command add_replay(CLI::App& app) {
  auto a = std::make_shared<ReplayArgs>();
  CLI::App* cmd = app.add_subcommand(
      "replay",
      "Run captures through the full pipeline (one reader thread and queue per input -> core "
      "thread -> strategy) and print the final books, trades, orders and balances");
  cmd->add_option("FILE", a->paths,
                  "Native (.mdecap) or text captures (one frame per line), read as they go; '-' "
                  "reads standard input. Several files replay at once, each on its own reader "
                  "thread and queue, into one engine.")
      ->required();
  cmd->add_option_function<std::string>(
         "--pace", [a](const std::string& v) { a->pipeline.replay.pace = *replay::parse_pace(v); },
         "max (flat out), recorded, or <factor>x of the recorded pace (0.001x to 1e9x)")
      ->check(CLI::Validator([](std::string& v) { return check_pace(v); },
                             "max|recorded|<factor>x", "PACE"))
      ->default_str("max");
  cmd->add_flag("--stats", a->stats,
                "Frames, events, rejections by reason, frames/s, MB/s and per-stage latency");
  cmd->add_option("--dump-state", a->dump_path,
                  "Write the final state as JSON (through a temporary file renamed into place; "
                  "marked \"interrupted\" when the run was stopped by a signal)");
  cmd->add_flag_callback(
      "--drop", [a] { a->pipeline.replay.full_queue = replay::FullQueuePolicy::drop; },
      "A full queue drops and counts events and marks what they touched stale (default: "
      "back-pressure)");
  cmd->add_option("--queue-capacity", a->pipeline.queue_capacity,
                  "Queue size in events: a power of two from 2 to " +
                      std::to_string(kMaxQueueCapacity))
      ->check(CLI::Validator([](std::string& v) { return check_queue_capacity(v); },
                             "POWER-OF-TWO", "QUEUE"))
      ->capture_default_str();
  cmd->add_option_function<int>(
         "--reader-cpu", [a](int cpu) { a->pipeline.reader_cpus = {cpu}; },
         "CPU for the reader threads (-1: unpinned)")
      ->check(CLI::Range(-1, kMaxCpu))
      ->default_str("0");
  cmd->add_option("--core-cpu", a->pipeline.core_cpu, "CPU for the core thread (-1: unpinned)")
      ->check(CLI::Range(-1, kMaxCpu))
      ->capture_default_str();
  cmd->add_flag("--busy-spin", a->pipeline.busy_spin, "Pure busy-spin on the core thread");
  cmd->add_flag("--quiet", a->quiet, "No final-state listing (with --stats: figures only)");
  cmd->footer(
      "Exit: 0 when every capture replayed in full; 1 when one could not be read, was damaged "
      "(replayed up to the damage) or had bad lines (counted and skipped); 2 usage; 130/143 when "
      "stopped by SIGINT/SIGTERM (the summary and --dump-state still cover what was replayed).");
  return [a] { return run_replay(*a); };
}

}  // namespace mde::tools
