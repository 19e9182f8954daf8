// `mde replay FILE`: runs a capture through the real pipeline (reader thread -> queue -> core
// thread -> strategy) and reports what the engine ended with.
#include <sched.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "commands.hpp"
#include "event_text.hpp"
#include "mde/feeds/capture/capture_writer.hpp"
#include "output_file.hpp"
#include "pipeline/replay_pipeline.hpp"
#include "sample/capture_io.hpp"
#include "state_dump.hpp"

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
  std::string path;
  std::string dump_path;
  PipelineOptions pipeline{};
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

// Pins a short-lived thread to `cpu` to learn whether the pipeline's thread can be pinned there;
// reports and unpins (-1) when it cannot.
void check_cpu(int& cpu, const char* thread) {
  if (cpu < 0) return;
  ThreadStatus status = ThreadStatus::ok;
  std::thread([&] { status = pin_current_thread(cpu); }).join();
  if (status == ThreadStatus::ok) return;
  std::fprintf(stderr, "mde replay: cannot pin the %s thread to CPU %d (%s); it runs unpinned\n",
               thread, cpu, std::string(to_string(status)).c_str());
  cpu = -1;
}

// Text captures are converted to a native file first (setup, not timed), so the replay path
// is always the native reader. The temporary lives in $TMPDIR and is unlinked as soon as the
// reader has it open.
bool open_capture(const std::string& path, sample::CaptureSource& source,
                  capture::CaptureReader& reader) {
  if (!source.open(path)) {
    std::fprintf(stderr, "mde replay: %s\n", source.error().c_str());
    return false;
  }
  if (source.form() == sample::CaptureForm::native) {
    reader = std::move(source.native());
    return true;
  }
  const char* dir = std::getenv("TMPDIR");
  std::string tmpl =
      std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/mde-replay-XXXXXX";
  const int fd = mkstemp(tmpl.data());
  if (fd < 0) {
    std::fprintf(stderr, "mde replay: cannot create a temporary file in %s\n", tmpl.c_str());
    return false;
  }
  ::close(fd);
  struct Unlink {
    const std::string& p;
    ~Unlink() { ::unlink(p.c_str()); }
  } unlink_temp{tmpl};
  capture::CaptureWriter writer;
  if (writer.open(tmpl) != capture::WriteStatus::ok) {
    std::fprintf(stderr, "mde replay: cannot write %s\n", tmpl.c_str());
    return false;
  }
  capture::CaptureRecord rec;
  while (source.next(rec)) {
    if (writer.try_append(rec.receive_ns, rec.connection, rec.frame.text(), rec.venue) !=
        capture::WriteStatus::ok) {
      std::fprintf(stderr, "mde replay: writing %s failed\n", tmpl.c_str());
      return false;
    }
  }
  if (source.text().failed()) {
    std::fprintf(stderr, "mde replay: %s: %s\n", path.c_str(), source.end_report().c_str());
    return false;
  }
  if (writer.try_close() != capture::WriteStatus::ok) return false;
  if (const auto err = reader.open(tmpl); err != capture::OpenError::ok) {
    std::fprintf(stderr, "mde replay: %s: %s\n", tmpl.c_str(),
                 std::string(to_string(err)).c_str());
    return false;
  }
  return true;
}

