// CaptureFrames: one venue's public market frames out of a capture file, in file order, for the
// simulator's market feeds (`mde sim --source FILE`, SimOptions::source_capture).
//
// The file is a native .mdecap or a text/JSONL capture, recognised by its first bytes and read
// by the capture readers (mde::sample::CaptureSource); nothing is parsed here but the envelope.
// A record's venue is the one it was recorded with, or, for a text line without one, the one its
// envelope names (recognise_venue). Delivered: Coinone `DATA` frames of ORDERBOOK, TRADE and
// TICKER (DEFAULT or SHORT), BTSE `update:` book frames and `tradeHistoryApi:` trade frames.
// Skipped: everything else (private MYORDER/MYASSET, CONNECTED, SUBSCRIBED, PONG, acks, errors,
// the other venue's frames, lines that are not frames).
//
// The capture plays once: at its end next() returns "" for good (a replay is the recorded
// session, not a loop: Coinone ids and timestamps would run backwards on a second pass, and a
// client rightly drops such books as stale). With `paced`, a frame is due when as much time has
// passed since the first call to next() as its receive time is after the capture's first
// record's (of either venue: both venues' feeds keep the capture's timing between them); before
// that next() returns "" and keeps the frame for a later call. One call reads at most
// kScanBudget records, so a long stretch of the other venue's frames never holds the I/O thread
// for long: "" is then "nothing yet" too, and ended() tells the end apart.
// The file is opened once per venue: a regular file, not a pipe.
//
// Thread: the simulator's I/O thread. Tool side: the constructor opens the file and throws
// std::runtime_error (naming the file) when it cannot; next() reads as it goes.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "mde/core/venue.hpp"

namespace mde::sim {

class CaptureFrames {
 public:
  static constexpr std::uint32_t kScanBudget = 4096;  // records read per call at most

  CaptureFrames(const std::string& path, Venue venue, bool paced = false);
  ~CaptureFrames();
  CaptureFrames(const CaptureFrames&) = delete;
  CaptureFrames& operator=(const CaptureFrames&) = delete;

  // The next public market frame of the venue, valid until the next call; "" at the end of the
  // capture (ended()), when kScanBudget records held none, or (paced) when it is not due yet.
  [[nodiscard]] std::string_view next();

  [[nodiscard]] std::uint64_t delivered() const noexcept { return delivered_; }
  [[nodiscard]] bool ended() const noexcept { return ended_; }

 private:
  struct Reader;
  std::unique_ptr<Reader> reader_;
  Venue venue_;
  bool paced_;
  bool ended_ = false;
  bool held_ = false;            // paced: `held_frame_` is read but not due yet
  std::string_view held_frame_;  // paced: valid until the reader's next record
  std::int64_t held_ns_ = 0;
  std::int64_t first_ns_ = 0;  // paced: the capture's first record's receive time
  bool have_first_ = false;
  bool started_ = false;
  std::chrono::steady_clock::time_point started_at_{};
  std::uint64_t delivered_ = 0;
};

// Whether `frame` (of `venue`) is a public market frame a capture source delivers.
[[nodiscard]] bool is_public_market_frame(Venue venue, std::string_view frame) noexcept;

}  // namespace mde::sim
