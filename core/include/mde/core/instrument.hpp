// Instruments: "TARGET-QUOTE" names (e.g. "XRP-KRW") mapped to small integer ids.
//
// InstrumentRegistry is filled at setup (or, in single-reader tools, by the one decoding thread as
// it meets new markets) and read everywhere else. Design:
//  - the names live in a fixed array indexed by id; an id, once handed out, never changes;
//  - a fixed open-addressing index (power-of-two slots) maps a name to its id;
//  - add() and find() belong to ONE thread (the writer); name(id) may be called from any thread
//    for an id it received through a queue, because the queue's release/acquire orders the name
//    write before the id's arrival.
// Never allocates, never throws, never blocks.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "mde/core/fixed_string.hpp"

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

  // Returns the id of `name`, adding it if new. nullopt when the registry is full or the name is
  // empty or longer than InstrumentName holds. Writer thread only.
  [[nodiscard]] std::optional<InstrumentId> add(std::string_view name) noexcept;
  // Writer thread only (the index is not synchronised).
  [[nodiscard]] std::optional<InstrumentId> find(std::string_view name) const noexcept;

  // Any thread, for an id it received after add() returned it. Empty for an unknown id.
  [[nodiscard]] std::string_view name(InstrumentId id) const noexcept;
  [[nodiscard]] std::size_t size() const noexcept { return size_.load(std::memory_order_acquire); }

 private:
  static constexpr std::uint16_t kEmptySlot = 0xFFFF;
  static std::size_t hash(std::string_view name) noexcept;

  std::array<InstrumentName, kCapacity> names_;
  std::array<std::uint16_t, kSlots> slots_;
  std::atomic<std::uint32_t> size_{0};
};

}  // namespace mde
