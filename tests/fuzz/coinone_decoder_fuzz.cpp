// libFuzzer target: any bytes into coinone::Decoder::decode, with the decoder compiled under
// ASan+UBSan and coverage (tests/fuzz/CMakeLists.txt). Beyond "no crash, no UB", it checks the
// decoder's contract on every input and traps when it is broken:
//  - a rejection leaves kind none and names a real status, a field string and a subject (what
//    the frame was about: a real channel, a registered market's book or none);
//  - an accepted frame has a kind, the Coinone venue, and every count and text within its slot;
//  - decoding the same bytes again (into an event poisoned differently) gives the same result,
//    so no state leaks from one decode into the next and no output byte is left undefined.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#include "mde/core/events.hpp"
#include "mde/core/frame.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/coinone/decoder.hpp"
#include "fuzz_support.hpp"

namespace {

using namespace mde;
using fuzz::same_event;

struct Fuzzer {
  InstrumentRegistry registry;
  std::unique_ptr<coinone::Decoder> decoder;

  Fuzzer() {
    // Fixed markets and no adding: the outcome of an input never depends on earlier inputs.
    for (const char* m : {"XRP-KRW", "ETH-KRW", "BTC-KRW"}) (void)registry.add(Venue::coinone, m);
    decoder = std::make_unique<coinone::Decoder>(registry, coinone::DecoderOptions{
                                                               .max_frame_bytes = 1 << 16});
  }
};

template <std::size_t N>
void check_text(const FixedString<N>& s) {
  MDE_FUZZ_CHECK(s.size() <= N);
}

void check_accepted(const Fuzzer& f, const Event& e) {
  const EventHeader& h = e.header;
  MDE_FUZZ_CHECK(h.kind != EventKind::none);
  MDE_FUZZ_CHECK(h.venue == Venue::coinone);
  MDE_FUZZ_CHECK(h.receive_ns == 0);
  MDE_FUZZ_CHECK(h.exchange_ns >= 0);
  switch (h.kind) {
    case EventKind::book:
      MDE_FUZZ_CHECK(e.book.bid_count <= kMaxBookLevels && e.book.ask_count <= kMaxBookLevels);
      for (std::size_t i = 0; i < e.book.bid_count; ++i) {
        MDE_FUZZ_CHECK(!e.book.bids[i].price.is_negative() && !e.book.bids[i].qty.is_negative());
      }
      for (std::size_t i = 0; i < e.book.ask_count; ++i) {
        MDE_FUZZ_CHECK(!e.book.asks[i].price.is_negative() && !e.book.asks[i].qty.is_negative());
      }
      MDE_FUZZ_CHECK(!f.registry.name(h.instrument).empty());
      break;
    case EventKind::trade:
      check_text(e.trade.id);
      MDE_FUZZ_CHECK(!e.trade.price.is_negative() && !e.trade.qty.is_negative());
      MDE_FUZZ_CHECK(e.trade.taker_side == Side::buy || e.trade.taker_side == Side::sell);
      MDE_FUZZ_CHECK(h.exchange_ns > 0);
      MDE_FUZZ_CHECK(!f.registry.name(h.instrument).empty());
      break;
    case EventKind::ticker:
      MDE_FUZZ_CHECK((e.ticker.present & ~0xFu) == 0);
      MDE_FUZZ_CHECK(h.exchange_ns > 0);
      MDE_FUZZ_CHECK(!f.registry.name(h.instrument).empty());
      break;
    case EventKind::order:
      check_text(e.order.order_id);
      check_text(e.order.trade_id);
      check_text(e.order.client_order_id);
      check_text(e.order.venue_status);
      MDE_FUZZ_CHECK(!e.order.order_id.empty());
      MDE_FUZZ_CHECK((e.order.present & ~0x7FFu) == 0);
      MDE_FUZZ_CHECK(e.order.trade_id.empty() || e.order.has(kTradeId));
      MDE_FUZZ_CHECK(e.order.client_order_id.empty() || e.order.has(kClientOrderId));
      MDE_FUZZ_CHECK(e.order.side == Side::buy || e.order.side == Side::sell);
      MDE_FUZZ_CHECK(e.order.type <= OrderEventType::rejected);
      MDE_FUZZ_CHECK(e.order.order_type <= OrderType::stop_limit);
      MDE_FUZZ_CHECK(e.order.is_maker <= Tristate::yes);
      MDE_FUZZ_CHECK(e.order.executed_ns >= 0 && e.order.order_ns >= 0);
      MDE_FUZZ_CHECK(h.exchange_ns > 0);
      MDE_FUZZ_CHECK(!f.registry.name(h.instrument).empty());
      break;
    case EventKind::asset:
      MDE_FUZZ_CHECK(e.asset.count <= kMaxAssetsPerEvent);
      for (std::size_t i = 0; i < e.asset.count; ++i) check_text(e.asset.assets[i].currency);
      check_text(e.asset.order_id);
      check_text(e.asset.trade_id);
      check_text(e.asset.client_order_id);
      MDE_FUZZ_CHECK(e.asset.reason <= AssetChangeReason::cancel_post_only);
      MDE_FUZZ_CHECK(h.instrument == kNoInstrument);
      break;
    case EventKind::control:
      MDE_FUZZ_CHECK(e.control.type <= ControlType::error);
      MDE_FUZZ_CHECK(e.control.channel <= Channel::assets);
      check_text(e.control.session_id);
      check_text(e.control.message);
      check_text(e.control.field);
      MDE_FUZZ_CHECK(h.instrument == kNoInstrument || !f.registry.name(h.instrument).empty());
      break;
    case EventKind::none:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fuzzer* const fuzzer = new Fuzzer();  // once; never freed (the process ends)
  const fuzz::PaddedInput input(data, size, '}');
  const FrameView frame = input.frame;

  auto first = std::make_unique<Event>();
  auto second = std::make_unique<Event>();
  std::memset(static_cast<void*>(first.get()), 0xA5, sizeof(Event));
  std::memset(static_cast<void*>(second.get()), 0x5A, sizeof(Event));

  const DecodeResult r1 = fuzzer->decoder->decode(frame, *first);
  MDE_FUZZ_CHECK(r1.status < DecodeStatus::kCount);
  MDE_FUZZ_CHECK(r1.field != nullptr);
  if (r1.ok()) {
    check_accepted(*fuzzer, *first);
  } else {
    MDE_FUZZ_CHECK(first->header.kind == EventKind::none);
  }

  const DecodeResult r2 = fuzzer->decoder->decode(frame, *second);
  MDE_FUZZ_CHECK(r2.status == r1.status);
  MDE_FUZZ_CHECK(std::strcmp(r2.field, r1.field) == 0);
  // A rejected event promises only kind none; an accepted one, all its meaningful fields.
  MDE_FUZZ_CHECK(r1.ok() ? same_event(*first, *second) : second->header.kind == EventKind::none);
  fuzz::check_subject(r1, r2, Venue::coinone, [&](InstrumentId id) {
    return !fuzzer->registry.name(id).empty() && fuzzer->registry.venue(id) == Venue::coinone;
  });
  return 0;
}
