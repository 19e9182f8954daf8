// Balances: the account's available and locked amount per currency, from AssetEvents.
//
// Design: at most kCapacity currencies, stored inline in first-seen order (so iteration is
// deterministic and a span); a fixed open-addressing index (kSlots, power of two, load <= 1/2)
// maps a currency code to its position. An AssetEvent carries absolute values after the change,
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

namespace mde {

struct Balance {
  CurrencyCode currency;
  Decimal available;            // orderable
  Decimal locked;               // held by open orders; available + locked = total
  std::int64_t last_update_ns;  // receive time of the event that set these values
  std::uint64_t updates;        // how many events changed this currency
  AssetChangeReason last_reason;
};

enum class BalanceApply : std::uint8_t {
  applied,    // every currency in the event was stored
  partial,    // some currencies were refused (table full or empty code); see counters
  malformed,  // count beyond kMaxAssetsPerEvent: nothing stored
};

struct BalanceCounters {
  std::uint64_t events = 0;
  std::uint64_t updates = 0;  // currency entries stored
  std::uint64_t refused = 0;  // currency entries refused: table full or empty code
  std::uint64_t malformed = 0;
};

class Balances {
 public:
  static constexpr std::size_t kCapacity = 128;
  static constexpr std::size_t kSlots = 2 * kCapacity;
  static_assert((kSlots & (kSlots - 1)) == 0, "slot count must be a power of two");

  Balances() noexcept;

  // Stores every currency of the event. Never allocates.
  BalanceApply apply(const EventHeader& header, const AssetEvent& event) noexcept;

  // nullptr for a currency never seen. Valid until the next apply().
  [[nodiscard]] const Balance* find(std::string_view currency) const noexcept;
  // Every currency seen, first-seen order.
  [[nodiscard]] std::span<const Balance> all() const noexcept { return {balances_, size_}; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] const BalanceCounters& counters() const noexcept { return counters_; }

 private:
  static constexpr std::uint8_t kEmptySlot = 0xFF;
  static_assert(kCapacity < kEmptySlot, "positions must fit a slot byte");

  Balance balances_[kCapacity];
  std::uint8_t slots_[kSlots];
  std::size_t size_ = 0;
  BalanceCounters counters_;
};

static_assert(std::is_trivially_copyable_v<Balance> && std::is_trivially_copyable_v<Balances>);

}  // namespace mde
