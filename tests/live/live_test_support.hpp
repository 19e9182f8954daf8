// What the live tests share: a fresh certificate directory, a bounded wait, a recording strategy.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <unistd.h>

#include "mde/book/strategy.hpp"
#include "mde/core/instrument.hpp"

namespace mde::live_test {

// A directory of its own under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  explicit TempDir(const std::string& tag)
      : path_(std::filesystem::temp_directory_path() /
              ("mde-live-" + tag + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

// Polls `done` until it holds or the deadline passes (never a fixed sleep: it returns as soon as
// the condition is met). True when it held.
template <class Pred>
bool wait_until(Pred done, std::chrono::milliseconds deadline = std::chrono::milliseconds(5000)) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(500));  // poll interval only
  }
  return true;
}

// Records what reached the strategy, readable from the test thread while the runtime runs.
struct Recorder {
  static constexpr std::size_t kIds = 64;
  std::atomic<std::uint64_t> books[kIds] = {};
  std::atomic<std::uint64_t> trades[kIds] = {};
  std::atomic<std::uint64_t> connected{0}, subscribed{0}, pongs{0}, errors{0};
  std::atomic<std::int64_t> last_error_code{0};
  std::atomic<bool> error_field_request_type{false};
  std::atomic<std::uint64_t> reconnect_stales{0};  // a book went stale because its feed reconnected
  std::atomic<std::uint64_t> lives_after_reconnect{0};

  void on_book(const BookView& b) noexcept {
    if (b.instrument < kIds) books[b.instrument].fetch_add(1, std::memory_order_relaxed);
  }
  [[nodiscard]] std::uint64_t total_books() const noexcept {  // over every market
    std::uint64_t n = 0;
    for (const auto& b : books) n += b.load(std::memory_order_relaxed);
    return n;
  }
  void on_trade(const TradeView& t) noexcept {
    if (t.instrument < kIds) trades[t.instrument].fetch_add(1, std::memory_order_relaxed);
  }
  void on_status(const StatusView& s) noexcept {
    if (s.subject == StatusSubject::book) {
      if (s.reason == StaleReason::reconnect) {
        reconnect_stales.fetch_add(1, std::memory_order_relaxed);
        saw_reconnect_stale_ = true;
      } else if (s.current == BookStatus::live && saw_reconnect_stale_) {
        lives_after_reconnect.fetch_add(1, std::memory_order_relaxed);
      }
      return;
    }
    if (s.subject != StatusSubject::feed || s.control == nullptr) return;
    switch (s.control->type) {
      case ControlType::connected: connected.fetch_add(1, std::memory_order_relaxed); break;
      case ControlType::subscribed: subscribed.fetch_add(1, std::memory_order_relaxed); break;
      case ControlType::pong: pongs.fetch_add(1, std::memory_order_relaxed); break;
      case ControlType::error:
        if (s.control->field.view() == "request_type") {
          error_field_request_type.store(true, std::memory_order_relaxed);
        }
        last_error_code.store(s.control->error_code, std::memory_order_relaxed);
        errors.fetch_add(1, std::memory_order_relaxed);
        break;
      default: break;
    }
  }

  [[nodiscard]] std::uint64_t books_of(const InstrumentRegistry& r, const char* market) const {
    const auto id = r.find(Venue::coinone, market);
    return id && *id < kIds ? books[*id].load(std::memory_order_relaxed) : 0;
  }
  [[nodiscard]] std::uint64_t trades_of(const InstrumentRegistry& r, const char* market) const {
    const auto id = r.find(Venue::coinone, market);
    return id && *id < kIds ? trades[*id].load(std::memory_order_relaxed) : 0;
  }

 private:
  bool saw_reconnect_stale_ = false;  // core thread only
};

}  // namespace mde::live_test
