// ReplayInput: one recorded input of a ReplayRuntime: a frame source, its decoder and its
// producer, run on the input's own thread.
//
// The runtime holds inputs behind this small interface so that a native capture and a text
// capture (different frame source types) can be mixed in one run. The virtual calls happen once
// per run (prepare, run, the final stats), never per frame: inside run() everything is static.
//
// Thread: constructed and prepared on the setup thread; run() on the input's thread; the
// accessors after run() returned.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "mde/core/clock.hpp"
#include "mde/core/event_queue.hpp"
#include "mde/core/events.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/replay/replay_producer.hpp"

namespace mde {

// How far an input has been read, for a progress display on another thread.
struct InputProgress {
  std::uint64_t bytes = 0;   // input bytes consumed
  std::uint64_t size = 0;    // the input's size (0: unknown, a pipe)
  std::uint64_t frames = 0;  // records read
};

class ReplayInput {
 public:
  virtual ~ReplayInput() = default;

  // Builds the decoder and the producer on `queue` (setup; allocates).
  virtual void prepare(InstrumentRegistry& registry, EventQueue<Event>& queue,
                       const replay::ReplayOptions& options, TscCalibration calibration,
                       replay::ConnectionMap connections, replay::ResyncPoller resync) = 0;
  // Reads the input to its end or until `stop`. The input's thread.
  virtual void run(const std::atomic<bool>& stop) noexcept = 0;

  [[nodiscard]] virtual const replay::ProducerStats& stats() const noexcept = 0;
  // Safe from any thread while run() goes on (relaxed atomics the input updates per record).
  [[nodiscard]] virtual InputProgress progress() const noexcept = 0;
  // Where the input came from (a path), for reports.
  [[nodiscard]] virtual const std::string& name() const noexcept = 0;
  // Empty when the input was read to a clean end; otherwise why and where reading stopped early
  // (a torn or corrupt capture record, an I/O error) or which text lines were skipped as bad.
  [[nodiscard]] virtual std::string damage() const = 0;
};

// Opens `path` ("-": standard input; pipes, FIFOs and /dev/stdin work) as a native capture
// (recognised by its magic) or a text capture (anything else). The form is recognised by peeking
// at the first bytes, which the reader is handed back, never by seeking. Both are read as they go
// with bounded memory. Throws std::runtime_error naming the path and the reason.
[[nodiscard]] std::unique_ptr<ReplayInput> open_replay_input(const std::string& path);

}  // namespace mde
