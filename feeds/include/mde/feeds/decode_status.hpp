// Why a frame was rejected. Decoders return these as values; nothing on the data path throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mde/core/events.hpp"
#include "mde/core/instrument.hpp"
#include "mde/core/venue.hpp"

namespace mde {

enum class DecodeStatus : std::uint8_t {
  ok,
  empty_input,
  frame_too_large,        // larger than the decoder's fixed capacity
  invalid_utf8,
  malformed_json,         // not JSON: truncated, bad token, unbalanced
  nesting_too_deep,
  trailing_content,       // bytes after the top-level value
  not_an_object,          // the frame or a payload is not a JSON object
  missing_field,          // a required field is absent or null
  duplicate_field,        // the same key twice in one object
  wrong_type,             // e.g. an object where a string belongs
  bad_number,             // not an exact decimal/integer, or out of the representable range
  bad_value,              // a string outside the allowed set (side, order type, ...)
  field_too_long,         // an id or text longer than its fixed slot
  unknown_response_type,
  unknown_channel,
  unknown_instrument,     // market not registered (and the decoder may not add it)
  too_many_levels,        // more book levels than kMaxBookLevels
  too_many_assets,        // more balances than kMaxAssetsPerEvent
  unknown_venue,          // the frame's envelope matches no venue this decoder speaks
  too_many_events,        // one frame carries more events than the decoder's batch capacity
  kCount
};

inline constexpr std::size_t kDecodeStatusCount = static_cast<std::size_t>(DecodeStatus::kCount);

[[nodiscard]] constexpr std::string_view to_string(DecodeStatus s) noexcept {
  switch (s) {
    case DecodeStatus::ok: return "ok";
    case DecodeStatus::empty_input: return "empty_input";
    case DecodeStatus::frame_too_large: return "frame_too_large";
    case DecodeStatus::invalid_utf8: return "invalid_utf8";
    case DecodeStatus::malformed_json: return "malformed_json";
    case DecodeStatus::nesting_too_deep: return "nesting_too_deep";
    case DecodeStatus::trailing_content: return "trailing_content";
    case DecodeStatus::not_an_object: return "not_an_object";
    case DecodeStatus::missing_field: return "missing_field";
    case DecodeStatus::duplicate_field: return "duplicate_field";
    case DecodeStatus::wrong_type: return "wrong_type";
    case DecodeStatus::bad_number: return "bad_number";
    case DecodeStatus::bad_value: return "bad_value";
    case DecodeStatus::field_too_long: return "field_too_long";
    case DecodeStatus::unknown_response_type: return "unknown_response_type";
    case DecodeStatus::unknown_channel: return "unknown_channel";
    case DecodeStatus::unknown_instrument: return "unknown_instrument";
    case DecodeStatus::too_many_levels: return "too_many_levels";
    case DecodeStatus::too_many_assets: return "too_many_assets";
    case DecodeStatus::unknown_venue: return "unknown_venue";
    case DecodeStatus::too_many_events: return "too_many_events";
    case DecodeStatus::kCount: break;
  }
  return "?";
}

// What a rejected frame was about, as far as the decoder read it before giving up: the stream
// whose state that frame would have changed. A rejected frame is a lost update for that stream,
// so the producer tells the core thread (EventPublisher::report_rejected), which marks the book
// or the order / balance stream stale instead of letting it look right. `channel` none: the
// envelope itself was unreadable. `instrument` is set for book frames whose market the decoder
// had read and knows (kNoInstrument otherwise). `chained`: the stream numbers its updates (BTSE
// books: seqNum / prevSeqNum), so a lost one shows as a gap at the next update and the book
// needs no notice; a rejected frame that was not a real update (junk on the topic) then costs
// nothing.
struct RejectedSubject {
  Channel channel = Channel::none;
  Venue venue = Venue::unknown;
  bool chained = false;
  InstrumentId instrument = kNoInstrument;
};

// A decode outcome: the status and, for field-level problems, the field's name (a string
// literal, so carrying it costs nothing and it never dangles); for a rejection, its subject.
struct [[nodiscard]] DecodeResult {
  DecodeStatus status = DecodeStatus::ok;
  RejectedSubject subject{};  // set by the decoders' public decode() on rejection
  const char* field = "";

  constexpr DecodeResult() noexcept = default;
  constexpr DecodeResult(DecodeStatus s, const char* f = "") noexcept : status(s), field(f) {}

  [[nodiscard]] constexpr bool ok() const noexcept { return status == DecodeStatus::ok; }
  friend constexpr bool operator==(DecodeResult a, DecodeStatus s) noexcept {
    return a.status == s;
  }
};
static_assert(sizeof(DecodeResult) == 16, "a decode result stays two registers wide");

}  // namespace mde
