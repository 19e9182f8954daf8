// mde sim: runs the exchange simulator in the foreground until SIGINT or SIGTERM (then exit 0:
// being stopped is how a server ends).
#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "commands.hpp"
#include "live_run_support.hpp"
#include "mde/sim/fault_schedule.hpp"
#include "mde/sim/simulator.hpp"

namespace mde::tools {
namespace {

// Waits for a stop signal, making each scheduled fault happen at its time on the way. Returns the
// signal.
int wait_for_stop(sim::Simulator& simulator, const sigset_t& stop_signals,
                  const std::vector<sim::ScheduledFault>& faults) {
  const auto started = std::chrono::steady_clock::now();
  for (const sim::ScheduledFault& f : faults) {
    for (;;) {
      const auto left = started + f.at - std::chrono::steady_clock::now();
      if (left <= std::chrono::steady_clock::duration::zero()) break;
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
      const timespec timeout{static_cast<time_t>(ns / 1'000'000'000),
                             static_cast<long>(ns % 1'000'000'000)};
      const int received = sigtimedwait(&stop_signals, nullptr, &timeout);
      if (received > 0) return received;  // else EAGAIN (the time came) or EINTR: look again
    }
    sim::apply_fault(simulator, f);
    std::printf("fault           %s\n", f.spec.c_str());
    std::fflush(stdout);
  }
  int received = 0;
  sigwait(&stop_signals, &received);
  return received;
}

int run_sim(sim::SimOptions options, const std::vector<sim::ScheduledFault>& faults) {
  // Block the stop signals in every thread (the simulator's inherits the mask); this one waits.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  // A shell starts background jobs with SIGINT ignored, and an ignored signal is discarded even
  // while blocked: restore the default so sigwait() sees it.
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  const std::string record = options.record_path;
  const std::string source = options.source_capture;
  const std::string orders = options.order_script;
  sim::Simulator simulator(std::move(options));  // throws on a bad address or certificate dir
  simulator.start();
  std::printf("coinone public  %s\n", simulator.coinone_public_url().c_str());
  std::printf("btse oss        %s\n", simulator.btse_oss_url().c_str());
  std::printf("btse main       %s\n", simulator.btse_main_url().c_str());
  std::printf("coinone private %s\n", simulator.coinone_private_url().c_str());
  std::printf("CA file         %s (%s)\n", simulator.ca_file().c_str(),
              simulator.certificate_generated() ? "generated" : "reused");
  if (!record.empty()) std::printf("recording       %s\n", record.c_str());
  if (!source.empty()) {
    std::printf("market source   %s (played once, from the first subscription)\n", source.c_str());
  }
  if (!orders.empty()) {
    std::printf("own orders      %s (from the first MYORDER subscription)\n", orders.c_str());
  }
  for (const sim::ScheduledFault& f : faults) {
    std::printf("fault scheduled %s\n", f.spec.c_str());
  }
  std::fflush(stdout);
  const int received = wait_for_stop(simulator, stop_signals, faults);
  simulator.stop();
  const sim::SimStats& s = simulator.stats();
  std::fprintf(stderr, "mde sim: stopped by signal %d after %llu connections, %llu data frames\n",
               received, static_cast<unsigned long long>(s.connections.load()),
               static_cast<unsigned long long>(s.frames_default.load() + s.frames_short.load()));
  if (s.record_dropped.load() != 0) {
    std::fprintf(stderr, "mde sim: the record is incomplete: %llu frames not recorded\n",
                 static_cast<unsigned long long>(s.record_dropped.load()));
  }
  return kExitOk;
}

}  // namespace

Command add_sim(CLI::App& app) {
  auto options = std::make_shared<sim::SimOptions>();
  auto fault_specs = std::make_shared<std::vector<std::string>>();
  options->cert_dir = default_sim_cert_dir();
  CLI::App* cmd = app.add_subcommand(
      "sim",
      "Run a local exchange over TLS WebSocket until SIGINT/SIGTERM. Prints one line per endpoint "
      "URL and the CA file a client must trust (a self-signed certificate for localhost and "
      "127.0.0.1, made on first start in --cert-dir and reused).");
  cmd->add_option_function<std::string>(
         "--listen",
         [options](const std::string& v) {
           const std::size_t colon = v.rfind(':');
           options->host = v.substr(0, colon);
           options->port = static_cast<std::uint16_t>(std::stoul(v.substr(colon + 1)));
         },
         "HOST:PORT to listen on (default 127.0.0.1:0; port 0 picks a free one)")
      ->check(CLI::Validator(
          [](std::string& v) {
            const std::size_t colon = v.rfind(':');
            if (colon == std::string::npos || colon == 0) return std::string("expected HOST:PORT");
            const std::string port = v.substr(colon + 1);
            if (port.empty() || port.size() > 5 ||
                port.find_first_not_of("0123456789") != std::string::npos ||
                std::stoul(port) > 65535) {
              return std::string("port must be 0 to 65535");
            }
            return std::string();
          },
          "HOST:PORT", "ADDRESS"));
  cmd->add_option("--seed", options->seed, "Market data seed (same seed, same frames)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--rate", options->rate, "Market frames per second per venue, over all its markets")
      ->check(CLI::Range(std::uint32_t{1}, std::uint32_t{10'000'000}))
      ->capture_default_str();
  cmd->add_option_function<std::string>(
         "--clock",
         [options](const std::string& v) {
           options->clock = v == "fixed" ? sim::SimClock::fixed : sim::SimClock::wall;
         },
         "What frames' timestamps and time-derived ids follow: `wall` (default: the wall clock "
         "when each frame is made, as a venue stamps them) or `fixed` (the generators' synthetic "
         "clock from 2025-10-21T05:53:20Z: same seed and rate, same bytes)")
      ->check(CLI::IsMember({"wall", "fixed"}));
  cmd->add_option("--private-rate", options->private_rate,
                  "Coinone private MYORDER/MYASSET events per second")
      ->check(CLI::Range(std::uint32_t{1}, std::uint32_t{100'000}))
      ->capture_default_str();
  cmd->add_option("--source", options->source_capture,
                  "Play the public market frames of this capture (.mdecap or text/JSONL) instead "
                  "of the generators, once, at --rate frames per second per venue")
      ->check(CLI::ExistingFile);
  cmd->add_option_function<std::string>(
         "--pace",
         [options](const std::string& v) { options->source_paced = v == "capture"; },
         "With --source: `rate` (default: --rate frames a second) or `capture` (the recorded "
         "receive times, at most --rate a second)")
      ->check(CLI::IsMember({"rate", "capture"}));
  cmd->add_option("--orders", options->order_script,
                  "Play the own orders of this TOML script on the Coinone private endpoint "
                  "instead of the built-in rounds (examples/sim/orders.toml)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--record", options->record_path,
                  "Write every frame sent, with its connection and venue, to this native capture "
                  "(.mdecap)");
  cmd->add_option("--cert-dir", options->cert_dir,
                  "Where the certificate is made or reused (default $TMPDIR/mde-sim)");
  cmd->add_option("--fault", *fault_specs,
                  "AT:KIND[:ARG...] a fault AT seconds after start, repeatable: drop, stall:MS, "
                  "malformed:N, close:CODE, btse-gap:MARKET, btse-cross:MARKET, order-duplicate, "
                  "order-reorder, refuse-subscribes:N:CODE[:FIELD], ignore-subscribes:N")
      ->check(CLI::Validator(
          [](std::string& v) {
            try {
              (void)sim::parse_fault(v);
              return std::string();
            } catch (const std::invalid_argument& e) {
              return std::string(e.what());
            }
          },
          "AT:KIND[:ARG...]", "FAULT"));
  return [options, fault_specs] {
    // A replay starts when a client subscribes: a capture played to nobody would be gone.
    options->market_paused = options->resume_on_subscribe = !options->source_capture.empty();
    return run_sim(*options, sim::parse_fault_schedule(*fault_specs));
  };
}

}  // namespace mde::tools
