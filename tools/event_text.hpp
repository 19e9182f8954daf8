// Human-readable one-line text for events and decode results (tools only; allocates freely).
#pragma once

#include <string>

#include "mde/core/events.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/decode_status.hpp"

namespace mde::tools {

[[nodiscard]] std::string describe(const Event& event, const InstrumentRegistry& registry);
[[nodiscard]] std::string describe(DecodeResult result);

[[nodiscard]] std::string_view to_string(OrderEventType t) noexcept;
[[nodiscard]] std::string_view to_string(AssetChangeReason r) noexcept;
[[nodiscard]] std::string_view to_string(ControlType t) noexcept;
[[nodiscard]] std::string_view to_string(Channel c) noexcept;

}  // namespace mde::tools
