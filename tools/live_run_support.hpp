// What the live commands (`mde demo`, `mde live`, `mde sim`) share: the stop signals, the
// simulator's default certificate directory, elapsed seconds.
#pragma once

#include <chrono>
#include <filesystem>

namespace mde::tools {

// SIGINT / SIGTERM end a live run early, with its report: the handler only records the signal;
// the command's main loop polls received(). Restores the previous handlers when destroyed.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  [[nodiscard]] bool received() const noexcept;
  [[nodiscard]] int number() const noexcept;  // the signal received, 0 if none
};

// $TMPDIR/mde-sim (or /tmp/mde-sim): where the simulator's certificate is made and reused.
[[nodiscard]] std::filesystem::path default_sim_cert_dir();

[[nodiscard]] inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace mde::tools
