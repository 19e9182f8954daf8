// CaptureSummary accumulation.
#include "mde/feeds/capture/capture_summary.hpp"

namespace mde::capture {

void CaptureSummary::add(const CaptureRecord& record) {
  const std::int64_t ns = record.receive_ns;
  if (records == 0) {
    first_ns = min_ns = max_ns = ns;
  } else {
    if (ns < last_ns) ++backwards;
    if (ns < min_ns) min_ns = ns;
    if (ns > max_ns) max_ns = ns;
  }
  last_ns = ns;
  ++records;
  payload_bytes += record.frame.size;
  if (record.frame.size > largest_payload) largest_payload = record.frame.size;
  for (ConnectionCount& c : connections) {
    if (c.connection == record.connection) {
      ++c.records;
      return;
    }
  }
  connections.push_back({record.connection, 1});
}

}  // namespace mde::capture
