// mde demo: the live engine offline. Starts the exchange simulator on a free loopback port,
// connects to it over TLS as a client would to the venue, runs a sample strategy and shows it
// working (a screen redrawn in place on a terminal, plain periodic lines otherwise), with a
// scheduled disconnect along the way so recovery can be seen; then the end-of-run figures.
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <thread>

#include "commands.hpp"
#include "live_printer.hpp"
#include "live_run_support.hpp"
#include "mde/runtime/live_runtime.hpp"
#include "mde/sim/simulator.hpp"

namespace mde::tools {
namespace {

struct DemoArgs {
  double duration = 10;
  std::uint64_t seed = 1;
  std::uint32_t rate = 2000;
  bool plain = false;
  std::filesystem::path cert_dir;
};

std::vector<live::CoinoneSubscription> coinone_public(coinone::WireFormat format) {
  std::vector<live::CoinoneSubscription> subs;
  for (const char* market : {"XRP", "BTC"}) {
    subs.push_back({Channel::book, market, "KRW", format});
    subs.push_back({Channel::trade, market, "KRW", format});
  }
  return subs;
}

int run_demo(const DemoArgs& a) {
  sim::Simulator simulator({.port = 0, .seed = a.seed, .rate = a.rate, .cert_dir = a.cert_dir});
  simulator.start();
  std::printf("simulator: %s (CA file %s)\n", simulator.coinone_public_url().c_str(),
              simulator.ca_file().c_str());

  ViewStrategy strategy;
  LiveRuntime<ViewStrategy> runtime(strategy, {.engine = {.measure_stages = true}});
  std::vector<SessionRow> rows;
  const auto add = [&](std::string name, live::SessionOptions o) {
    o.tls.ca_file = simulator.ca_file().string();  // the simulator's certificate, trusted explicitly
    o.timers.backoff_initial = std::chrono::milliseconds(100);
    o.timers.backoff_max = std::chrono::milliseconds(1000);
    const std::uint32_t k = runtime.add_session(std::move(o));
    rows.push_back({std::move(name), &runtime.session(k)});
  };
  live::SessionOptions coinone;
  coinone.venue = Venue::coinone;
  coinone.endpoint = live::parse_wss_url(simulator.coinone_public_url());
  coinone.subscriptions = coinone_public(coinone::WireFormat::short_format);
  add("coinone public", coinone);

  live::SessionOptions own;  // our orders and balances, signed with the simulator's demo account
  own.venue = Venue::coinone;
  own.endpoint = live::parse_wss_url(simulator.coinone_private_url());
  own.private_subscriptions = {{Channel::orders, {}, "KRW", coinone::WireFormat::short_format},
                               {Channel::assets, {}, "KRW", coinone::WireFormat::short_format}};
  own.credentials = {coinone::Secret(std::string(sim::kSimDemoAccessToken)),
                     coinone::Secret(std::string(sim::kSimDemoSecretKey))};
  add("coinone private", std::move(own));

  live::SessionOptions btse_books;
  btse_books.venue = Venue::btse;
  btse_books.endpoint = live::parse_wss_url(simulator.btse_oss_url());
  btse_books.btse_subscriptions = {{Channel::book, "BTC-USD"}, {Channel::book, "ETH-USD"}};
  add("btse books (oss)", std::move(btse_books));

  live::SessionOptions btse_trades;
  btse_trades.venue = Venue::btse;
  btse_trades.endpoint = live::parse_wss_url(simulator.btse_main_url());
  btse_trades.btse_subscriptions = {{Channel::trade, "BTC-USD"}, {Channel::trade, "ETH-USD"}};
  add("btse trades", std::move(btse_trades));

  LivePrinter printer("mde demo", strategy, runtime.registry(), rows,
                      !a.plain && ::isatty(STDOUT_FILENO) == 1);
  StopSignals signals;
  runtime.start();
  bool dropped = false, gapped = false;
  const double elapsed = printer.run(a.duration, signals, [&](double t) {
    if (!gapped && t >= a.duration * 0.7) {
      gapped = true;
      simulator.btse_skip_sequence("BTC-USD");
      printer.note("** t=" + std::to_string(static_cast<int>(t)) +
                   "s: the simulator skipped a BTSE seqNum on BTC-USD: the book goes stale (gap), "
                   "the session unsubscribes and resubscribes, a fresh snapshot makes it live");
    }
    if (dropped || t < a.duration * 0.4) return;
    dropped = true;
    simulator.drop_connections();
    printer.note("** t=" + std::to_string(static_cast<int>(t)) +
                 "s: the simulator dropped every connection: books go stale, the sessions "
                 "reconnect, resubscribe, and the books come back live");
  });
  runtime.stop();
  simulator.stop();
  printer.final_report(runtime.engine(), elapsed);
  if (signals.received()) return 128 + signals.number();
  if (printer.frames() == 0) {
    std::fprintf(stderr, "mde demo: no frame arrived from the simulator\n");
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace

Command add_demo(CLI::App& app) {
  auto a = std::make_shared<DemoArgs>();
  a->cert_dir = default_sim_cert_dir();
  CLI::App* cmd = app.add_subcommand(
      "demo",
      "Run the live engine offline: start the exchange simulator on a free loopback port, connect "
      "over TLS, subscribe, run a sample strategy and show books, trades, orders and feed status "
      "live, with a scheduled disconnect; then frame -> callback latency and the counts.");
  cmd->add_option("--duration", a->duration, "seconds to run (default 10)")
      ->check(CLI::Range(1.0, 86400.0));
  cmd->add_option("--seed", a->seed, "the simulator's seed (same seed, same frames)");
  cmd->add_option("--rate", a->rate, "market frames per second per venue (default 2000)")
      ->check(CLI::Range(1u, 1'000'000u));
  cmd->add_flag("--plain", a->plain, "plain periodic lines even on a terminal");
  cmd->add_option("--cert-dir", a->cert_dir,
                  "where the simulator's certificate is made or reused (default $TMPDIR/mde-sim)");
  return [a] { return run_demo(*a); };
}

}  // namespace mde::tools
