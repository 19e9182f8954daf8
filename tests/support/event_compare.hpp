// Equality of decoded events by their meaningful fields, for tests.
//
// Compares the header (kind, venue, instrument, exchange time, connection) and the live payload:
// only the first `count` book levels and assets, optional order values only when their presence
// bit is set, and fixed strings by content. Bytes the decoder leaves undefined (unused levels,
// absent optionals, the rest of the union) are ignored. Returns a gtest AssertionResult naming
// the first difference.
#pragma once

#include <gtest/gtest.h>

#include "mde/core/events.hpp"

namespace mde::test {

[[nodiscard]] ::testing::AssertionResult events_equal(const Event& a, const Event& b);

}  // namespace mde::test
