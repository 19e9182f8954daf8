#include "mde/book/balances.hpp"

#include <cstring>

#include "id_hash.hpp"

namespace mde {

Balances::Balances() noexcept { std::memset(slots_, kEmptySlot, sizeof(slots_)); }

const Balance* Balances::find(std::string_view currency) const noexcept {
  for (std::size_t i = book_detail::hash_id(currency) & (kSlots - 1);; i = (i + 1) & (kSlots - 1)) {
    const std::uint8_t at = slots_[i];
    if (at == kEmptySlot) return nullptr;
    if (balances_[at].currency == currency) return &balances_[at];
  }
}

BalanceApply Balances::apply(const EventHeader& header, const AssetEvent& event) noexcept {
  ++counters_.events;
  if (event.count > kMaxAssetsPerEvent) {
    ++counters_.malformed;
    return BalanceApply::malformed;
  }
  BalanceApply result = BalanceApply::applied;
  for (std::size_t k = 0; k < event.count; ++k) {
    const AssetBalance& in = event.assets[k];
    if (in.currency.empty()) {
      ++counters_.refused;
      result = BalanceApply::partial;
      continue;
    }
    std::size_t i = book_detail::hash_id(in.currency.view()) & (kSlots - 1);
    for (; slots_[i] != kEmptySlot; i = (i + 1) & (kSlots - 1)) {
      if (balances_[slots_[i]].currency == in.currency) break;
    }
    if (slots_[i] == kEmptySlot) {
      if (size_ == kCapacity) {
        ++counters_.refused;
        result = BalanceApply::partial;
        continue;
      }
      Balance& fresh = balances_[size_];
      fresh = Balance{};
      fresh.currency = in.currency;
      slots_[i] = static_cast<std::uint8_t>(size_++);
    }
    Balance& b = balances_[slots_[i]];
    b.available = in.available;
    b.locked = in.locked;
    b.last_update_ns = header.receive_ns;
    b.last_reason = event.reason;
    ++b.updates;
    ++counters_.updates;
  }
  return result;
}

}  // namespace mde
