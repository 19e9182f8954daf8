// Test harness for the BTSE decoder: decodes text the way the feed does (a padded buffer, exactly
// kFramePadding bytes behind the frame so AddressSanitizer catches a read past it) into a sink
// that keeps every emitted event, each poisoned before the decoder writes it so a field the
// decoder forgets shows up as garbage. Tests only; allocates freely.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string_view>
#include <vector>

#include "mde/core/events.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/btse/decoder.hpp"

namespace mde::test {

// An EventSink that keeps a copy of every emitted event.
struct CollectingSink {
  std::vector<Event> events;
  Event scratch;

  Event& event() noexcept;
  bool emit();
};

// Registers BTC-USD, ETH-USD and BTC-PERP (the markets of the protocol examples) unless told
// otherwise.
class BtseHarness {
 public:
  explicit BtseHarness(btse::DecoderOptions options = {},
                       std::initializer_list<std::string_view> markets = {"BTC-USD", "ETH-USD",
                                                                          "BTC-PERP"});

  // Decodes into a fresh sink: events() holds exactly this frame's events.
  DecodeResult decode(std::string_view frame);
  [[nodiscard]] const std::vector<Event>& events() const noexcept { return sink_.events; }
  [[nodiscard]] const Event& event(std::size_t i = 0) const { return sink_.events.at(i); }
  [[nodiscard]] InstrumentRegistry& registry() noexcept { return *registry_; }
  [[nodiscard]] btse::Decoder& decoder() noexcept { return *decoder_; }
  // The id of a registered BTSE market; throws if unknown.
  [[nodiscard]] InstrumentId id(std::string_view market) const;

 private:
  std::unique_ptr<InstrumentRegistry> registry_;
  std::unique_ptr<btse::Decoder> decoder_;
  CollectingSink sink_;
  std::unique_ptr<char[]> buffer_;
};

}  // namespace mde::test
