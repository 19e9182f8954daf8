// libFuzzer target: any bytes into coinone::Decoder::decode, with the decoder compiled under
// ASan+UBSan and coverage (tests/fuzz/CMakeLists.txt). Beyond "no crash, no UB", it checks the
// decoder's contract on every input and traps when it is broken:
//  - a rejection leaves kind none and names a real status and a field string;
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

namespace {

using namespace mde;

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

#define MDE_FUZZ_CHECK(cond) \
  do {                       \
    if (!(cond)) __builtin_trap(); \
  } while (0)

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

template <std::size_t N>
bool same(const FixedString<N>& a, const FixedString<N>& b) {
  return a.view() == b.view();
}

// The meaningful fields of two decodes of the same bytes are identical.
bool same_event(const Event& a, const Event& b) {
  const EventHeader& x = a.header;
  const EventHeader& y = b.header;
  if (x.kind != y.kind || x.venue != y.venue || x.instrument != y.instrument ||
      x.exchange_ns != y.exchange_ns || x.connection != y.connection) {
    return false;
  }
  switch (x.kind) {
    case EventKind::book: {
      const BookUpdate& p = a.book;
      const BookUpdate& q = b.book;
      return p.id == q.id && p.prev_id == q.prev_id && p.action == q.action &&
             p.bid_count == q.bid_count && p.ask_count == q.ask_count &&
             std::memcmp(p.bids, q.bids, p.bid_count * sizeof(PriceLevel)) == 0 &&
             std::memcmp(p.asks, q.asks, p.ask_count * sizeof(PriceLevel)) == 0;
    }
    case EventKind::trade:
      return same(a.trade.id, b.trade.id) && a.trade.price == b.trade.price &&
             a.trade.qty == b.trade.qty && a.trade.taker_side == b.trade.taker_side;
    case EventKind::ticker:
      // decode_ticker zeroes the struct first: every byte is defined.
      return std::memcmp(&a.ticker, &b.ticker, sizeof(Ticker)) == 0;
    case EventKind::order: {
      const OrderEvent& p = a.order;
      const OrderEvent& q = b.order;
      if (!same(p.order_id, q.order_id) || !same(p.trade_id, q.trade_id) ||
          !same(p.client_order_id, q.client_order_id) || !same(p.venue_status, q.venue_status) ||
          p.executed_ns != q.executed_ns || p.order_ns != q.order_ns || p.present != q.present ||
          p.type != q.type || p.side != q.side || p.order_type != q.order_type ||
          p.is_maker != q.is_maker) {
        return false;
      }
      const Decimal OrderEvent::*values[] = {
          &OrderEvent::order_price,    &OrderEvent::order_qty,    &OrderEvent::order_amount,
          &OrderEvent::executed_price, &OrderEvent::executed_qty, &OrderEvent::executed_fee,
          &OrderEvent::remain_qty,     &OrderEvent::remain_amount, &OrderEvent::prevented_qty};
      for (std::size_t i = 0; i < std::size(values); ++i) {
        if ((p.present & (1u << i)) && !(p.*values[i] == q.*values[i])) return false;
      }
      return true;
    }
    case EventKind::asset: {
      const AssetEvent& p = a.asset;
      const AssetEvent& q = b.asset;
      if (p.count != q.count || p.reason != q.reason || !same(p.order_id, q.order_id) ||
          !same(p.trade_id, q.trade_id) || !same(p.client_order_id, q.client_order_id)) {
        return false;
      }
      for (std::size_t i = 0; i < p.count; ++i) {
        if (!same(p.assets[i].currency, q.assets[i].currency) ||
            !(p.assets[i].available == q.assets[i].available) ||
            !(p.assets[i].locked == q.assets[i].locked)) {
          return false;
        }
      }
      return true;
    }
    case EventKind::control: {
      const Control& p = a.control;
      const Control& q = b.control;
      return p.type == q.type && p.channel == q.channel && p.topic_count == q.topic_count &&
             p.error_code == q.error_code && same(p.session_id, q.session_id) &&
             same(p.message, q.message) && same(p.field, q.field);
    }
    case EventKind::none:
      return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fuzzer* const fuzzer = new Fuzzer();  // once; never freed (the process ends)
  // Exactly the promised padding, so ASan reports any read past it. Its bytes are arbitrary
  // (the padding is never interpreted), so fill them with something a careless scanner would
  // follow: quotes and closing brackets.
  const std::unique_ptr<char[]> buffer(new char[size + kFramePadding]);
  if (size != 0) std::memcpy(buffer.get(), data, size);
  std::memset(buffer.get() + size, '"', kFramePadding / 2);
  std::memset(buffer.get() + size + kFramePadding / 2, '}', kFramePadding / 2);
  const FrameView frame{buffer.get(), size};

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
  return 0;
}
