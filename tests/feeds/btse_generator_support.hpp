// Test-side reading of generated BTSE frames: a strict shape check with simdjson's DOM (every key
// known, every type as protocols.md B3/B4/B6 documents), independent of the engine's decoder.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mde::sample::testing {

struct BtseLevel {
  std::string price, size;  // the wire's strings
};

struct BtseBook {
  std::string topic, symbol, type;
  std::int64_t seq = 0, prev = 0, timestamp = 0;
  std::vector<BtseLevel> bids, asks;  // wire order
};

struct BtseTrade {
  std::string symbol, side;
  std::string size, price;  // the bare numbers' text, as written
  std::int64_t id = 0, timestamp = 0;
};

struct BtseFrame {
  enum class Kind { pong, ack, book, trades, bad } kind = Kind::bad;
  std::string why;                    // for bad: what deviated
  std::string event;                  // ack: subscribe / unsubscribe
  std::vector<std::string> channels;  // ack
  std::string topic;                  // trades
  BtseBook book;
  std::vector<BtseTrade> trades;
};

[[nodiscard]] BtseFrame parse_btse(std::string_view text);

// An exact decimal in units of 1e-8 ("59249.0", "0.24000", "0"); nullopt for anything else.
[[nodiscard]] std::optional<std::int64_t> decimal_e8(std::string_view text);

// A bare JSON number as Java's Double.toString writes it: plain "d+.d+" for 1e-3 <= v < 1e7,
// "d.d+E-n" below; exact in units of 1e-8; nullopt when the spelling is not Java's.
[[nodiscard]] std::optional<std::int64_t> java_number_e8(std::string_view text);

}  // namespace mde::sample::testing
