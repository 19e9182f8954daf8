// libFuzzer target: any bytes into btse::Decoder::decode, with the decoder compiled under
// ASan+UBSan and coverage (tests/fuzz/CMakeLists.txt). Beyond "no crash, no UB", it checks the
// decoder's contract on every input and traps when it is broken:
//  - a rejection emits nothing, names a real status, a field string and a subject (a real
//    channel, a registered market's book or none), leaves parsed() none;
//  - every emitted event is a BTSE book, trade or control with its counts and texts in their
//    slots, positive prices, non-negative sizes and registered instruments;
//  - the parts of one book update are flagged first/middle/last, share id and prev_id, hold each
//    price at most once per side and put every deletion before every insertion;
//  - decoding the same bytes again (into events poisoned differently) gives the same events.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#include "mde/core/events.hpp"
#include "mde/core/frame.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/btse/decoder.hpp"
#include "mde/feeds/venue_sniff.hpp"
#include "fuzz_support.hpp"

namespace {

using namespace mde;
using fuzz::same_event;

// Enough for the largest frame the decoder accepts (1024 trades) plus a margin it must not use.
constexpr std::size_t kSinkCapacity = btse::kMaxTradesPerFrame + 64;

struct PoisonedSink {
  std::unique_ptr<Event[]> events{new Event[kSinkCapacity]};
  std::size_t count = 0;
  unsigned char poison = 0xA5;

  Event& event() noexcept {
    MDE_FUZZ_CHECK(count < kSinkCapacity);
    std::memset(static_cast<void*>(&events[count]), poison, sizeof(Event));
    return events[count];
  }
  bool emit() noexcept {
    ++count;
    return true;
  }
};

struct Fuzzer {
  InstrumentRegistry registry;
  std::unique_ptr<btse::Decoder> decoder;
  PoisonedSink first;
  PoisonedSink second;
  std::unique_ptr<Decimal::rep[]> prices{new Decimal::rep[btse::kMaxEntriesPerSide]};

