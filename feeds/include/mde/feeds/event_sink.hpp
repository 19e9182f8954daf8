// The decoding interface every venue implements, and the sink it writes events into.
//
// A frame decoder turns the bytes of one frame into zero or more events. A Coinone frame carries
// one event; a BTSE trade frame carries a batch; a large BTSE delta travels as several parts of
// one book update (events.hpp, BookPartFlag). The decoder writes each event into the Event the
// sink lends it (`sink.event()`), then hands it on with `sink.emit()`. The sink stamps the header
// fields that belong to the input (receive time, connection) and takes care of the queue:
// claiming, batching, back-pressure or the opt-in drop policy (feeds/publish/event_publisher.hpp).
//
// Contract for decoders:
//  - validate the whole frame before the first emit(): a rejected frame emits nothing, so a batch
//    with one bad trade or a delta with one bad level changes no state downstream;
//  - after emit() the lent Event may be reused: call event() again for the next one;
//  - decode() never allocates, never throws and never blocks (emit() may wait for queue space
//    under back-pressure; that is the sink's business, and it returns false when the run is
//    stopping, after which the decoder returns without emitting more).
#pragma once

#include <concepts>

#include "mde/core/events.hpp"
#include "mde/core/frame.hpp"
#include "mde/feeds/decode_status.hpp"

namespace mde {

template <class S>
concept EventSink = requires(S& sink) {
  { sink.event() } -> std::same_as<Event&>;
  { sink.emit() } -> std::same_as<bool>;
};

// A sink that keeps the events of one frame in a caller-owned array: for tests, tools and
// benchmarks that want a frame's events without a queue. Events past the array are counted in
// `overflowed` and not kept.
template <std::size_t N>
struct ArraySink {
  Event events[N];
  std::size_t count = 0;
  std::size_t overflowed = 0;
  Event spare;

  Event& event() noexcept { return count < N ? events[count] : spare; }
  bool emit() noexcept {
    if (count < N) ++count;
    else ++overflowed;
    return true;
  }
  void clear() noexcept { count = overflowed = 0; }
};

template <class D>
concept FrameDecoder = requires(D& decoder, FrameView frame, ArraySink<1>& sink) {
  { decoder.decode(frame, sink) } -> std::same_as<DecodeResult>;
};

}  // namespace mde
