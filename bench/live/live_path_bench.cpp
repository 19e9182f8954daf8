// The live path over loopback TLS, end to end: the in-process simulator (pre-rendered Coinone
// frames, batched writes, send stamps) -> LiveSession (TLS, WebSocket, decode) -> queue -> core
// thread -> Engine -> strategy. Run by hand (not a test, not in ./build.sh bench):
//
//   live_path_bench latency  [--rate 10000] [--seconds 5] [--format short|default]
//   live_path_bench max-rate [--seconds 2] [--format default] [--from 100000] [--step 50000]
//                            [--to 600000]
//   live_path_bench jitter   [--seconds 5] [--io-cpu N] [--core-cpu N]
//   common: [--io-cpu N] [--core-cpu N] [--sim-cpu N] [--sim-nice 0..19] [--busy-spin]
//           [--book-every 4] [--tls13] (the session may use TLS 1.3; default TLS 1.2)
//
// latency: one Coinone connection (XRP ORDERBOOK + TRADE, one book every `book-every` frames) at
// a fixed rate; prints read -> callback (EventHeader::receive_ns, stamped by the session's read
// handler) and sim send -> callback (the simulator stamps each frame's id when it queues it)
// p50/p99/p99.9/max, after checking that every frame sent reached the strategy.
// max-rate: offers increasing rates for `seconds` each and reports, per rate, what the client
// took: zero loss means every frame sent reached a callback, trade ids in order, no disconnect and
// no slow-consumer close by the simulator; sustained means it took them at >= 95 % of the offer.
//
// jitter: the machine's own latency floor on the I/O and core threads' CPUs
// (platform_jitter.hpp), measured on both at once with nothing else of ours running; latency
// prints it too, measured just before its runs.
//
// Every run checks its result before reporting it (the figures of a lossy run are not printed
// as if they were good).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <unistd.h>

#include "mde/book/callback_latency.hpp"
#include "mde/feeds/live/session.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/sim/simulator.hpp"
#include "platform_jitter.hpp"

namespace mde {
namespace {

struct Args {
  std::string mode = "latency";
  std::uint32_t rate = 10'000;
  double seconds = 5;
  bool short_format = true;
  bool format_given = false;
  std::uint32_t from = 100'000, step = 50'000, to = 600'000;
  int io_cpu = -1, core_cpu = -1, sim_cpu = -1, sim_nice = 0;
  bool busy_spin = false;
  bool tls13 = false;
  std::uint32_t book_every = 4;
};

// Times every callback and checks the stream: trade ids only grow (one counter at the source).
struct BenchStrategy {
  CallbackLatency latency;
  std::atomic<std::uint64_t> callbacks{0};
  std::uint64_t last_trade_id = 0;
  std::uint64_t out_of_order = 0;
  std::int64_t first_ns = 0, last_ns = 0;

