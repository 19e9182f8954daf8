#include "capture_fixture.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

#include "mde/feeds/capture/capture_writer.hpp"
#include "mde/sample/mixed_generator.hpp"

namespace mde::test {

namespace {

// GoogleTest's temporary directory: TEST_TMPDIR or TMPDIR when set, /tmp otherwise.
std::string temporary_path() {
  std::string tmpl = ::testing::TempDir() + "mde-pipeline-test-XXXXXX";
  const int fd = mkstemp(tmpl.data());
  if (fd < 0) throw std::runtime_error("mkstemp failed in " + ::testing::TempDir());
  ::close(fd);
  return tmpl;
}

// The chosen venues' generator behind one next().
class VenueSource {
 public:
  explicit VenueSource(const VenueCaptureOptions& o) : venues_(o.venues) {
    sample::GenOptions coinone{.kind = o.kind, .seed = o.coinone_seed};
    sample::BtseGenOptions btse = o.btse;
    btse.kind = o.kind;
    btse.seed = o.btse_seed;
    switch (venues_) {
      case CaptureVenues::coinone: coinone_ = std::make_unique<sample::CoinoneGenerator>(coinone); break;
      case CaptureVenues::btse: btse_ = std::make_unique<sample::BtseGenerator>(btse); break;
      case CaptureVenues::both: both_ = std::make_unique<sample::MixedGenerator>(coinone, btse); break;
    }
  }
  sample::GenFrame next() {
    if (coinone_) return coinone_->next();
    if (btse_) return btse_->next();
    return both_->next();
  }

 private:
  CaptureVenues venues_;
  std::unique_ptr<sample::CoinoneGenerator> coinone_;
  std::unique_ptr<sample::BtseGenerator> btse_;
  std::unique_ptr<sample::MixedGenerator> both_;
};

}  // namespace

VenueCapture::VenueCapture(const VenueCaptureOptions& options, std::uint64_t frames)
    : path_(temporary_path()) {
  capture::CaptureWriter writer;
  if (writer.open(path_) != capture::WriteStatus::ok) throw std::runtime_error("open failed");
  VenueSource source(options);
  for (std::uint64_t i = 0; i < frames; ++i) {
    const sample::GenFrame f = source.next();
    const Venue venue = options.record_venue ? f.venue : Venue::unknown;
    if (writer.try_append(f.receive_ns, f.connection, f.text, venue) != capture::WriteStatus::ok) {
      throw std::runtime_error("write failed");
    }
    if (options.malformed_every != 0 && (i + 1) % options.malformed_every == 0) {
      // Alternately a frame no venue's envelope matches and a truncated frame of the venue.
      const std::string_view bad = (malformed_ % 2 == 0) ? std::string_view(R"({"nope":1})")
                                                         : f.text.substr(0, f.text.size() / 2);
      if (writer.try_append(f.receive_ns, f.connection, bad, venue) != capture::WriteStatus::ok) {
        throw std::runtime_error("write failed");
      }
      ++malformed_;
    }
  }
  if (writer.try_close() != capture::WriteStatus::ok) throw std::runtime_error("close failed");
}

VenueCapture::~VenueCapture() { ::unlink(path_.c_str()); }

GeneratedCapture::GeneratedCapture(sample::GenKind kind, std::uint64_t frames, std::uint64_t seed)
    : path_(temporary_path()) {
  capture::CaptureWriter writer;
  if (writer.open(path_) != capture::WriteStatus::ok) throw std::runtime_error("open failed");
  sample::CoinoneGenerator gen({.kind = kind, .seed = seed});
  for (std::uint64_t i = 0; i < frames; ++i) {
    const sample::GenFrame f = gen.next();
    if (writer.try_append(f.receive_ns, f.connection, f.text) != capture::WriteStatus::ok) {
      throw std::runtime_error("write failed");
    }
  }
  if (writer.try_close() != capture::WriteStatus::ok) throw std::runtime_error("close failed");
  counts_ = gen.counts();
}

GeneratedCapture::~GeneratedCapture() { ::unlink(path_.c_str()); }

}  // namespace mde::test
