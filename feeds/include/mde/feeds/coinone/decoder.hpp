// coinone::Decoder: one Coinone WebSocket frame -> one mde::Event.
//
// Decodes every server frame of the public (ORDERBOOK, TRADE, TICKER) and private (MYORDER,
// MYASSET) channels and the control frames (CONNECTED, SUBSCRIBED, UNSUBSCRIBED, PONG, ERROR), in
// DEFAULT and SHORT formats, detected per frame. Key order never matters, unknown keys are
// skipped, null means absent.
//
// Thread: one Decoder per I/O thread (it owns a reusable simdjson On-Demand parser). The
// constructor allocates (setup); decode() never allocates, never throws and never builds a DOM.
// On rejection the event's kind is EventKind::none and the result names the reason and field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "mde/core/events.hpp"
#include "mde/core/frame.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/decode_status.hpp"
#include "mde/feeds/event_sink.hpp"

namespace mde::coinone {

struct DecoderOptions {
  std::size_t max_frame_bytes = 1 << 20;
  // Add markets not yet registered instead of rejecting them (the registry is safe for several
  // adding threads; see instrument.hpp).
  bool add_unknown_instruments = false;
  std::uint32_t connection = 0;  // copied into every event header
};

class Decoder {
 public:
  // Allocates the parser; throws std::bad_alloc on failure (setup only).
  explicit Decoder(InstrumentRegistry& registry, DecoderOptions options = {});
  ~Decoder();
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  // `frame` must have kFramePadding readable bytes after its end. Sets out.header.receive_ns to 0;
  // the caller stamps it.
  DecodeResult decode(FrameView frame, Event& out) noexcept;

  // The FrameDecoder interface (event_sink.hpp): a Coinone frame is one event, emitted only when
  // the frame decoded.
  template <EventSink Sink>
  DecodeResult decode(FrameView frame, Sink& sink) noexcept {
    const DecodeResult r = decode(frame, sink.event());
    if (r.ok()) (void)sink.emit();
    return r;
  }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The SIMD kernel simdjson uses for the inline On-Demand code compiled into the decoder (chosen
// at compile time from -march) and the one the library picked at run time for stage 1.
[[nodiscard]] const char* inline_simd_kernel() noexcept;
[[nodiscard]] const char* runtime_simd_kernel() noexcept;

}  // namespace mde::coinone
