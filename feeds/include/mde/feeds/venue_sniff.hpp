// Which venue a frame came from, judged by its envelope alone: for text captures that mix venues
// line by line (a native capture records the connection instead).
//
//  - a top-level `topic`, `event` or `severity` key, or the plain-text `pong`: BTSE;
//  - a top-level `response_type` (DEFAULT) or `r` (SHORT) key: Coinone;
//  - anything else: Venue::unknown (the caller decides; it is not a decode).
//
// Cheap by construction: the first key decides almost every frame (both venues put their envelope
// key first); otherwise one scan of the top-level keys, skipping nested values and strings. It
// does not validate the JSON: the decoder does that.
// Thread: any. Never allocates, never throws. Reads only [data, data + size).
#pragma once

#include "mde/core/frame.hpp"
#include "mde/core/venue.hpp"

namespace mde {

[[nodiscard]] Venue recognise_venue(FrameView frame) noexcept;

}  // namespace mde
