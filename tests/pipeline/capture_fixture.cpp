#include "capture_fixture.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "mde/feeds/capture/capture_writer.hpp"

namespace mde::test {

GeneratedCapture::GeneratedCapture(sample::GenKind kind, std::uint64_t frames, std::uint64_t seed) {
  // GoogleTest's temporary directory: TEST_TMPDIR or TMPDIR when set, /tmp otherwise.
  std::string tmpl = ::testing::TempDir() + "mde-pipeline-test-XXXXXX";
  const int fd = mkstemp(tmpl.data());
  if (fd < 0) throw std::runtime_error("mkstemp failed in " + ::testing::TempDir());
  ::close(fd);
  path_ = tmpl;
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
