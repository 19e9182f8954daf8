#include "mde/core/instrument.hpp"

namespace mde {

InstrumentRegistry::InstrumentRegistry() noexcept { slots_.fill(kEmptySlot); }

std::size_t InstrumentRegistry::hash(std::string_view name) noexcept {
  // FNV-1a: names are short, and the table is built once.
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
  return static_cast<std::size_t>(h ^ (h >> 32));
}

std::optional<InstrumentId> InstrumentRegistry::find(std::string_view name) const noexcept {
  for (std::size_t i = hash(name) & (kSlots - 1);; i = (i + 1) & (kSlots - 1)) {
    const std::uint16_t id = slots_[i];
    if (id == kEmptySlot) return std::nullopt;
    if (names_[id].view() == name) return id;
  }
}

std::optional<InstrumentId> InstrumentRegistry::add(std::string_view name) noexcept {
  if (name.empty() || name.size() > InstrumentName::kCapacity) return std::nullopt;
  std::size_t i = hash(name) & (kSlots - 1);
  for (;; i = (i + 1) & (kSlots - 1)) {
    const std::uint16_t id = slots_[i];
    if (id == kEmptySlot) break;
    if (names_[id].view() == name) return id;
  }
  const std::uint32_t id = size_.load(std::memory_order_relaxed);
  if (id >= kCapacity) return std::nullopt;
  (void)names_[id].assign(name);  // length checked above
  slots_[i] = static_cast<std::uint16_t>(id);
  size_.store(id + 1, std::memory_order_release);
  return static_cast<InstrumentId>(id);
}

std::string_view InstrumentRegistry::name(InstrumentId id) const noexcept {
  return id < size() ? names_[id].view() : std::string_view{};
}

}  // namespace mde
