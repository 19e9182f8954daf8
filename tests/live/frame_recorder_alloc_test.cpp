// Zero heap allocations on the recording path: once the recorder is built and its writer runs,
// recording frames (the I/O thread's side) and writing them out (the writer thread's) allocate
// nothing, full ring included.
#include <gtest/gtest.h>

#include <string>

#include "live/live_test_support.hpp"
#include "mde/core/clock.hpp"
#include "mde/feeds/capture/frame_recorder.hpp"
#include "support/alloc_counter.hpp"

namespace mde {
namespace {

TEST(FrameRecorderAllocation, RecordingAndWritingFramesNeverAllocates) {
  live_test::TempDir dir("recorder-alloc");
  const std::string path = (dir.path() / "run.mdecap").string();
  capture::FrameRecorder rec(path, {.ring_bytes = 1 << 20,
                                    .idle_sleep = std::chrono::microseconds(100)});
  const std::string frame(300, 'f');
  rec.start();
  // Warm-up: the writer thread's first sleep and write may touch lazily set-up libc state.
  for (int i = 0; i < 100; ++i) (void)rec.ring(0).try_record(now_ns(), Venue::coinone, 1, frame);
  ASSERT_TRUE(live_test::wait_until([&] { return rec.stats().written == 100; }));

  const std::uint64_t before = test::allocation_counts().total();
  std::uint64_t taken = 100;
  for (int i = 0; i < 200'000; ++i) {
    taken += rec.ring(0).try_record(now_ns(), Venue::coinone, 1, frame) ? 1 : 0;
  }
  ASSERT_TRUE(live_test::wait_until([&] { return rec.stats().written == taken; }));
  const std::uint64_t after = test::allocation_counts().total();
  EXPECT_EQ(after - before, 0u);
  EXPECT_GT(taken, 1000u);
  rec.stop();
}

}  // namespace
}  // namespace mde
