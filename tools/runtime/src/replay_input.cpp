#include "mde/runtime/replay_input.hpp"

#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>

#include "mde/feeds/capture/capture_reader.hpp"
#include "mde/feeds/capture/text_capture.hpp"
#include "mde/feeds/venue_decoder.hpp"

namespace mde {

namespace {

// A text capture read as it goes (no temporary copy): the file and the line reader over it.
class TextFileSource {
 public:
  explicit TextFileSource(const std::string& path)
      : file_(path == "-" ? nullptr : std::make_unique<std::ifstream>(path, std::ios::binary)),
        reader_(file_ ? *file_ : std::cin) {
    if (file_ && !*file_) throw std::runtime_error(path + ": cannot open");
  }
  bool next(capture::CaptureRecord& out) { return reader_.next(out); }
  [[nodiscard]] const capture::TextCaptureReader& reader() const noexcept { return reader_; }

 private:
  std::unique_ptr<std::ifstream> file_;  // null for standard input
  capture::TextCaptureReader reader_;
};

// The parts every input has: the decoder and the producer over some frame source.
template <class Source>
class SourceInput final : public ReplayInput {
 public:
  SourceInput(std::string name, std::unique_ptr<Source> source)
      : name_(std::move(name)), source_(std::move(source)) {}

  void prepare(InstrumentRegistry& registry, EventQueue<Event>& queue,
               const replay::ReplayOptions& options, TscCalibration calibration,
               replay::ConnectionMap connections, replay::ResyncPoller resync) override {
    decoder_ = std::make_unique<VenueDecoder>(registry, VenueDecoderOptions{});
    producer_ = std::make_unique<Producer>(*source_, *decoder_, queue, options, calibration,
                                           connections, resync);
  }
  void run(const std::atomic<bool>& stop) noexcept override { producer_->run(stop); }
  [[nodiscard]] const replay::ProducerStats& stats() const noexcept override {
    return producer_->stats();
  }
  [[nodiscard]] const std::string& name() const noexcept override { return name_; }
  [[nodiscard]] std::string damage() const override { return describe_damage(*source_); }

 private:
  using Producer = replay::ReplayProducer<Source, VenueDecoder, EventQueue<Event>>;

  static std::string describe_damage(const capture::CaptureReader& r) {
    const capture::CaptureStop& s = r.stop();
    if (s.reason == capture::StopReason::none || s.clean()) return {};  // none: stopped early
    char buf[160];
    std::snprintf(buf, sizeof buf, "stopped at record %" PRIu64 " (byte offset %" PRIu64 "): %s",
                  s.record_index, s.offset, std::string(capture::to_string(s.reason)).c_str());
    return buf;
  }
  static std::string describe_damage(const TextFileSource& source) {
    const capture::TextCaptureReader& r = source.reader();
    if (r.error() == capture::TextReadError::none) return {};
    char buf[160];
    std::snprintf(buf, sizeof buf, "stopped at line %" PRIu64 ": %s", r.error_line(),
                  std::string(capture::to_string(r.error())).c_str());
    return buf;
  }

  std::string name_;
  std::unique_ptr<Source> source_;
  std::unique_ptr<VenueDecoder> decoder_;
  std::unique_ptr<Producer> producer_;
};

}  // namespace

std::unique_ptr<ReplayInput> open_replay_input(const std::string& path) {
  if (path != "-") {
    std::ifstream probe(path, std::ios::binary);
    if (!probe) throw std::runtime_error(path + ": cannot open");
    char magic[8] = {};
    probe.read(magic, sizeof magic);
    if (capture::has_native_magic({magic, static_cast<std::size_t>(probe.gcount())})) {
      auto reader = std::make_unique<capture::CaptureReader>();
      if (const auto err = reader->open(path); err != capture::OpenError::ok) {
        throw std::runtime_error(path + ": " + std::string(capture::to_string(err)));
      }
      return std::make_unique<SourceInput<capture::CaptureReader>>(path, std::move(reader));
    }
  }
  return std::make_unique<SourceInput<TextFileSource>>(path,
                                                       std::make_unique<TextFileSource>(path));
}

}  // namespace mde
