// FrameRecorder: the rings' producer side (any I/O thread) and the writer thread.
#include "mde/feeds/capture/frame_recorder.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "mde/core/clock.hpp"
#include "mde/feeds/capture/capture_format.hpp"

namespace mde::capture {

bool FrameRing::try_record(std::int64_t receive_mono_ns, Venue venue, std::uint32_t connection,
                           std::string_view frame) noexcept {
  unsigned char* out = ring_.try_reserve(kPrefixBytes + frame.size());
  if (out == nullptr) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  store_le<std::int64_t>(out, receive_mono_ns + wall_offset_ns_);
  store_le<std::uint32_t>(out + 8, pack_source(venue, connection));
  std::memcpy(out + kPrefixBytes, frame.data(), frame.size());
  ring_.commit();
  recorded_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

FrameRecorder::FrameRecorder(const std::string& path, RecorderOptions options)
    : path_(path), options_(options) {
  const std::int64_t wall_offset = wall_ns() - now_ns();
  const std::size_t rings = std::max<std::size_t>(1, options_.rings);
  rings_.reserve(rings);
  try {
    for (std::size_t k = 0; k < rings; ++k) {
      rings_.push_back(std::make_unique<FrameRing>(options_.ring_bytes, wall_offset));
    }
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(std::string("recorder: ") + e.what());
  }
  if (const WriteStatus s = writer_.open(path); s != WriteStatus::ok) {
    throw std::runtime_error("recorder: cannot open " + path + ": " +
                             std::string(to_string(s)) + " (" +
                             std::strerror(writer_.last_errno()) + ")");
  }
}

FrameRecorder::~FrameRecorder() { stop(); }

void FrameRecorder::start() {
  if (thread_.joinable() || closed_) return;
  thread_ = std::thread([this] { run(); });
}

bool FrameRecorder::drain_once() noexcept {
  bool wrote = false;
  for (const auto& r : rings_) {
    SpscByteRing& ring = r->ring_;
    for (std::span<const unsigned char> rec = ring.front(); !rec.empty(); rec = ring.front()) {
      const auto receive_ns = load_le<std::int64_t>(rec.data());
      const auto source = load_le<std::uint32_t>(rec.data() + 8);
      const std::string_view payload(reinterpret_cast<const char*>(rec.data()) +
                                         FrameRing::kPrefixBytes,
                                     rec.size() - FrameRing::kPrefixBytes);
      const WriteStatus s = writer_.try_append(receive_ns, source_connection(source), payload,
                                               source_venue(source));
      ring.pop();
      if (s == WriteStatus::ok) {
        written_.fetch_add(1, std::memory_order_relaxed);
      } else {
        write_errors_.fetch_add(1, std::memory_order_relaxed);
        last_error_ = s;
      }
      wrote = true;
    }
  }
  return wrote;
}

void FrameRecorder::run() noexcept {
  bool unflushed = false;
  for (;;) {
    const bool stopping = stop_.load(std::memory_order_acquire);
    if (drain_once()) {
      unflushed = true;
      continue;
    }
    if (stopping) return;  // drained after the stop request: nothing is left behind
    // Idle: hand the buffered records to the file so a crash loses at most one nap's worth.
    if (unflushed && writer_.try_flush() != WriteStatus::ok) {
      write_errors_.fetch_add(1, std::memory_order_relaxed);
    }
    unflushed = false;
    std::this_thread::sleep_for(options_.idle_sleep);
  }
}

void FrameRecorder::stop() {
  if (closed_) return;
  closed_ = true;
  stop_.store(true, std::memory_order_release);
  if (thread_.joinable()) {
    thread_.join();
  } else {
    while (drain_once()) {
    }
  }
  const RecorderStats s = stats();
  if (!s.complete() && writer_.is_open()) {
    if (const WriteStatus w = writer_.try_set_flags(kFlagIncomplete); w != WriteStatus::ok) {
      last_error_ = w;
    }
  }
  if (writer_.is_open()) {
    if (const WriteStatus w = writer_.try_close(); w != WriteStatus::ok) last_error_ = w;
  }
}

RecorderStats FrameRecorder::stats() const noexcept {
  RecorderStats s;
  for (const auto& r : rings_) {
    s.recorded += r->recorded();
    s.record_dropped += r->dropped();
  }
  s.written = written_.load(std::memory_order_relaxed);
  s.write_errors = write_errors_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace mde::capture
