#include "mde/book/trade_stats.hpp"

#include "id_hash.hpp"

namespace mde {
namespace {

constexpr std::size_t kSlotMask = TradeStats::kSlots - 1;
constexpr std::size_t kRingMask = TradeStats::kWindow - 1;

}  // namespace

TradeStats::TradeStats(std::size_t instruments)
    : stats_(instruments), windows_(std::make_unique<Window[]>(instruments)) {}

TradeStats::~TradeStats() = default;

bool TradeStats::contains(const Window& w, std::uint64_t fp) noexcept {
  for (std::size_t i = fp & kSlotMask; w.slots[i] != 0; i = (i + 1) & kSlotMask) {
    if (w.ids[w.slots[i] - 1] == fp) return true;
  }
  return false;
}

void TradeStats::remember(Window& w, std::uint64_t fp) noexcept {
  std::size_t at;
  if (w.count == kWindow) {
    // The ring is full: the oldest id leaves the set (backward-shift deletion keeps every probe
    // chain unbroken without tombstones) and its position takes the new one.
    at = w.head;
    w.head = static_cast<std::uint32_t>((w.head + 1) & kRingMask);
    std::size_t i = w.ids[at] & kSlotMask;
    while (w.slots[i] - 1u != at) i = (i + 1) & kSlotMask;
    for (std::size_t j = (i + 1) & kSlotMask; w.slots[j] != 0; j = (j + 1) & kSlotMask) {
      const std::size_t home = w.ids[w.slots[j] - 1] & kSlotMask;
      // The entry at j may move to i only if its home is not cyclically within (i, j].
      const bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!stays) {
        w.slots[i] = w.slots[j];
        i = j;
      }
    }
    w.slots[i] = 0;
  } else {
    at = (w.head + w.count++) & kRingMask;
  }
  w.ids[at] = fp;
  std::size_t i = fp & kSlotMask;
  while (w.slots[i] != 0) i = (i + 1) & kSlotMask;
  w.slots[i] = static_cast<std::uint16_t>(at + 1);
}

TradeApply TradeStats::apply(InstrumentId instrument, const Trade& trade,
                             std::int64_t exchange_ns) noexcept {
  if (instrument >= stats_.size()) {
    ++counters_.bad_instrument;
    return TradeApply::bad_instrument;
  }
  TradeStat& s = stats_[instrument];
  if (trade.id.empty()) {
    ++counters_.without_id;
  } else {
    Window& w = windows_[instrument];
    const std::uint64_t fp = book_detail::hash_id(trade.id.view());
    if (contains(w, fp)) {
      ++s.duplicates;
      ++counters_.duplicates;
      return TradeApply::duplicate;
    }
    remember(w, fp);
  }
  ++counters_.counted;
  ++s.count;
  if (trade.taker_side == Side::buy) ++s.buyer_taker_count;
  // Both sums or neither: a trade whose qty or price x qty does not fit a Notional (only hostile
  // input gets there) is counted but leaves the sums as they were, never wrapped.
  Notional qty, notional, volume_sum, notional_sum;
  if (checked_widen(trade.qty, qty) && checked_multiply(trade.price, trade.qty, notional) &&
      checked_add(s.volume, qty, volume_sum) && checked_add(s.notional, notional, notional_sum)) {
    s.volume = volume_sum;
    s.notional = notional_sum;
  } else {
    ++counters_.sum_overflow;
  }
  s.last_id = trade.id;
  s.last_price = trade.price;
  s.last_exchange_ns = exchange_ns;
  return TradeApply::counted;
}

}  // namespace mde
