#include "support/coinone_harness.hpp"

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mde::test {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> read_jsonl(std::string_view file_name) {
  std::string path = MDE_TEST_DATA_DIR;
  path += '/';
  path += file_name;
  std::istringstream in(read_file(path));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) lines.push_back(line);
  }
  if (lines.empty()) throw std::runtime_error("no frames in " + path);
  return lines;
}

std::string frame_containing(std::string_view file_name,
                             std::initializer_list<std::string_view> needles) {
  std::string found;
  int matches = 0;
  for (const std::string& line : read_jsonl(file_name)) {
    bool all = true;
    for (std::string_view n : needles) all = all && line.find(n) != std::string::npos;
    if (all) {
      found = line;
      ++matches;
    }
  }
  if (matches != 1) {
    std::string what = "expected exactly one frame in ";
    what += file_name;
    what += " matching";
    for (std::string_view n : needles) {
      what += " [";
      what += n;
      what += ']';
    }
    what += ", found " + std::to_string(matches);
    throw std::runtime_error(what);
  }
  return found;
}

std::vector<std::string> extract_json_objects(std::string_view text) {
  std::vector<std::string> out;
  int depth = 0;
  bool in_string = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"' && depth > 0) in_string = true;
    else if (c == '{') {
      if (depth++ == 0) start = i;
    } else if (c == '}' && depth > 0 && --depth == 0) {
      out.emplace_back(text.substr(start, i + 1 - start));
    }
  }
  return out;
}

PaddedFrames padded_frames(const std::vector<std::string>& texts) {
  PaddedFrames out;
  for (const std::string& t : texts) {
    out.buffers.push_back(std::make_unique<PaddedBuffer>(t.size() + 1));
    if (!out.buffers.back()->assign(t)) throw std::runtime_error("frame does not fit its buffer");
  }
  for (const auto& b : out.buffers) out.views.push_back(b->view());
  return out;
}

CoinoneHarness::CoinoneHarness(coinone::DecoderOptions options,
                               std::initializer_list<std::string_view> markets)
    : registry_(std::make_unique<InstrumentRegistry>()), event_(std::make_unique<Event>()) {
  for (std::string_view m : markets) {
    if (!registry_->add(Venue::coinone, m)) throw std::runtime_error("cannot register market");
  }
  decoder_ = std::make_unique<coinone::Decoder>(*registry_, options);
}

DecodeResult CoinoneHarness::decode(std::string_view frame) {
  // Exactly the promised padding, so ASan sees any read beyond it.
  buffer_ = std::make_unique<char[]>(frame.size() + kFramePadding);
  if (!frame.empty()) std::memcpy(buffer_.get(), frame.data(), frame.size());
  std::memset(buffer_.get() + frame.size(), 'x', kFramePadding);
  // Poison the whole event: a field the decoder forgets to set shows up as garbage, not as a
  // lucky zero left by an earlier test.
  std::memset(static_cast<void*>(event_.get()), 0xA5, sizeof(Event));
  return decoder_->decode(FrameView{buffer_.get(), frame.size()}, *event_);
}

InstrumentId CoinoneHarness::id(std::string_view market) const {
  const auto found = registry_->find(Venue::coinone, market);
  if (!found) throw std::runtime_error("market not registered");
  return *found;
}

}  // namespace mde::test
