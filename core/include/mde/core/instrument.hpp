// Instruments: (venue, "TARGET-QUOTE") pairs mapped to small integer ids.
//
// "BTC-USD" on BTSE and a "BTC-USD" on another venue are different instruments with different
// ids, so every book, trade statistic and order is kept per venue.
//
// Design (safe for several reader threads; decided for issue #6):
//  - the names and venues live in fixed arrays indexed by id; an id, once handed out, never
//    changes and its entry is never rewritten;
//  - a fixed open-addressing index (power-of-two slots of atomic ids) maps (venue, name) to id;
//  - find() and name()/venue() are lock-free and may run on any thread at any time: an id is
//    stored into its slot with release order after its name and venue were written, and read
//    with acquire order;
//  - add() of a name that is already there is the same lock-free lookup. Adding a NEW name takes
//    a mutex (several reader threads may meet the same new market at once; they must agree on
//    one id). That happens once per market for the life of the process, never per frame after
//    the first; decoders cache the ids they resolved. The mutex never allocates.
// Never allocates, never throws.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>

#include "mde/core/fixed_string.hpp"
#include "mde/core/venue.hpp"

namespace mde {

using InstrumentId = std::uint16_t;
inline constexpr InstrumentId kNoInstrument = 0xFFFF;

using InstrumentName = FixedString<31>;

class InstrumentRegistry {
 public:
  static constexpr std::size_t kCapacity = 1024;
  static constexpr std::size_t kSlots = 2 * kCapacity;  // load factor <= 1/2
  static_assert((kSlots & (kSlots - 1)) == 0, "slot count must be a power of two");

  InstrumentRegistry() noexcept;
  InstrumentRegistry(const InstrumentRegistry&) = delete;
  InstrumentRegistry& operator=(const InstrumentRegistry&) = delete;

  // Returns the id of (venue, name), adding it if new. nullopt when the registry is full or the
  // name is empty or longer than InstrumentName holds. Any thread; a new name takes a lock once.
  [[nodiscard]] std::optional<InstrumentId> add(Venue venue, std::string_view name) noexcept;
  // Any thread, lock-free.
  [[nodiscard]] std::optional<InstrumentId> find(Venue venue,
                                                 std::string_view name) const noexcept;

  // Any thread, for an id it received from add()/find() or through a queue. Empty / unknown for
  // an id that was never handed out.
  [[nodiscard]] std::string_view name(InstrumentId id) const noexcept;
  [[nodiscard]] Venue venue(InstrumentId id) const noexcept;
  [[nodiscard]] std::size_t size() const noexcept { return size_.load(std::memory_order_acquire); }

 private:
  static constexpr std::uint16_t kEmptySlot = 0xFFFF;
  static std::size_t hash(Venue venue, std::string_view name) noexcept;
  // The slot holding (venue, name), or the empty slot where it would go.
  [[nodiscard]] std::size_t probe(Venue venue, std::string_view name, std::uint16_t& id) const noexcept;

  std::array<InstrumentName, kCapacity> names_;
  std::array<Venue, kCapacity> venues_;
  std::array<std::atomic<std::uint16_t>, kSlots> slots_;
  std::atomic<std::uint32_t> size_{0};
  std::mutex add_mutex_;  // serialises additions of new names only
};

}  // namespace mde