  Fuzzer() {
    // Fixed markets and no adding: the outcome of an input never depends on earlier inputs.
    for (const char* m : {"BTC-USD", "ETH-USD", "BTC-PERP"}) (void)registry.add(Venue::btse, m);
    decoder = std::make_unique<btse::Decoder>(registry, btse::DecoderOptions{
                                                            .max_frame_bytes = 1 << 16});
    second.poison = 0x5A;
  }
};

bool registered(const Fuzzer& f, InstrumentId id) {
  return !f.registry.name(id).empty() && f.registry.venue(id) == Venue::btse;
}

// One side of a whole update (all parts): each price once, deletions first.
void check_side(Fuzzer& f, const Event* events, std::size_t n, bool bids) {
  std::size_t total = 0;
  bool seen_insert = false;
  for (std::size_t i = 0; i < n; ++i) {
    const BookUpdate& b = events[i].book;
    const std::size_t count = bids ? b.bid_count : b.ask_count;
    MDE_FUZZ_CHECK(count <= kMaxBookLevels);
    for (std::size_t k = 0; k < count; ++k) {
      const PriceLevel& l = bids ? b.bids[k] : b.asks[k];
      MDE_FUZZ_CHECK(l.price.mantissa() > 0 && !l.qty.is_negative());
      if (l.qty.is_zero()) MDE_FUZZ_CHECK(!seen_insert);
      else seen_insert = true;
      MDE_FUZZ_CHECK(total < btse::kMaxEntriesPerSide);
      f.prices[total++] = l.price.mantissa();
    }
  }
  std::sort(f.prices.get(), f.prices.get() + total);
  MDE_FUZZ_CHECK(std::adjacent_find(f.prices.get(), f.prices.get() + total) ==
                 f.prices.get() + total);
}

void check_events(Fuzzer& f, const PoisonedSink& sink) {
  const Event* events = sink.events.get();
  const std::size_t n = sink.count;
  for (std::size_t i = 0; i < n; ++i) {
    const EventHeader& h = events[i].header;
    MDE_FUZZ_CHECK(h.venue == Venue::btse && h.receive_ns == 0 && h.enqueue_tsc == 0);
    MDE_FUZZ_CHECK(h.kind == events[0].header.kind);  // one frame, one family
    switch (h.kind) {
      case EventKind::book: {
        const BookUpdate& b = events[i].book;
        MDE_FUZZ_CHECK(registered(f, h.instrument) && h.exchange_ns > 0);
        MDE_FUZZ_CHECK(b.has_more_parts() == (i + 1 < n));
        MDE_FUZZ_CHECK(b.is_continuation() == (i > 0));
        MDE_FUZZ_CHECK(b.action == BookAction::snapshot || b.action == BookAction::delta);
        MDE_FUZZ_CHECK(((b.part_flags & kBookSnapshotResets) != 0) ==
                       (b.action == BookAction::snapshot));
        MDE_FUZZ_CHECK((b.part_flags & ~7u) == 0);
        MDE_FUZZ_CHECK(b.id == events[0].book.id && b.prev_id == events[0].book.prev_id &&
                       b.action == events[0].book.action &&
                       h.instrument == events[0].header.instrument);
        if (i + 1 < n) MDE_FUZZ_CHECK(std::max(b.bid_count, b.ask_count) == kMaxBookLevels);
        break;
      }
      case EventKind::trade: {
        const Trade& t = events[i].trade;
        MDE_FUZZ_CHECK(registered(f, h.instrument) && h.exchange_ns > 0);
        MDE_FUZZ_CHECK(t.price.mantissa() > 0 && !t.qty.is_negative());
        MDE_FUZZ_CHECK(t.taker_side == Side::buy || t.taker_side == Side::sell);
        MDE_FUZZ_CHECK(!t.id.empty() && t.id.size() <= 20);
        for (char c : t.id.view()) MDE_FUZZ_CHECK(c >= '0' && c <= '9');
        break;
      }
      case EventKind::control: {
        const Control& c = events[i].control;
        MDE_FUZZ_CHECK(c.type <= ControlType::error && c.channel <= Channel::assets);
        MDE_FUZZ_CHECK(c.topic.size() <= 47 && c.message.size() <= 63 && c.field.empty());
        MDE_FUZZ_CHECK(c.topic_count == (c.topic.empty() ? 0 : 1));
        MDE_FUZZ_CHECK(h.instrument == kNoInstrument || registered(f, h.instrument));
        MDE_FUZZ_CHECK(h.exchange_ns == 0);
        break;
      }
      default:
        MDE_FUZZ_CHECK(false);
    }
  }
  if (n > 0 && events[0].header.kind == EventKind::book) {
    MDE_FUZZ_CHECK(n <= btse::kMaxEntriesPerSide / kMaxBookLevels);
    check_side(f, events, n, true);
    check_side(f, events, n, false);
  }
  if (n > 0 && events[0].header.kind == EventKind::trade) MDE_FUZZ_CHECK(n <= btse::kMaxTradesPerFrame);
  if (n > 0 && events[0].header.kind == EventKind::control) {
    MDE_FUZZ_CHECK(n <= btse::kMaxControlsPerFrame);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fuzzer* const fuzzer = new Fuzzer();  // once; never freed (the process ends)
  const fuzz::PaddedInput input(data, size, ']');
  const FrameView frame = input.frame;
  (void)recognise_venue(frame);  // must not read past the frame or crash on anything

  fuzzer->first.count = 0;
  const DecodeResult r1 = fuzzer->decoder->decode(frame, fuzzer->first);
  MDE_FUZZ_CHECK(r1.status < DecodeStatus::kCount && r1.field != nullptr);
  if (r1.ok()) {
    check_events(*fuzzer, fuzzer->first);
  } else {
    MDE_FUZZ_CHECK(fuzzer->first.count == 0);
    MDE_FUZZ_CHECK(fuzzer->decoder->parsed().kind == btse::FrameKind::none);
  }

  fuzzer->second.count = 0;
  const DecodeResult r2 = fuzzer->decoder->decode(frame, fuzzer->second);
  MDE_FUZZ_CHECK(r2.status == r1.status && std::strcmp(r2.field, r1.field) == 0);
  MDE_FUZZ_CHECK(fuzzer->second.count == fuzzer->first.count);
  for (std::size_t i = 0; i < fuzzer->first.count; ++i) {
    MDE_FUZZ_CHECK(same_event(fuzzer->first.events[i], fuzzer->second.events[i]));
  }
  fuzz::check_subject(r1, r2, Venue::btse, [&](InstrumentId id) { return registered(*fuzzer, id); });
  return 0;
}