void print_summary(const Engine<CountingStrategy>& engine, const InstrumentRegistry& registry,
                   const CountingStrategy& s) {
  std::printf("books:\n");
  for (InstrumentId id : markets_by_name(registry)) {
    const OrderBook* b = engine.book(id);
    if (!b) continue;
    const auto bid = b->best_bid();
    const auto ask = b->best_ask();
    std::printf("  %-10s %-9s id=%-18" PRIu64 " levels=%zu/%zu  bid %s @ %s | ask %s @ %s\n",
                std::string(registry.name(id)).c_str(), to_string(b->status()), b->last_id(),
                b->bids().size(), b->asks().size(),
                bid ? bid->qty.to_string().c_str() : "-", bid ? bid->price.to_string().c_str() : "-",
                ask ? ask->qty.to_string().c_str() : "-", ask ? ask->price.to_string().c_str() : "-");
  }
  std::printf("trades:\n");
  for (InstrumentId id : markets_by_name(registry)) {
    const TradeStat* t = engine.trades().find(id);
    if (!t) continue;
    std::printf("  %-10s count=%" PRIu64 " volume=%s notional=%s last=%s @ %s buyer_taker=%" PRIu64
                "\n",
                std::string(registry.name(id)).c_str(), t->count, t->volume.to_string().c_str(),
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

void print_stats(const ReplayPipeline<CountingStrategy>& p) {
  const replay::ProducerStats& f = p.producer();
  const EngineCounters& c = p.engine().counters();
  const double secs = static_cast<double>(p.elapsed_ns()) / 1e9;
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

int run_replay(ReplayArgs& a) {
  a.pipeline.replay.measure = a.stats;
  check_cpu(a.pipeline.reader_cpu, "reader");
  check_cpu(a.pipeline.core_cpu, "core");

  sample::CaptureSource source;
  capture::CaptureReader reader;
  if (!open_capture(a.path, source, reader)) return kExitFailed;
  if (!a.dump_path.empty()) {
    if (std::string error;
        sample::refuse_same_file(a.dump_path, a.path, source.identity(), error)) {
      std::fprintf(stderr, "mde replay: %s\n", error.c_str());
      return kExitFailed;
    }
  }
  const capture::TextReadStats text_stats = source.form() == sample::CaptureForm::text
                                                ? source.text().stats()
                                                : capture::TextReadStats{};

  InstrumentRegistry registry;
  CountingStrategy strategy;
  ReplayPipeline<CountingStrategy> pipeline(reader, registry, strategy, a.pipeline);
  pipeline.run();

  bool clean = true;
  const capture::CaptureStop& stop = reader.stop();
  if (!stop.clean()) {
    clean = false;
    std::fprintf(stderr,
                 "mde replay: capture stopped early at byte %" PRIu64 " (record %" PRIu64
                 "): %s; everything before it was replayed\n",
                 stop.offset, stop.record_index, std::string(to_string(stop.reason)).c_str());
  }
  if (text_stats.bad_total() > 0) {
    clean = false;
    std::fprintf(stderr, "mde replay: %s: %s; every other line was replayed\n", a.path.c_str(),
                 sample::describe_bad_lines(text_stats).c_str());
  }
  if (!a.quiet) print_summary(pipeline.engine(), registry, strategy);
  if (a.stats) print_stats(pipeline);
  if (!a.dump_path.empty()) {
    OutputFile output;
    bool written = output.create(a.dump_path);
    if (written) {
      std::ofstream out(output.temp_path(), std::ios::binary | std::ios::trunc);
      out << state_json(pipeline.engine(), pipeline.producer(), registry);
      out.close();
      written = static_cast<bool>(out) && output.commit();
    }
    if (!written) {
      std::fprintf(stderr, "mde replay: cannot write %s: %s\n", a.dump_path.c_str(),
                   output.error().empty() ? "write failed" : output.error().c_str());
      return kExitFailed;
    }
  }
  return clean ? kExitOk : kExitFailed;
}

}  // namespace

Command add_replay(CLI::App& app) {
  auto a = std::make_shared<ReplayArgs>();
  CLI::App* cmd = app.add_subcommand(
      "replay",
      "Run a capture through the full pipeline (reader thread -> queue -> core thread -> "
      "strategy) and print the final books, trades, orders and balances");
  cmd->add_option("FILE", a->path,
                  "Native capture (.mdecap) or text capture (one frame per line); '-' reads "
                  "standard input")
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
                  "Write the final state as JSON (through a temporary file renamed into place)");
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
  cmd->add_option("--reader-cpu", a->pipeline.reader_cpu,
                  "CPU for the reader thread (-1: unpinned)")
      ->check(CLI::Range(-1, kMaxCpu))
      ->capture_default_str();
  cmd->add_option("--core-cpu", a->pipeline.core_cpu, "CPU for the core thread (-1: unpinned)")
      ->check(CLI::Range(-1, kMaxCpu))
      ->capture_default_str();
  cmd->add_flag("--busy-spin", a->pipeline.busy_spin, "Pure busy-spin on the core thread");
  cmd->add_flag("--quiet", a->quiet, "No final-state listing (with --stats: figures only)");
  cmd->footer(
      "Exit: 0 when the whole capture replayed; 1 when it could not be read, was damaged "
      "(replayed up to the damage) or had bad lines (counted and skipped); 2 usage.");
  return [a] { return run_replay(*a); };
}

}  // namespace mde::tools
