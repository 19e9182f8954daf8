#include "live_run_support.hpp"

#include <signal.h>

#include <cstdlib>

namespace mde::tools {
namespace {

volatile sig_atomic_t g_stop_signal = 0;
struct sigaction g_previous_int {}, g_previous_term {};

extern "C" void on_live_stop_signal(int sig) { g_stop_signal = sig; }

}  // namespace

StopSignals::StopSignals() {
  g_stop_signal = 0;
  struct sigaction sa {};
  sa.sa_handler = on_live_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &g_previous_int);
  sigaction(SIGTERM, &sa, &g_previous_term);
}

StopSignals::~StopSignals() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
}

bool StopSignals::received() const noexcept { return g_stop_signal != 0; }
int StopSignals::number() const noexcept { return static_cast<int>(g_stop_signal); }

std::filesystem::path default_sim_cert_dir() {
  const char* tmp = std::getenv("TMPDIR");
  return std::filesystem::path(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") / "mde-sim";
}

}  // namespace mde::tools
