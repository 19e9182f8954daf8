#include "mde/core/instrument.hpp"

namespace mde {

InstrumentRegistry::InstrumentRegistry() noexcept {
  for (auto& s : slots_) s.store(kEmptySlot, std::memory_order_relaxed);
}

std::size_t InstrumentRegistry::hash(Venue venue, std::string_view name) noexcept {
  // FNV-1a over the venue byte and the name: names are short, and the table is built once.
  std::uint64_t h = (14695981039346656037ull ^ static_cast<std::uint8_t>(venue)) * 1099511628211ull;
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
  return static_cast<std::size_t>(h ^ (h >> 32));
}

std::size_t InstrumentRegistry::probe(Venue venue, std::string_view name,
                                      std::uint16_t& id) const noexcept {
  for (std::size_t i = hash(venue, name) & (kSlots - 1);; i = (i + 1) & (kSlots - 1)) {
    id = slots_[i].load(std::memory_order_acquire);
    if (id == kEmptySlot) return i;
    if (venues_[id] == venue && names_[id].view() == name) return i;
  }
}

std::optional<InstrumentId> InstrumentRegistry::find(Venue venue,
                                                     std::string_view name) const noexcept {
  std::uint16_t id;
  (void)probe(venue, name, id);
  if (id == kEmptySlot) return std::nullopt;
  return id;
}

std::optional<InstrumentId> InstrumentRegistry::add(Venue venue, std::string_view name) noexcept {
  if (name.empty() || name.size() > InstrumentName::kCapacity) return std::nullopt;
  if (auto found = find(venue, name)) return found;
  const std::lock_guard lock(add_mutex_);
  std::uint16_t existing;
  const std::size_t slot = probe(venue, name, existing);  // again: another thread may have won
  if (existing != kEmptySlot) return existing;
  const std::uint32_t id = size_.load(std::memory_order_relaxed);
  if (id >= kCapacity) return std::nullopt;
  (void)names_[id].assign(name);  // length checked above
  venues_[id] = venue;
  size_.store(id + 1, std::memory_order_release);
  slots_[slot].store(static_cast<std::uint16_t>(id), std::memory_order_release);
  return static_cast<InstrumentId>(id);
}

std::string_view InstrumentRegistry::name(InstrumentId id) const noexcept {
  return id < size() ? names_[id].view() : std::string_view{};
}

Venue InstrumentRegistry::venue(InstrumentId id) const noexcept {
  return id < size() ? venues_[id] : Venue::unknown;
}

}  // namespace mde
