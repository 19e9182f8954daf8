// CaptureSummary: what a capture holds (for `mde capture info` and tests).
//
// Thread: tool side. add() may allocate (a new connection id); not for hot paths.
#pragma once

#include <cstdint>
#include <vector>

#include "mde/feeds/capture/capture_format.hpp"

namespace mde::capture {

struct ConnectionCount {
  std::uint32_t connection;
  std::uint64_t records;
};

struct CaptureSummary {
  std::uint64_t records = 0;
  std::uint64_t payload_bytes = 0;
  std::uint64_t largest_payload = 0;
  std::int64_t first_ns = 0;  // receive_ns of the first and last records
  std::int64_t last_ns = 0;
  std::int64_t min_ns = 0;
  std::int64_t max_ns = 0;
  std::uint64_t backwards = 0;  // records whose receive_ns is below their predecessor's
  std::vector<ConnectionCount> connections;  // in order of first appearance

  void add(const CaptureRecord& record);
  // max_ns - min_ns (0 for fewer than two records).
  [[nodiscard]] std::int64_t span_ns() const noexcept { return records < 2 ? 0 : max_ns - min_ns; }
};

}  // namespace mde::capture
