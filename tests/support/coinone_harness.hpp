// Test harness for the Coinone decoder: loads the golden frames from tests/data and decodes text
// the way the feed does (a padded buffer), with a registry that already knows the seed markets.
//
// Every decode copies the frame into a fresh allocation of exactly size + kFramePadding bytes,
// so AddressSanitizer catches a read past the promised padding. Tests only; allocates freely.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mde/core/events.hpp"
#include "mde/core/frame.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/coinone/decoder.hpp"

namespace mde::test {

// The non-empty lines of tests/data/<file_name>. Throws (failing the test) if it cannot be read.
std::vector<std::string> read_jsonl(std::string_view file_name);

// The one line of tests/data/<file_name> containing every needle; throws unless exactly one does.
std::string frame_containing(std::string_view file_name,
                             std::initializer_list<std::string_view> needles);

// The JSON objects of a pretty-printed document such as a seed file, each as its original text
// (whitespace and newlines kept). Braces inside strings are respected.
std::vector<std::string> extract_json_objects(std::string_view text);

std::string read_file(const std::string& path);

// Each text in its own padded buffer (for tests that must not allocate once they start), and a
// view of each, in order. `views` points into `buffers`.
struct PaddedFrames {
  std::vector<std::unique_ptr<PaddedBuffer>> buffers;
  std::vector<FrameView> views;
};
PaddedFrames padded_frames(const std::vector<std::string>& texts);

// Registers XRP-KRW, ETH-KRW and BTC-KRW (the seed markets) unless told otherwise.
class CoinoneHarness {
 public:
  explicit CoinoneHarness(coinone::DecoderOptions options = {},
                          std::initializer_list<std::string_view> markets = {"XRP-KRW", "ETH-KRW",
                                                                             "BTC-KRW"});

  DecodeResult decode(std::string_view frame);
  [[nodiscard]] const Event& event() const noexcept { return *event_; }
  [[nodiscard]] InstrumentRegistry& registry() noexcept { return *registry_; }
  // The id of a registered market; throws if unknown.
  [[nodiscard]] InstrumentId id(std::string_view market) const;

 private:
  std::unique_ptr<InstrumentRegistry> registry_;
  std::unique_ptr<coinone::Decoder> decoder_;
  std::unique_ptr<Event> event_;
  std::unique_ptr<char[]> buffer_;  // kept until the next decode: ids may point into it
};

}  // namespace mde::test
