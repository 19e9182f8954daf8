// Terminal progress line.
#include "progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace mde::tools {

namespace {
constexpr auto kRefresh = std::chrono::milliseconds(250);
}  // namespace

Progress::Progress(std::string label, std::uint64_t total)
    : label_(std::move(label)),
      total_(total),
      enabled_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_(start_ - kRefresh) {}  // the first check draws: a run long enough to check shows

Progress::~Progress() { finish(); }

void Progress::draw(std::uint64_t done, std::uint64_t frames, bool force) noexcept {
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_ < kRefresh) return;
  last_ = now;
  const double secs = std::chrono::duration<double>(now - start_).count();
  const double rate = secs > 0 ? static_cast<double>(frames) / secs : 0.0;
  char line[160];
  if (total_ > 0 && done <= total_) {
    const double fraction = static_cast<double>(done) / static_cast<double>(total_);
    const double left = fraction > 0 ? secs * (1 - fraction) / fraction : 0.0;
    std::snprintf(line, sizeof line, "%s %5.1f%%  %.2f M frames/s  %d:%02d left", label_.c_str(),
                  fraction * 100, rate / 1e6, static_cast<int>(left) / 60,
                  static_cast<int>(left) % 60);
  } else {
    std::snprintf(line, sizeof line, "%s %llu frames  %.2f M frames/s", label_.c_str(),
                  static_cast<unsigned long long>(frames), rate / 1e6);
  }
  std::fprintf(stderr, "\r\033[K%s", line);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() noexcept {
  if (!drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace mde::tools
