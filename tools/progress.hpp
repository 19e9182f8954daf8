// Progress of a long run on a terminal: percent of the input, frames/s and time left, redrawn in
// place on stderr at most four times a second. Silent when stderr is not a terminal, so logs and
// pipes get only the final summary.
//
// Thread: the thread doing the work, or a watcher thread reading its counters. update() costs a
// counter increment on most calls and reads the clock once every kCheckEvery calls.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace mde::tools {

class Progress {
 public:
  static constexpr std::uint32_t kCheckEvery = 1024;

  // `total`: the amount update() counts towards (bytes of the input, or frames); 0 = unknown
  // (then no percent and no time left).
  Progress(std::string label, std::uint64_t total);
  ~Progress();  // finish()

  [[nodiscard]] bool enabled() const noexcept { return enabled_; }

  void update(std::uint64_t done, std::uint64_t frames) noexcept {
    if (!enabled_ || ++calls_ % kCheckEvery != 0) return;
    draw(done, frames, false);
  }
  // Redraws now if a refresh is due (for a watcher thread that polls).
  void poll(std::uint64_t done, std::uint64_t frames) noexcept {
    if (enabled_) draw(done, frames, false);
  }
  // Clears the progress line (idempotent).
  void finish() noexcept;

 private:
  void draw(std::uint64_t done, std::uint64_t frames, bool force) noexcept;

  std::string label_;
  std::uint64_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::uint32_t calls_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace mde::tools
