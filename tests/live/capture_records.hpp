// Reads a whole native capture into memory for a test to compare (tool side: allocates).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mde/feeds/capture/capture_reader.hpp"

namespace mde::live_test {

struct RecordedFrame {
  std::int64_t receive_ns;
  std::uint32_t connection;
  Venue venue;
  std::string text;
};

struct RecordedCapture {
  bool opened = false;
  bool clean_end = false;      // the last record ended exactly at the end of the file
  std::uint16_t flags = 0;     // header flags (kFlagIncomplete, ...)
  std::vector<RecordedFrame> frames;
};

inline RecordedCapture read_capture(const std::string& path) {
  RecordedCapture out;
  capture::CaptureReader reader;
  if (reader.open(path) != capture::OpenError::ok) return out;
  out.opened = true;
  out.flags = reader.header().flags;
  capture::CaptureRecord r{};
  while (reader.next(r)) {
    out.frames.push_back({r.receive_ns, r.connection, r.venue, std::string(r.frame.text())});
  }
  out.clean_end = reader.stop().clean();
  return out;
}

// The frames of one connection, in order.
inline std::vector<std::string> frames_of(const RecordedCapture& c, std::uint32_t connection) {
  std::vector<std::string> out;
  for (const RecordedFrame& f : c.frames) {
    if (f.connection == connection) out.push_back(f.text);
  }
  return out;
}

}  // namespace mde::live_test
