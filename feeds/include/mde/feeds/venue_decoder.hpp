// VenueDecoder: one FrameDecoder for every venue the engine speaks, for inputs that may carry
// several (a mixed text capture, a native capture that recorded the venue per frame).
//
// The venue comes from the record when the capture knows it, otherwise from the frame's envelope
// (venue_sniff). Each venue's own decoder then decodes the frame into the sink.
//
// Thread: one per input thread, like the venue decoders it holds (each owns a parser). The
// constructor allocates (setup); decode() never allocates, locks or throws.
#pragma once

#include "mde/core/events.hpp"
#include "mde/core/frame.hpp"
#include "mde/core/instrument.hpp"
#include "mde/core/venue.hpp"
#include "mde/feeds/btse/decoder.hpp"
#include "mde/feeds/coinone/decoder.hpp"
#include "mde/feeds/decode_status.hpp"
#include "mde/feeds/event_sink.hpp"
#include "mde/feeds/venue_sniff.hpp"

namespace mde {

struct VenueDecoderOptions {
  // Register markets as they are met (several input threads may do so at once: the registry is
  // safe for that). Off: frames for unregistered markets are rejected as unknown_instrument.
  bool add_unknown_instruments = true;
  std::size_t max_frame_bytes = 1 << 20;
};

class VenueDecoder {
 public:
  VenueDecoder(InstrumentRegistry& registry, VenueDecoderOptions options)
      : coinone_(registry, {.max_frame_bytes = options.max_frame_bytes,
                            .add_unknown_instruments = options.add_unknown_instruments}),
        btse_(registry, {.max_frame_bytes = options.max_frame_bytes,
                         .add_unknown_instruments = options.add_unknown_instruments}) {}

  template <EventSink Sink>
  DecodeResult decode(FrameView frame, Sink& sink, Venue hint = Venue::unknown) noexcept {
    const Venue venue = hint != Venue::unknown ? hint : recognise_venue(frame);
    switch (venue) {
      case Venue::coinone: return coinone_.decode(frame, sink);
      case Venue::btse: return btse_.decode(frame, sink);
      default: return {DecodeStatus::unknown_venue, ""};
    }
  }

 private:
  coinone::Decoder coinone_;
  btse::Decoder btse_;
};

static_assert(FrameDecoder<VenueDecoder>);

}  // namespace mde
