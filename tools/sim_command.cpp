// mde sim: runs the exchange simulator in the foreground until SIGINT or SIGTERM.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include <pthread.h>

#include "commands.hpp"
#include "mde/sim/simulator.hpp"

namespace mde::tools {
namespace {

void sim_usage() {
  std::fputs(
      "usage: mde sim [--listen HOST:PORT] [--seed S] [--rate N] [--cert-dir DIR]\n"
      "  Serves a local exchange over TLS WebSocket until SIGINT/SIGTERM.\n"
      "  --listen     address to listen on (default 127.0.0.1:0; port 0 picks a free one)\n"
      "  --seed       market data seed (default 1; same seed, same frames)\n"
      "  --rate       market frames per second over all markets (default 1000)\n"
      "  --cert-dir   where the self-signed certificate is made or reused\n"
      "               (default $TMPDIR/mde-sim or /tmp/mde-sim)\n"
      "  Prints one line per endpoint URL and the CA file a client must trust.\n",
      stderr);
}

}  // namespace

int run_sim(std::span<char* const> args) {
  sim::SimOptions options;
  const char* tmp = std::getenv("TMPDIR");
  options.cert_dir = std::filesystem::path(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") / "mde-sim";
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string arg = args[i];
    const bool has_value = i + 1 < args.size();
    try {
      if (arg == "--listen" && has_value) {
        const std::string v = args[++i];
        const std::size_t colon = v.rfind(':');
        if (colon == std::string::npos) throw std::invalid_argument("HOST:PORT");
        options.host = v.substr(0, colon);
        const unsigned long port = std::stoul(v.substr(colon + 1));
        if (port > 65535) throw std::out_of_range("port");
        options.port = static_cast<std::uint16_t>(port);
      } else if (arg == "--seed" && has_value) {
        options.seed = std::stoull(args[++i]);
      } else if (arg == "--rate" && has_value) {
        options.rate = static_cast<std::uint32_t>(std::stoul(args[++i]));
      } else if (arg == "--cert-dir" && has_value) {
        options.cert_dir = args[++i];
      } else {
        sim_usage();
        return 2;
      }
    } catch (const std::exception&) {
      std::fprintf(stderr, "mde sim: bad value for %s\n", arg.c_str());
      return 2;
    }
  }
  // Block the stop signals in every thread; this one waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  try {
    sim::Simulator simulator(options);
    simulator.start();
    std::printf("coinone public  %s\n", simulator.coinone_public_url().c_str());
    std::printf("CA file         %s (%s)\n", simulator.ca_file().c_str(),
                simulator.certificate_generated() ? "generated" : "reused");
    std::fflush(stdout);
    int signal = 0;
    sigwait(&stop_signals, &signal);
    simulator.stop();
    const sim::SimStats& s = simulator.stats();
    std::fprintf(stderr, "mde sim: stopped by signal %d after %llu connections, %llu data frames\n",
                 signal, static_cast<unsigned long long>(s.connections.load()),
                 static_cast<unsigned long long>(s.frames_default.load() + s.frames_short.load()));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mde sim: %s\n", e.what());
    return 1;
  }
  return 0;
}

}  // namespace mde::tools
