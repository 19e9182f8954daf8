#include "mde/runtime/replay_input.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "mde/feeds/capture/capture_reader.hpp"
#include "mde/feeds/capture/text_capture.hpp"
#include "mde/feeds/venue_decoder.hpp"

namespace mde {

namespace {

std::uint64_t consumed(const capture::CaptureReader& r) noexcept { return r.position(); }
std::uint64_t consumed(const capture::TextCaptureStream& r) noexcept { return r.bytes_consumed(); }

// A frame source that publishes how far it got, for a progress display on another thread: two
// relaxed stores per record (plain moves on x86), nothing else.
template <class Source>
class TrackedSource {
 public:
  explicit TrackedSource(std::unique_ptr<Source> source) : source_(std::move(source)) {}
  bool next(capture::CaptureRecord& out) noexcept {
    const bool ok = source_->next(out);
    if (ok) frames_.store(frames_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    bytes_.store(consumed(*source_), std::memory_order_relaxed);
    return ok;
  }
  [[nodiscard]] const Source& source() const noexcept { return *source_; }
  [[nodiscard]] InputProgress progress() const noexcept {
    return {bytes_.load(std::memory_order_relaxed), source_->file_size(),
            frames_.load(std::memory_order_relaxed)};
  }

 private:
  std::unique_ptr<Source> source_;
  std::atomic<std::uint64_t> bytes_{0};
  std::atomic<std::uint64_t> frames_{0};
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
    producer_ = std::make_unique<Producer>(source_, *decoder_, queue, options, calibration,
                                           connections, resync);
  }
  void run(const std::atomic<bool>& stop) noexcept override { producer_->run(stop); }
  [[nodiscard]] const replay::ProducerStats& stats() const noexcept override {
    return producer_->stats();
  }
  [[nodiscard]] InputProgress progress() const noexcept override { return source_.progress(); }
  [[nodiscard]] const std::string& name() const noexcept override { return name_; }
  [[nodiscard]] std::string damage() const override { return describe_damage(source_.source()); }

 private:
  using Producer = replay::ReplayProducer<TrackedSource<Source>, VenueDecoder, EventQueue<Event>>;

  static std::string describe_damage(const capture::CaptureReader& r) {
    const capture::CaptureStop& s = r.stop();
    if (s.reason == capture::StopReason::none || s.clean()) return {};  // none: stopped early
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "stopped at record %" PRIu64 " (byte offset %" PRIu64
                  "): %s%s%s; everything before it was replayed",
                  s.record_index, s.offset, std::string(capture::to_string(s.reason)).c_str(),
                  s.reason == capture::StopReason::io_error ? ": " : "",
                  s.reason == capture::StopReason::io_error ? std::strerror(r.last_errno()) : "");
    return buf;
  }
  static std::string describe_damage(const capture::TextCaptureStream& r) {
    if (r.failed()) {
      return "read error after line " + std::to_string(r.stats().lines) + ": " +
             std::strerror(r.read_errno()) + "; everything before it was replayed";
    }
    if (r.stats().bad_total() == 0) return {};
    return capture::describe_bad_lines(r.stats()) + ", skipped; every other line was replayed";
  }

  std::string name_;
  TrackedSource<Source> source_;
  std::unique_ptr<VenueDecoder> decoder_;
  std::unique_ptr<Producer> producer_;
};

}  // namespace

std::unique_ptr<ReplayInput> open_replay_input(const std::string& path) {
  const int fd = path == "-" ? 0 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
  // Peek at the first bytes and hand them to the reader: a pipe cannot seek back.
  char head[sizeof capture::kFileMagic];
  const long got = capture::read_head(fd, head, sizeof head);
  if (got < 0) {
    const int err = errno;
    if (fd > 0) ::close(fd);
    throw std::runtime_error(path + ": cannot read: " + std::strerror(err));
  }
  const std::string_view peeked(head, static_cast<std::size_t>(got));
  if (capture::has_native_magic(peeked)) {
    auto reader = std::make_unique<capture::CaptureReader>();
    if (const auto err = reader->open_fd(fd, peeked); err != capture::OpenError::ok) {
      throw std::runtime_error(
          path + ": " +
          (err == capture::OpenError::bad_header
               ? "bad capture header (" + std::string(capture::to_string(reader->header_error())) + ")"
               : std::string("cannot read: ") + std::strerror(reader->last_errno())));
    }
    return std::make_unique<SourceInput<capture::CaptureReader>>(path, std::move(reader));
  }
  auto text = std::make_unique<capture::TextCaptureStream>();
  if (!text->open_fd(fd, peeked)) {
    throw std::runtime_error(path + ": cannot read: " + std::strerror(text->read_errno()));
  }
  return std::make_unique<SourceInput<capture::TextCaptureStream>>(path, std::move(text));
}

}  // namespace mde
