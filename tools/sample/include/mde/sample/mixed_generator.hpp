// MixedGenerator: one capture, two venues. Coinone traffic (connections 1 and 2) and BTSE traffic
// (connections 3 and 4) from their own generators, interleaved in receive-time order, as a
// program connected to both venues would record them.
//
// Each venue's stream is exactly what its generator gives alone for the same options (only the
// receive times of a tie are nudged so that they stay strictly increasing), so a test can check
// either venue against the single-venue output.
//
// Thread: tool side, one owner. Allocates (its generators do).
#pragma once

#include <cstdint>

#include "mde/sample/btse_generator.hpp"
#include "mde/sample/coinone_generator.hpp"
#include "mde/sample/gen_types.hpp"

namespace mde::sample {

class MixedGenerator {
 public:
  // Throws std::invalid_argument when the two venues' connection ids overlap.
  MixedGenerator(const GenOptions& coinone, const BtseGenOptions& btse);

  // The earlier of the two venues' next frames; its text is valid until the next call.
  [[nodiscard]] GenFrame next();

  [[nodiscard]] const GenCounts& coinone_counts() const noexcept { return coinone_.counts(); }
  [[nodiscard]] const BtseGenCounts& btse_counts() const noexcept { return btse_.counts(); }

 private:
  CoinoneGenerator coinone_;
  BtseGenerator btse_;
  GenFrame head_[2] = {};  // the next frame of each venue (0 Coinone, 1 BTSE)
  bool have_[2] = {false, false};
  std::int64_t last_ns_ = 0;
};

}  // namespace mde::sample
