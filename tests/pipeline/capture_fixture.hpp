// Writes synthetic Coinone captures (tools/sample generator) to temporary native files.
#pragma once

#include <cstdint>
#include <string>

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

}  // namespace mde::test
