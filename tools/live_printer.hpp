// LivePrinter: draws a ViewStrategy's picture while a LiveRuntime runs (tool side: allocates).
// On a terminal it redraws one screen in place; otherwise it prints one plain line per call, so a
// log or a pipe gets readable periodic lines. final_report() prints the end-of-run figures.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "live_run_support.hpp"
#include "live_view.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/live/session.hpp"

namespace mde::tools {

struct SessionRow {
  std::string name;
  const live::LiveSession* session;
};

class LivePrinter {
 public:
  LivePrinter(std::string title, ViewStrategy& view, const InstrumentRegistry& registry,
              std::vector<SessionRow> sessions, bool terminal, std::FILE* out = stdout);

  // One refresh: `elapsed` and `duration` in seconds (duration 0: open-ended).
  void refresh(double elapsed, double duration);
  // Refreshes (4 a second on a terminal, 1 otherwise) until `duration` seconds passed (0: until
  // a stop signal) or a stop signal came; `before_refresh(elapsed)` runs first each time (the
  // demo's scheduled faults). Returns the seconds elapsed.
  template <class BeforeRefresh>
  double run(double duration, const StopSignals& signals, BeforeRefresh before_refresh);
  // A line the viewer should see (a scheduled fault); kept on screen under the picture.
  void note(const std::string& text);
  // After the runtime stopped: counts, per-stage latency, what happened to the feeds.
  template <class EngineT>
  void final_report(const EngineT& engine, double elapsed);

  [[nodiscard]] std::uint64_t frames() const;  // over every session
  [[nodiscard]] bool terminal() const noexcept { return terminal_; }

 private:
  void draw_screen(const ViewPicture& p, double elapsed, double duration, double rate);
  void print_line(const ViewPicture& p, double elapsed, double rate);
  void report_counts(const ViewPicture& p, double elapsed);
  [[nodiscard]] std::string market_name(InstrumentId id) const;

  std::string title_;
  ViewStrategy& view_;
  const InstrumentRegistry& registry_;
  std::vector<SessionRow> sessions_;
  bool terminal_;
  std::FILE* out_;
  ViewPicture picture_{};
  bool have_picture_ = false;
  std::vector<std::string> notes_;
  std::uint64_t last_frames_ = 0;
  double last_elapsed_ = 0;
};

void print_latency_line(std::FILE* out, const char* stage, const LatencyHistogram& h);

template <class BeforeRefresh>
double LivePrinter::run(double duration, const StopSignals& signals, BeforeRefresh before_refresh) {
  const auto started = std::chrono::steady_clock::now();
  const auto period = std::chrono::milliseconds(terminal_ ? 250 : 1000);
  double elapsed = 0;
  while ((duration == 0 || elapsed < duration) && !signals.received()) {
    std::this_thread::sleep_for(period);  // the view's refresh period, not a synchronisation
    elapsed = seconds_since(started);
    before_refresh(elapsed);
    refresh(elapsed, duration);
  }
  return seconds_since(started);
}

template <class EngineT>
void LivePrinter::final_report(const EngineT& engine, double elapsed) {
  const ViewPicture& p = view_.final_picture();
  report_counts(p, elapsed);
  const EngineCounters& c = engine.counters();
  // The engine counts the venue's CONNECTED frames on a connection that had one (Coinone sends
  // them, BTSE does not); the sessions' own reconnects are on the lines above.
  std::fprintf(out_,
               "engine: events %llu, book updates rejected %llu, orders refused %llu, "
               "venue CONNECTED again %llu, resync requests %llu\n",
               static_cast<unsigned long long>(c.events),
               static_cast<unsigned long long>(c.book_updates_dropped),
               static_cast<unsigned long long>(c.orders_refused),
               static_cast<unsigned long long>(c.reconnects),
               static_cast<unsigned long long>(c.resync_requests));
  std::fprintf(out_, "latency per stage (frame read on the I/O thread = 0):\n");
  print_latency_line(out_, "read -> callback entered", view_.read_to_callback());
  print_latency_line(out_, "engine update", engine.stages().update);
  print_latency_line(out_, "strategy callback", engine.stages().callback);
}

}  // namespace mde::tools