  void seen() noexcept {
    last_ns = now_ns();
    if (first_ns == 0) first_ns = last_ns;
    callbacks.fetch_add(1, std::memory_order_relaxed);
  }
  void on_book(const BookView& b) noexcept {
    latency.on_book(b);
    seen();
  }
  void on_trade(const TradeView& t) noexcept {
    latency.on_trade(t);
    const std::uint64_t id = CallbackLatency::numeric_id(t.trade.id.view());
    if (id <= last_trade_id) ++out_of_order;
    last_trade_id = id;
    seen();
  }
};

struct RunResult {
  std::uint64_t sent = 0, received = 0, out_of_order = 0, disconnects = 0, slow_closes = 0;
  std::uint64_t queue_waits = 0, decode_errors = 0;
  double elapsed_s = 0;  // first to last callback
  bool delivered = false;
  // Why a run is not zero-loss ("" when it is).
  [[nodiscard]] const char* failure() const {
    if (slow_closes != 0) return "the simulator closed a slow consumer (backlog over its limit)";
    if (disconnects != 0) return "disconnected";
    if (!delivered) return "not everything sent arrived before the deadline";
    if (received != sent) return "received != sent";
    if (out_of_order != 0) return "trade ids out of order";
    if (decode_errors != 0) return "decode errors";
    return "";
  }
  [[nodiscard]] bool zero_loss() const {
    return delivered && received == sent && out_of_order == 0 && disconnects == 0 &&
           slow_closes == 0 && decode_errors == 0;
  }
};

double us(std::int64_t ns) { return static_cast<double>(ns) / 1e3; }

void print_histogram(const char* name, const LatencyHistogram& h) {
  std::printf("  %-22s n=%-9llu p50 %8.2f us  p99 %8.2f us  p99.9 %8.2f us  max %9.2f us\n", name,
              static_cast<unsigned long long>(h.count()), us(h.percentile(50)),
              us(h.percentile(99)), us(h.percentile(99.9)), us(h.max()));
}

// One run: the simulator offers `rate` frames a second for `seconds`, the client takes them.
RunResult run_once(const Args& a, std::uint32_t rate, bool short_format, BenchStrategy& strategy,
                   const std::filesystem::path& certs) {
  SendStampTable stamps(std::size_t{1} << 20);
  strategy.latency.sent = &stamps;
  const auto frames = static_cast<std::uint64_t>(rate * a.seconds);
  const auto format = short_format ? sim::CoinoneFormat::short_format
                                   : sim::CoinoneFormat::default_format;
  sim::Simulator sim({.rate = rate,
                      .max_frames = frames,
                      .market_paused = true,
                      .cert_dir = certs,
                      .fast_source = sim::FastSourceOptions{.target = "XRP",
                                                            .book_every = a.book_every,
                                                            .format = format},
                      .batch_writes = true,
                      .send_stamps = &stamps,
                      .cpu = a.sim_cpu,
                      .nice = a.sim_nice});
  LiveRuntime<BenchStrategy> rt(strategy, LiveRunOptions{.io_cpus = {a.io_cpu},
                                                         .core_cpu = a.core_cpu,
                                                         .busy_spin = a.busy_spin});
  live::SessionOptions o;
  o.endpoint = live::parse_wss_url(sim.coinone_public_url());
  o.tls.ca_file = sim.ca_file().string();
  o.tls.tls13 = a.tls13;
  const auto wire = short_format ? coinone::WireFormat::short_format
                                 : coinone::WireFormat::default_format;
  o.subscriptions = {{Channel::book, "XRP", "KRW", wire}, {Channel::trade, "XRP", "KRW", wire}};
  rt.add_session(o);
  sim.start();
  rt.start();
  // The offer starts once the client subscribed: every frame produced is sent.
  const auto subscribed_by = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (sim.stats().subscribes.load() < 2 && std::chrono::steady_clock::now() < subscribed_by) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  sim.resume_market();
  RunResult r;
  const auto sent_frames = [&] {
    return sim.stats().frames_short.load() + sim.stats().frames_default.load();
  };
  const auto until =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<long>(a.seconds * 1000) + 10'000);
  while (std::chrono::steady_clock::now() < until) {
    if (sim.stats().market_rounds.load() >= frames &&
        strategy.callbacks.load() >= sent_frames()) {
      r.delivered = true;
      break;
    }
    if (sim.stats().slow_closes.load() != 0 || rt.session(0).stats().disconnects.load() != 0) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  rt.stop();
  sim.stop();
  r.sent = sent_frames();
  r.received = strategy.callbacks.load();
  r.out_of_order = strategy.out_of_order;
  r.disconnects = rt.session(0).stats().disconnects.load();
  r.slow_closes = sim.stats().slow_closes.load();
  r.queue_waits = rt.session(0).stats().queue_waits.load();
  r.decode_errors = rt.session(0).stats().decode_errors.load();
  r.elapsed_s = static_cast<double>(strategy.last_ns - strategy.first_ns) / 1e9;
  return r;
}

void print_setup(const Args& a) {
  double load[3] = {};
  if (getloadavg(load, 3) == 3) {
    std::printf("machine: %u CPUs, load average %.2f %.2f %.2f\n",
                std::thread::hardware_concurrency(), load[0], load[1], load[2]);
  }
  std::printf("threads: io cpu %d, core cpu %d (%s), simulator cpu %d nice %d (-1: unpinned); %s\n",
              a.io_cpu, a.core_cpu, a.busy_spin ? "busy-spin" : "spin-then-yield", a.sim_cpu,
              a.sim_nice, a.tls13 ? "TLS 1.3 allowed" : "TLS 1.2");
}

// Both CPUs probed at once (the benchmark's two client threads are busy at the same time too).
int jitter(const Args& a) {
  const double seconds = a.mode == "jitter" ? a.seconds : 2.0;
  bench::JitterFloor floors[2];
  std::thread io([&] { floors[0] = bench::probe_jitter(a.io_cpu, seconds); });
  floors[1] = bench::probe_jitter(a.core_cpu, seconds);
  io.join();
  for (const bench::JitterFloor& f : floors) {
    std::printf("  platform floor, cpu %2d (%.0f s spinning): p99 %7.2f us  p99.9 %7.2f us  "
                "max gap %8.2f us  gaps >25 us %llu, >100 us %llu  time lost %.2f%%\n",
                f.cpu, f.seconds, us(f.p99_ns), us(f.p999_ns), us(f.max_gap_ns),
                static_cast<unsigned long long>(f.gaps_over_25us),
                static_cast<unsigned long long>(f.gaps_over_100us), 100.0 * f.lost_fraction);
  }
  return 0;
}

int latency(const Args& a, const std::filesystem::path& certs) {
  std::printf("the machine's own floor on the client's CPUs, just before the runs:\n");
  jitter(a);
  for (const bool short_format : {true, false}) {
    if (a.format_given && short_format != a.short_format) continue;
    auto s = std::make_unique<BenchStrategy>();
    const RunResult r = run_once(a, a.rate, short_format, *s, certs);
    std::printf("latency: %s, offered %u msg/s for %.1f s (1 book per %u frames), one connection\n",
                short_format ? "SHORT" : "DEFAULT", a.rate, a.seconds, a.book_every);
    std::printf("  sent %llu, received %llu (%.0f msg/s), queue waits %llu: %s\n",
                static_cast<unsigned long long>(r.sent),
                static_cast<unsigned long long>(r.received),
                r.elapsed_s > 0 ? static_cast<double>(r.received) / r.elapsed_s : 0.0,
                static_cast<unsigned long long>(r.queue_waits),
                r.zero_loss() ? "zero loss" : r.failure());
    print_histogram("read -> callback", s->latency.read_to_callback);
    print_histogram("sim send -> callback", s->latency.send_to_callback);
    if (!r.zero_loss()) return 1;
  }
  return 0;
}

int max_rate(const Args& a, const std::filesystem::path& certs) {
  const bool short_format = a.format_given ? a.short_format : false;
  std::uint32_t best = 0;
  std::printf("max-rate: %s, %.1f s per step, one connection (1 book per %u frames)\n",
              short_format ? "SHORT" : "DEFAULT", a.seconds, a.book_every);
  for (std::uint32_t rate = a.from; rate <= a.to; rate += a.step) {
    auto s = std::make_unique<BenchStrategy>();
    const RunResult r = run_once(a, rate, short_format, *s, certs);
    const double took = r.elapsed_s > 0 ? static_cast<double>(r.received) / r.elapsed_s : 0.0;
    const bool sustained = r.zero_loss() && took >= 0.95 * rate;
    std::printf("  offered %7u/s: sent %8llu received %8llu  took %9.0f/s  waits %7llu  "
                "read->cb p50 %7.1f us p99.9 %9.1f us  %s\n",
                rate, static_cast<unsigned long long>(r.sent),
                static_cast<unsigned long long>(r.received), took,
                static_cast<unsigned long long>(r.queue_waits),
                us(s->latency.read_to_callback.percentile(50)),
                us(s->latency.read_to_callback.percentile(99.9)),
                !r.zero_loss() ? r.failure() : sustained ? "sustained, zero loss"
                                                         : "zero loss, below the offer");
    std::fflush(stdout);
    if (!r.zero_loss()) break;
    if (sustained) best = rate;
  }
  std::printf("highest rate sustained with zero loss: %u msg/s\n", best);
  return 0;
}

bool parse(int argc, char** argv, Args& a) {
  int i = 1;
  if (argc > 1 && argv[1][0] != '-') a.mode = argv[i++];
  for (; i < argc; ++i) {
    const std::string_view k = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    auto num = [&](auto& out) {
      if (v == nullptr) return false;
      out = static_cast<std::remove_reference_t<decltype(out)>>(std::strtod(v, nullptr));
      ++i;
      return true;
    };
    if (k == "--busy-spin") a.busy_spin = true;
    else if (k == "--tls13") a.tls13 = true;
    else if (k == "--rate") { if (!num(a.rate)) return false; }
    else if (k == "--seconds") { if (!num(a.seconds)) return false; }
    else if (k == "--from") { if (!num(a.from)) return false; }
    else if (k == "--step") { if (!num(a.step)) return false; }
    else if (k == "--to") { if (!num(a.to)) return false; }
    else if (k == "--io-cpu") { if (!num(a.io_cpu)) return false; }
    else if (k == "--core-cpu") { if (!num(a.core_cpu)) return false; }
    else if (k == "--sim-cpu") { if (!num(a.sim_cpu)) return false; }
    else if (k == "--sim-nice") { if (!num(a.sim_nice) || a.sim_nice < 0 || a.sim_nice > 19) return false; }
    else if (k == "--book-every") { if (!num(a.book_every)) return false; }
    else if (k == "--format" && v != nullptr) {
      a.format_given = true;
      a.short_format = std::string_view(v) == "short";
      ++i;
    } else {
      return false;
    }
  }
  return a.mode == "latency" || a.mode == "max-rate" || a.mode == "jitter";
}

}  // namespace
}  // namespace mde

int main(int argc, char** argv) {
  mde::Args a;
  if (!mde::parse(argc, argv, a)) {
    std::fprintf(stderr, "usage: live_path_bench latency|max-rate [options] (see the source)\n");
    return 2;
  }
  const auto certs = std::filesystem::temp_directory_path() /
                     ("mde-live-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(certs);
  mde::print_setup(a);
  const int rc = a.mode == "latency"  ? mde::latency(a, certs)
                 : a.mode == "jitter" ? mde::jitter(a)
                                      : mde::max_rate(a, certs);
  std::error_code ec;
  std::filesystem::remove_all(certs, ec);
  return rc;
}
