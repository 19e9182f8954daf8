// mde live: runs the engine on the live connections a TOML file describes (LiveConfig), with the
// sample strategy's view, until --duration passes or SIGINT/SIGTERM; then the end-of-run figures
// and, with --dump-state, the final state in the same JSON as `mde replay --dump-state`.
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "commands.hpp"
#include "live_printer.hpp"
#include "live_run_support.hpp"
#include "mde/runtime/live_config.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/runtime/state_json.hpp"
#include "state_file.hpp"

namespace mde::tools {
namespace {

struct LiveArgs {
  std::string config;
  double duration = 0;  // 0: until a signal
  std::string dump_path;
  bool plain = false;
};

// The frame counts of every session in the shape the state dump shares with replay. After
// LiveRuntime::stop() only: it reads the I/O threads' own counters.
replay::ProducerStats frame_totals_after_stop(const std::vector<SessionRow>& rows) {
  replay::ProducerStats total;
  for (const SessionRow& r : rows) {
    const live::SessionStats& s = r.session->stats();
    const PublisherStats& handed = r.session->publisher_stats_after_io_ended();
    total.data += handed.data;
    total.control += handed.control;
    total.frames += s.frames.load();
    total.bytes += s.bytes.load();
    total.rejected += s.decode_errors.load();
    for (std::size_t i = 0; i < total.rejected_by_reason.size(); ++i) {
      total.rejected_by_reason[i] += s.decode_errors_by_reason[i].load();
    }
    total.resync_requests += s.resync_requests.load();
  }
  return total;
}

// A session that never connected, or that its venue stopped for good (4280: the credentials were
// refused), failed the run, whatever the others did: each is named on stderr. The number of them.
int report_failed_sessions(const std::vector<SessionRow>& rows) {
  int failed = 0;
  for (const SessionRow& r : rows) {
    const live::SessionStats& s = r.session->stats();
    if (s.stopped_by_venue.load()) {
      std::fprintf(stderr, "mde live: session %s was stopped by the venue (close code %u)\n",
                   r.name.c_str(), static_cast<unsigned>(s.last_close_code.load()));
      ++failed;
    } else if (s.connects.load() == 0) {
      std::fprintf(stderr, "mde live: session %s never connected (last failure: %s)\n",
                   r.name.c_str(), live::to_string(s.last_failure.load()));
      ++failed;
    }
  }
  return failed;
}

int run_live(const LiveArgs& a) {
  LiveConfig config = load_live_config(a.config);  // throws with file:line on a bad file
  ViewStrategy strategy;
  LiveRunOptions run = config.run;
  run.engine.measure_stages = true;
  run.record_path = config.record_path;  // [runtime] record: every inbound frame, a writer thread
  LiveRuntime<ViewStrategy> runtime(strategy, run);
  std::vector<SessionRow> rows;
  for (LiveSessionConfig& s : config.sessions) {
    const std::uint32_t k = runtime.add_session(std::move(s.options), s.io_thread);
    rows.push_back({s.name, &runtime.session(k)});
  }
  LivePrinter printer("mde live", strategy, runtime.registry(), rows,
                      !a.plain && ::isatty(STDOUT_FILENO) == 1);
  StopSignals signals;
  runtime.start();
  for (const std::string& failure : runtime.pin_failures()) {
    std::fprintf(stderr, "mde live: warning: cannot pin %s\n", failure.c_str());
  }
  const double elapsed = printer.run(a.duration, signals, [](double) {});
  runtime.stop();
  printer.final_report(runtime.engine(), elapsed);
  const int failed_sessions = report_failed_sessions(rows);
  if (!a.dump_path.empty() &&
      !write_state_file("mde live", a.dump_path,
                        state_json(runtime.engine(), frame_totals_after_stop(rows), runtime.registry()),
                        signals.received())) {
    return kExitFailed;
  }
  if (signals.received()) return 128 + signals.number();
  return failed_sessions > 0 ? kExitFailed : kExitOk;
}

}  // namespace

Command add_live(CLI::App& app) {
  auto a = std::make_shared<LiveArgs>();
  CLI::App* cmd = app.add_subcommand(
      "live",
      "Run the engine on the live connections a TOML config file describes (venues, URLs, "
      "subscriptions, TLS, timers, pinning; credentials by environment variable or file), showing "
      "books, trades, orders and feed status until --duration passes or SIGINT/SIGTERM.");
  cmd->add_option("--config", a->config, "the TOML configuration file")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--duration", a->duration, "seconds to run; 0 (default) until stopped")
      ->check(CLI::Range(0.0, 31'536'000.0));
  cmd->add_option("--dump-state", a->dump_path,
                  "write the final books, trades, orders and balances as JSON (as mde replay does)");
  cmd->add_flag("--plain", a->plain, "plain periodic lines even on a terminal");
  return [a] { return run_live(*a); };
}

}  // namespace mde::tools
