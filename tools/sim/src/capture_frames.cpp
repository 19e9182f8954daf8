#include "mde/sim/capture_frames.hpp"

#include <stdexcept>

#include "mde/feeds/venue_sniff.hpp"
#include "mde/sample/capture_io.hpp"

namespace mde::sim {
namespace {

// The value of the first `"key":"` (either spelling) as written, or "". Envelopes only: the
// channel and response type come before any data in both venues' frames.
std::string_view envelope_field(std::string_view frame, std::string_view long_key,
                                std::string_view short_key) noexcept {
  for (std::string_view key : {long_key, short_key}) {
    std::size_t at = 0;
    while ((at = frame.find(key, at)) != std::string_view::npos) {
      const std::size_t end = at + key.size();
      if (at > 0 && frame[at - 1] == '"' && frame.substr(end, 3) == "\":\"") {
        const std::size_t from = end + 3;
        const std::size_t close = frame.find('"', from);
        if (close != std::string_view::npos) return frame.substr(from, close - from);
      }
      at = end;
    }
  }
  return {};
}

}  // namespace

bool is_public_market_frame(Venue venue, std::string_view frame) noexcept {
  if (venue == Venue::coinone) {
    if (envelope_field(frame, "response_type", "r") != "DATA") return false;
    const std::string_view channel = envelope_field(frame, "channel", "c");
    return channel == "ORDERBOOK" || channel == "TRADE" || channel == "TICKER";
  }
  if (venue == Venue::btse) {
    const std::string_view topic = envelope_field(frame, "topic", "topic");
    return topic.starts_with("update:") || topic.starts_with("tradeHistoryApi:");
  }
  return false;
}

struct CaptureFrames::Reader {
  sample::CaptureSource source;
};

CaptureFrames::CaptureFrames(const std::string& path, Venue venue, bool paced)
    : reader_(std::make_unique<Reader>()), venue_(venue), paced_(paced) {
  if (!reader_->source.open(path)) {
    throw std::runtime_error("sim: market source: " + reader_->source.error());
  }
}

CaptureFrames::~CaptureFrames() = default;

std::string_view CaptureFrames::next() {
  if (ended_) return {};
  if (!held_) {
    capture::CaptureRecord r{};
    for (std::uint32_t scanned = 0;; ++scanned) {
      if (scanned == kScanBudget) return {};  // a long stretch of other frames: next call
      if (!reader_->source.next(r)) {
        ended_ = true;
        return {};
      }
      if (!have_first_) {  // pace from the capture's first record, whichever venue it is of
        have_first_ = true;
        first_ns_ = r.receive_ns;
      }
      const Venue v = r.venue != Venue::unknown ? r.venue : recognise_venue(r.frame);
      if (v == venue_ && is_public_market_frame(v, r.frame.text())) break;
    }
    held_ = true;
    held_frame_ = r.frame.text();
    held_ns_ = r.receive_ns;
  }
  if (paced_) {
    const auto now = std::chrono::steady_clock::now();
    if (!started_) {
      started_ = true;
      started_at_ = now;
    }
    const auto since_start =
        std::chrono::duration_cast<std::chrono::nanoseconds>(now - started_at_);
    if (held_ns_ - first_ns_ > since_start.count()) return {};  // not due yet
  }
  held_ = false;
  ++delivered_;
  return held_frame_;
}

}  // namespace mde::sim
