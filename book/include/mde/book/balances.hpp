// Balances: the account's available and locked amount per (venue, currency), from AssetEvents.
//
// Design: at most kCapacity (venue, currency) pairs, stored inline in first-seen order (so
// iteration is deterministic and a span); a fixed open-addressing index (kSlots, power of two,
// load <= 1/2) maps a key to its position. Currency codes are normalised to upper case (ASCII) on
// the way in and in find(), so "krw" and "KRW" are one balance; the same code on two venues is
// two balances (the venue comes from EventHeader::venue). An AssetEvent carries absolute values after the change,
// so each currency in it simply overwrites the previous values. The venues send no sequence
// numbers for balances: the last event applied wins; reconciling with REST is the feed's job.
//
// Thread: owned by the one core (engine) thread. Never allocates, never throws, never locks;
// trivially copyable. Knows no venue or wire format.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

#include "mde/core/decimal.hpp"
#include "mde/core/events.hpp"
#include "mde/core/fixed_string.hpp"
#include "mde/core/venue.hpp"

namespace mde {

struct Balance {
  CurrencyCode currency;        // upper case
  Decimal available;            // orderable
  Decimal locked;               // held by open orders; available + locked = total
  std::int64_t last_update_ns;  // receive time of the event that set these values
  std::uint64_t updates;        // how many events changed this currency
  AssetChangeReason last_reason;
  Venue venue;
};

enum class BalanceApply : std::uint8_t {
  applied,    // every currency in the event was stored
  partial,    // some currencies were refused (table full or empty code); see counters
  malformed,  // count beyond kMaxAssetsPerEvent, or a negative amount: nothing stored
};

struct BalanceCounters {
  std::uint64_t events = 0;
  std::uint64_t updates = 0;  // currency entries stored
  std::uint64_t refused = 0;  // currency entries refused: table full or empty code
  std::uint64_t malformed = 0;
};

class Balances {
 public:
  static constexpr std::size_t kCapacity = 256;
  static constexpr std::size_t kSlots = 2 * kCapacity;
  static_assert((kSlots & (kSlots - 1)) == 0, "slot count must be a power of two");

  Balances() noexcept;

  // Stores every currency of the event. Never allocates.
  BalanceApply apply(const EventHeader& header, const AssetEvent& event) noexcept;

  // nullptr for a (venue, currency) never seen; `currency` in any case. Valid until the next
  // apply().
  [[nodiscard]] const Balance* find(Venue venue, std::string_view currency) const noexcept;
  // Every (venue, currency) seen, first-seen order.
  [[nodiscard]] std::span<const Balance> all() const noexcept { return {balances_, size_}; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] const BalanceCounters& counters() const noexcept { return counters_; }

 private:
  static constexpr std::uint16_t kEmptySlot = 0xFFFF;
  static_assert(kCapacity < kEmptySlot, "positions must fit a slot");

  // The slot holding (venue, code), or the empty slot where it would go. `code` is upper case.
  [[nodiscard]] std::size_t slot_of(Venue venue, std::string_view code) const noexcept;

  Balance balances_[kCapacity];
  std::uint16_t slots_[kSlots];
  std::size_t size_ = 0;
  BalanceCounters counters_;
};

static_assert(std::is_trivially_copyable_v<Balance> && std::is_trivially_copyable_v<Balances>);
// Code 16, two 16-byte Decimals, 16 of time and count, 2 of reason and venue, padded to 16.
static_assert(sizeof(Balance) == 80);

}  // namespace mde
