// Coinone client requests (SUBSCRIBE, UNSUBSCRIBE, PING), written into caller-provided buffers.
//
// Thread: any. Never allocates. Each writer returns the number of bytes written, or 0 when the
// buffer is too small (nothing useful is left in it then). Channel, request type and format are
// upper case, as the server requires; currencies are written as given.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "mde/core/events.hpp"

namespace mde::coinone {

enum class WireFormat : std::uint8_t { default_format, short_format };

struct Market {
  std::string_view target;  // "XRP"
  std::string_view quote;   // "KRW"
};

// Public channels (book, trade, ticker): one market per request, topic as an object.
[[nodiscard]] std::size_t write_subscribe(std::span<char> out, Channel channel, Market market,
                                          WireFormat format = WireFormat::default_format) noexcept;
[[nodiscard]] std::size_t write_unsubscribe(std::span<char> out, Channel channel,
                                            Market market) noexcept;
// MYORDER: topic is an array of markets; an empty list subscribes to every market (no topic).
[[nodiscard]] std::size_t write_subscribe_orders(
    std::span<char> out, std::span<const Market> markets,
    WireFormat format = WireFormat::default_format) noexcept;
// MYASSET: no topic.
[[nodiscard]] std::size_t write_subscribe_assets(
    std::span<char> out, WireFormat format = WireFormat::default_format) noexcept;
[[nodiscard]] std::size_t write_ping(std::span<char> out) noexcept;

}  // namespace mde::coinone
