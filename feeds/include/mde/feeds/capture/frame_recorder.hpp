// FrameRecorder: records every inbound frame of a live run into a native capture file (format v2)
// without ever slowing the thread that read the frame.
//
//   I/O thread k:   frame read -> FrameRing k: try_record() copies (receive time, venue,
//                   connection, bytes) into a preallocated SPSC byte ring; never waits
//   writer thread:  drains every ring into a CaptureWriter (buffered write(2)), sleeps when idle
//
// A full ring never blocks the reader: the frame is not recorded, counted (`record_dropped`), and
// the capture is marked incomplete (header flag kFlagIncomplete, written at stop()). Frames of
// one ring reach the file in the order they were recorded; rings are drained in turn, so records
// of different rings interleave in batches (their streams are independent connections).
//
// Times: try_record() takes CLOCK_MONOTONIC ns (what the session stamps into
// EventHeader::receive_ns, so one clock read serves both); the file gets Unix-epoch ns, the
// format's, by adding the wall-minus-monotonic offset measured once at construction.
//
// Threads: construct, start() and stop() on the setup thread. Ring k has one producer thread (the
// I/O thread that owns it); the writer thread is every ring's consumer. try_record() never
// allocates, locks, throws or waits. stats() may be read from any thread (relaxed counters).
// Setup errors (cannot open the file, a bad ring size) throw std::runtime_error.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "mde/core/spsc_byte_ring.hpp"
#include "mde/core/venue.hpp"
#include "mde/feeds/capture/capture_writer.hpp"

namespace mde::capture {

struct RecorderOptions {
  std::size_t ring_bytes = std::size_t{64} << 20;  // per ring; a power of two
  std::size_t rings = 1;                           // one per recording (I/O) thread
  std::chrono::microseconds idle_sleep{1000};      // the writer's nap when every ring is empty
};

// One producer's end: written by its own thread only; counters readable from any thread.
class FrameRing {
 public:
  explicit FrameRing(std::size_t ring_bytes, std::int64_t wall_offset_ns)
      : ring_(ring_bytes), wall_offset_ns_(wall_offset_ns) {}

  // Copies one frame into the ring; false (counted in dropped()) when the ring is full.
  bool try_record(std::int64_t receive_mono_ns, Venue venue, std::uint32_t connection,
                  std::string_view frame) noexcept;

  [[nodiscard]] std::uint64_t dropped() const noexcept {
    return dropped_.load(std::memory_order_relaxed);
  }
  [[nodiscard]] std::uint64_t recorded() const noexcept {
    return recorded_.load(std::memory_order_relaxed);
  }

 private:
  friend class FrameRecorder;
  static constexpr std::size_t kPrefixBytes = 12;  // i64 receive_ns, u32 source

  SpscByteRing ring_;
  std::int64_t wall_offset_ns_;
  std::atomic<std::uint64_t> recorded_{0};  // copied into the ring
  std::atomic<std::uint64_t> dropped_{0};   // not recorded: the ring was full
};

struct RecorderStats {
  std::uint64_t recorded = 0;       // frames copied into a ring
  std::uint64_t record_dropped = 0; // frames not recorded (a full ring)
  std::uint64_t written = 0;        // records written to the file
  std::uint64_t write_errors = 0;   // records the writer refused or failed to write
  [[nodiscard]] bool complete() const noexcept {
    return record_dropped == 0 && write_errors == 0;
  }
};

class FrameRecorder {
 public:
  // Creates (truncates) `path` and allocates the rings. Throws std::runtime_error on failure.
  FrameRecorder(const std::string& path, RecorderOptions options = {});
  ~FrameRecorder();  // stop()s
  FrameRecorder(const FrameRecorder&) = delete;
  FrameRecorder& operator=(const FrameRecorder&) = delete;

  [[nodiscard]] FrameRing& ring(std::size_t k) noexcept { return *rings_[k]; }
  [[nodiscard]] std::size_t ring_count() const noexcept { return rings_.size(); }

  void start();  // the writer thread
  // Drains every ring (call it after the producers stopped), marks the file incomplete if frames
  // were lost, closes it and joins the writer. Idempotent; the destructor calls it.
  void stop();

  [[nodiscard]] RecorderStats stats() const noexcept;
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  // The writer's last failure (ok when none); read after stop().
  [[nodiscard]] WriteStatus last_error() const noexcept { return last_error_; }

 private:
  bool drain_once() noexcept;  // true when it wrote something
  void run() noexcept;

  std::string path_;
  RecorderOptions options_;
  std::vector<std::unique_ptr<FrameRing>> rings_;
  CaptureWriter writer_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> written_{0};
  std::atomic<std::uint64_t> write_errors_{0};
  WriteStatus last_error_ = WriteStatus::ok;
  bool closed_ = false;
};

}  // namespace mde::capture
