// Writes synthetic Coinone captures (tools/sample generator) to temporary native files.
#pragma once

#include <cstdint>
#include <string>

#include "mde/sample/btse_generator.hpp"
#include "mde/sample/coinone_generator.hpp"

namespace mde::test {

// A native capture of `frames` generated frames; deleted when the object dies.
class GeneratedCapture {
 public:
  GeneratedCapture(sample::GenKind kind, std::uint64_t frames, std::uint64_t seed = 7);
  ~GeneratedCapture();
  GeneratedCapture(const GeneratedCapture&) = delete;
  GeneratedCapture& operator=(const GeneratedCapture&) = delete;

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] const sample::GenCounts& counts() const noexcept { return counts_; }

 private:
  std::string path_;
  sample::GenCounts counts_{};
};

// Which venues a VenueCapture holds.
enum class CaptureVenues : std::uint8_t { coinone, btse, both };

struct VenueCaptureOptions {
  CaptureVenues venues = CaptureVenues::both;
  sample::GenKind kind = sample::GenKind::mixed;
  std::uint64_t coinone_seed = 7;
  std::uint64_t btse_seed = 8;
  sample::BtseGenOptions btse{};    // knobs (gap, cross, duplicate, ...); seed/kind set from above
  bool record_venue = true;         // false: records say "unknown", replay sniffs the envelope
  std::uint64_t malformed_every = 0;  // > 0: after every Nth frame, one frame no decoder accepts
};

// A native capture of generated Coinone and/or BTSE frames (the same frames each venue's
// generator makes alone, interleaved in time order); deleted when the object dies.
class VenueCapture {
 public:
  VenueCapture(const VenueCaptureOptions& options, std::uint64_t frames);
  ~VenueCapture();
  VenueCapture(const VenueCapture&) = delete;
  VenueCapture& operator=(const VenueCapture&) = delete;

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] std::uint64_t malformed() const noexcept { return malformed_; }

 private:
  std::string path_;
  std::uint64_t malformed_ = 0;
};

}  // namespace mde::test
