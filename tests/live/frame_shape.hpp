// Helpers for the simulator's frame-shape tests: a frame's keys in order, and a decimal string
// read exactly (a failure is a test failure).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "mde/core/decimal.hpp"

namespace mde::sim::test {

// The keys of a JSON frame, in order: each quoted string followed by ':' (no escapes assumed).
inline std::vector<std::string> keys_of(std::string_view frame) {
  std::vector<std::string> keys;
  std::size_t i = 0;
  while ((i = frame.find('"', i)) != std::string_view::npos) {
    const std::size_t end = frame.find('"', i + 1);
    if (end == std::string_view::npos) break;
    if (end + 1 < frame.size() && frame[end + 1] == ':') {
      keys.emplace_back(frame.substr(i + 1, end - i - 1));
    }
    i = end + 1;
  }
  return keys;
}

inline Decimal dec(std::string_view s) {
  Decimal d{};
  EXPECT_EQ(Decimal::parse(s, d), DecimalError::ok) << s;
  return d;
}

}  // namespace mde::sim::test
