#include "mde/book/balances.hpp"

#include <algorithm>
#include <cstring>

#include "id_hash.hpp"

namespace mde {
namespace {

// Upper-cases `text` (ASCII) into `out`. False when it does not fit a CurrencyCode.
[[nodiscard]] bool upper_code(std::string_view text, CurrencyCode& out) noexcept {
  char buf[CurrencyCode::kCapacity];
  if (text.size() > sizeof buf) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    buf[i] = c >= 'a' && c <= 'z' ? static_cast<char>(c - ('a' - 'A')) : c;
  }
  return out.assign(std::string_view(buf, text.size()));
}

}  // namespace

Balances::Balances() noexcept { std::fill(std::begin(slots_), std::end(slots_), kEmptySlot); }

std::size_t Balances::slot_of(Venue venue, std::string_view code) const noexcept {
  std::size_t i = book_detail::hash_id(code, static_cast<std::uint64_t>(venue) + 1) & (kSlots - 1);
  for (; slots_[i] != kEmptySlot; i = (i + 1) & (kSlots - 1)) {
    const Balance& b = balances_[slots_[i]];
    if (b.venue == venue && b.currency == code) break;
  }
  return i;
}

const Balance* Balances::find(Venue venue, std::string_view currency) const noexcept {
  CurrencyCode code;
  if (!upper_code(currency, code)) return nullptr;
  const std::uint16_t at = slots_[slot_of(venue, code.view())];
  return at == kEmptySlot ? nullptr : &balances_[at];
}

BalanceApply Balances::apply(const EventHeader& header, const AssetEvent& event) noexcept {
  ++counters_.events;
  if (event.count > kMaxAssetsPerEvent) {
    ++counters_.malformed;
    return BalanceApply::malformed;
  }
  // No amount is ever below zero: an event with one is corrupt as a whole (its currencies
  // changed together), so none of it is stored.
  for (std::size_t k = 0; k < event.count; ++k) {
    if (event.assets[k].available.is_negative() || event.assets[k].locked.is_negative()) {
      ++counters_.malformed;
      return BalanceApply::malformed;
    }
  }
  BalanceApply result = BalanceApply::applied;
  for (std::size_t k = 0; k < event.count; ++k) {
    const AssetBalance& in = event.assets[k];
    CurrencyCode code;
    if (in.currency.empty() || !upper_code(in.currency.view(), code)) {
      ++counters_.refused;
      result = BalanceApply::partial;
      continue;
    }
    const std::size_t i = slot_of(header.venue, code.view());
    if (slots_[i] == kEmptySlot) {
      if (size_ == kCapacity) {
        ++counters_.refused;
        result = BalanceApply::partial;
        continue;
      }
      Balance& fresh = balances_[size_];
      fresh = Balance{};
      fresh.currency = code;
      fresh.venue = header.venue;
      slots_[i] = static_cast<std::uint16_t>(size_++);
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
