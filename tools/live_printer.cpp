#include "live_printer.hpp"

#include <chrono>
#include <cinttypes>
#include <thread>

namespace mde::tools {
namespace {

std::string decimal_text(const Decimal& d) {
  char buf[Decimal::kMaxChars];
  return std::string(buf, d.format_to(buf));
}

std::string level_text(bool present, const PriceLevel& l) {
  return present ? decimal_text(l.price) + " x " + decimal_text(l.qty) : std::string("-");
}

std::uint64_t load(const std::atomic<std::uint64_t>& a) { return a.load(std::memory_order_relaxed); }

// Connections made after the first. A lost connection that did not come back (closed with 4280,
// or still retrying) is not one: `failures` and `last-failure` say what happened to it.
std::uint64_t reconnects_of(const live::SessionStats& s) {
  const std::uint64_t connects = load(s.connects);
  return connects > 0 ? connects - 1 : 0;
}

}  // namespace

void print_latency_line(std::FILE* out, const char* stage, const LatencyHistogram& h) {
  if (h.count() == 0) {
    std::fprintf(out, "  %-25s (none)\n", stage);
    return;
  }
  std::fprintf(out,
               "  %-25s p50 %7" PRId64 " ns  p99 %8" PRId64 " ns  p99.9 %8" PRId64
               " ns  max %9" PRId64 " ns  (n=%" PRIu64 ")\n",
               stage, h.percentile(50), h.percentile(99), h.percentile(99.9), h.max(), h.count());
}

LivePrinter::LivePrinter(std::string title, ViewStrategy& view, const InstrumentRegistry& registry,
                         std::vector<SessionRow> sessions, bool terminal, std::FILE* out)
    : title_(std::move(title)),
      view_(view),
      registry_(registry),
      sessions_(std::move(sessions)),
      terminal_(terminal),
      out_(out) {}

std::uint64_t LivePrinter::frames() const {
  std::uint64_t n = 0;
  for (const SessionRow& s : sessions_) n += load(s.session->stats().frames);
  return n;
}

std::string LivePrinter::market_name(InstrumentId id) const {
  if (id == kNoInstrument || id >= registry_.size()) return "-";
  return std::string(to_string(registry_.venue(id))) + ":" + std::string(registry_.name(id));
}

void LivePrinter::note(const std::string& text) {
  notes_.push_back(text);
  if (!terminal_) std::fprintf(out_, "%s\n", text.c_str());
}

void LivePrinter::refresh(double elapsed, double duration) {
  // The core thread answers at the end of its next callback: give it a moment (a quiet feed
  // keeps the previous picture).
  for (int i = 0; i < 20; ++i) {
    if (view_.snapshot(picture_)) {
      have_picture_ = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const std::uint64_t frames_now = frames();
  const double dt = elapsed - last_elapsed_;
  const double rate = dt > 0 ? static_cast<double>(frames_now - last_frames_) / dt : 0.0;
  last_frames_ = frames_now;
  last_elapsed_ = elapsed;
  if (terminal_) draw_screen(picture_, elapsed, duration, rate);
  else print_line(picture_, elapsed, rate);
  std::fflush(out_);
}

void LivePrinter::print_line(const ViewPicture& p, double elapsed, double rate) {
  std::size_t live = 0;
  for (std::size_t i = 0; i < p.market_count; ++i) live += p.markets[i].status == BookStatus::live;
  std::uint64_t reconnects = 0;
  for (const SessionRow& s : sessions_) reconnects += reconnects_of(s.session->stats());
  std::fprintf(out_,
               "%s t=%5.1fs frames %" PRIu64 " (%.0f/s) books live %zu/%zu trades %" PRIu64
               " orders %" PRIu64 " reconnects %" PRIu64 " errors %" PRIu64 "\n",
               title_.c_str(), elapsed, frames(), rate, live, p.market_count, p.trade_events,
               p.order_events, reconnects, p.errors);
}

void LivePrinter::draw_screen(const ViewPicture& p, double elapsed, double duration, double rate) {
  std::string s = "\x1b[H\x1b[2J";  // home, clear: the screen is redrawn in place
  char line[512];
  std::snprintf(line, sizeof line, "%s   t=%.1fs%s   frames %" PRIu64 "   %.0f msg/s\n\n",
                title_.c_str(), elapsed,
                duration > 0 ? (" of " + std::to_string(static_cast<int>(duration)) + "s").c_str() : "",
                frames(), rate);
  s += line;
  s += "FEEDS                    state        frames   reconnects  decode-err  queue-waits\n";
  for (const SessionRow& r : sessions_) {
    const live::SessionStats& st = r.session->stats();
    const char* state = st.stopped_by_venue.load() ? "STOPPED"
                        : st.connected.load()      ? "connected"
                                                   : "connecting";
    std::snprintf(line, sizeof line, "  %-22s %-10s %9" PRIu64 " %11" PRIu64 " %11" PRIu64
                  " %12" PRIu64 "\n",
                  r.name.c_str(), state, load(st.frames), reconnects_of(st),
                  load(st.decode_errors), load(st.queue_waits));
    s += line;
  }
  s += "\nBOOKS                    best bid                  best ask                  status\n";
  if (!have_picture_) s += "  (waiting for the first data)\n";
  for (std::size_t i = 0; i < p.market_count; ++i) {
    const ViewPicture::Market& m = p.markets[i];
    std::string status = to_string(m.status);
    if (m.status != BookStatus::live && m.reason != StaleReason::none) {
      status += std::string(" (") + to_string(m.reason) + ")";
    }
    if (m.resyncs > 0) status += "  resyncs " + std::to_string(m.resyncs);
    std::snprintf(line, sizeof line, "  %-22s %-25s %-25s %s\n", market_name(m.instrument).c_str(),
                  level_text(m.has_bid, m.bid).c_str(), level_text(m.has_ask, m.ask).c_str(),
                  status.c_str());
    s += line;
  }
  s += "\nLAST TRADES\n";
  for (std::size_t k = 0; k < p.trade_count; ++k) {  // newest first
    const auto& t = p.trades[(p.next_trade + ViewPicture::kTrades - 1 - k) % ViewPicture::kTrades];
    std::snprintf(line, sizeof line, "  %-22s %-4s %s x %s\n", market_name(t.instrument).c_str(),
                  to_string(t.side).data(), decimal_text(t.price).c_str(),
                  decimal_text(t.qty).c_str());
    s += line;
  }
  s += "\nOUR ORDERS\n";
  if (p.order_count == 0) s += "  (none)\n";
  for (std::size_t k = 0; k < p.order_count; ++k) {
    const auto& o = p.orders[k];
    std::snprintf(line, sizeof line, "  %-22s %-20.20s %-4s %s x %s  filled %s  %s\n",
                  market_name(o.instrument).c_str(), std::string(o.id.view()).c_str(),
                  to_string(o.side).data(), decimal_text(o.price).c_str(),
                  decimal_text(o.qty).c_str(), decimal_text(o.filled).c_str(), to_string(o.state));
    s += line;
  }
  s += "\nFEED EVENTS\n";
  for (std::size_t k = 0; k < p.feed_count; ++k) {
    const auto& f = p.feed[(p.next_feed + ViewPicture::kEvents - 1 - k) % ViewPicture::kEvents];
    const std::string subject = sessions_.size() > f.connection ? sessions_[f.connection].name
                                                                : std::to_string(f.connection);
    if (f.type == ControlType::error) {
      std::snprintf(line, sizeof line, "  %-22s error %" PRId64 " %s %s\n", subject.c_str(),
                    f.code, std::string(f.topic.view()).c_str(),
                    std::string(f.message.view()).c_str());
    } else {
      std::snprintf(line, sizeof line, "  %-22s %s%s\n", subject.c_str(),
                    std::string(f.message.view()).c_str(),
                    f.code != 0 ? (" (close code " + std::to_string(f.code) + ")").c_str() : "");
    }
    s += line;
  }
  for (const std::string& n : notes_) s += n + "\n";
  std::fputs(s.c_str(), out_);
}

void LivePrinter::report_counts(const ViewPicture& p, double elapsed) {
  std::uint64_t decode_errors = 0, reconnects = 0, queue_waits = 0, connects = 0;
  for (const SessionRow& r : sessions_) {
    const live::SessionStats& st = r.session->stats();
    decode_errors += load(st.decode_errors);
    reconnects += reconnects_of(st);
    queue_waits += load(st.queue_waits);
    connects += load(st.connects);
  }
  std::fprintf(out_,
               "\n%s finished after %.1f s: frames %" PRIu64 ", callbacks %" PRIu64
               " (books %" PRIu64 ", trades %" PRIu64 ", orders %" PRIu64 ", balances %" PRIu64
               "), frames rejected %" PRIu64 ", connects %" PRIu64 ", reconnects %" PRIu64
               ", venue errors %" PRIu64 ", stream gaps %" PRIu64 ", queue waits %" PRIu64 "\n",
               title_.c_str(), elapsed, frames(), p.callbacks, p.book_updates, p.trade_events,
               p.order_events, p.asset_events, decode_errors, connects, reconnects, p.errors,
               p.stream_gaps, queue_waits);
  for (std::size_t k = 0; k < sessions_.size(); ++k) {  // what recovery did, per connection
    const live::SessionStats& st = sessions_[k].session->stats();
    std::fprintf(out_,
                 "session %s connection %zu: frames %" PRIu64 " decode-errors %" PRIu64
                 " connects %" PRIu64 " attempts %" PRIu64 " reconnects %" PRIu64
                 " failures %" PRIu64 " last-failure %s watchdog-fires %" PRIu64
                 " resync-requests %" PRIu64 " record-dropped %" PRIu64 " clean-closes %" PRIu64
                 "\n",
                 sessions_[k].name.c_str(), k, load(st.frames), load(st.decode_errors),
                 load(st.connects), load(st.connect_attempts), reconnects_of(st),
                 load(st.failures), live::to_string(st.last_failure.load()),
                 load(st.watchdog_fires), load(st.resync_requests), load(st.record_dropped),
                 load(st.clean_closes));
  }
}

}  // namespace mde::tools
