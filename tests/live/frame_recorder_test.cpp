// FrameRecorder: frames recorded on one thread reach the capture file intact, in order, with
// their time, venue and connection; a full ring drops (counted) instead of waiting and the file
// says it is incomplete.
#include <gtest/gtest.h>

#include <string>

#include "live/capture_records.hpp"
#include "live/live_test_support.hpp"
#include "mde/core/clock.hpp"
#include "mde/feeds/capture/frame_recorder.hpp"

namespace mde {
namespace {

using live_test::read_capture;

TEST(FrameRecorder, EveryFrameReachesTheFileInOrderWithTimeVenueAndConnection) {
  live_test::TempDir dir("recorder");
  const std::string path = (dir.path() / "run.mdecap").string();
  const std::int64_t wall_before = wall_ns();
  capture::FrameRecorder rec(path, {.ring_bytes = 1 << 16});
  rec.start();
  const std::int64_t t0 = now_ns();
  for (int i = 0; i < 5000; ++i) {
    const std::string frame = R"({"n":)" + std::to_string(i) + "}";
    // A writer thread drains a 64 KiB ring as it goes: 5000 small frames all fit in time, but a
    // ring that filled anyway would be counted, so wait for room here rather than fail flakily.
    while (!rec.ring(0).try_record(t0 + i, i % 2 == 0 ? Venue::coinone : Venue::btse,
                                   static_cast<std::uint32_t>(i % 3), frame)) {
      std::this_thread::yield();
    }
  }
  rec.stop();
  const auto dropped = rec.stats().record_dropped;
  EXPECT_EQ(rec.stats().written, 5000u);
  EXPECT_EQ(rec.stats().recorded, 5000u);  // a retried frame is recorded once (its misses count)
  const auto cap = read_capture(path);
  ASSERT_TRUE(cap.opened);
  EXPECT_TRUE(cap.clean_end);
  ASSERT_EQ(cap.frames.size(), 5000u);
  EXPECT_EQ(cap.flags & capture::kFlagIncomplete, dropped == 0 ? 0 : capture::kFlagIncomplete);
  for (int i = 0; i < 5000; ++i) {
    const auto& f = cap.frames[static_cast<std::size_t>(i)];
    ASSERT_EQ(f.text, R"({"n":)" + std::to_string(i) + "}") << i;
    EXPECT_EQ(f.connection, static_cast<std::uint32_t>(i % 3));
    EXPECT_EQ(f.venue, i % 2 == 0 ? Venue::coinone : Venue::btse);
  }
  // Monotonic receive times are written as wall-clock ns (the format's), in order.
  EXPECT_GE(cap.frames.front().receive_ns, wall_before - 1'000'000'000);
  EXPECT_LE(cap.frames.front().receive_ns, wall_ns());
  EXPECT_EQ(cap.frames.back().receive_ns - cap.frames.front().receive_ns, 4999);
}

TEST(FrameRecorder, AFullRingDropsTheFrameAtOnceAndMarksTheCaptureIncomplete) {
  live_test::TempDir dir("recorder-full");
  const std::string path = (dir.path() / "run.mdecap").string();
  capture::FrameRecorder rec(path, {.ring_bytes = 4096});  // writer not started: nothing drains
  const std::string frame(1000, 'x');
  int taken = 0;
  for (int i = 0; i < 10; ++i) taken += rec.ring(0).try_record(now_ns(), Venue::coinone, 0, frame);
  EXPECT_EQ(taken, 4);  // 1020 ring bytes each (prefix and header): four fit in 4 KiB
  EXPECT_EQ(rec.ring(0).dropped(), 6u);
  EXPECT_EQ(rec.stats().record_dropped, 6u);
  EXPECT_FALSE(rec.stats().complete());
  rec.stop();  // drains what the ring holds
  const auto cap = read_capture(path);
  ASSERT_TRUE(cap.opened);
  EXPECT_EQ(cap.frames.size(), 4u);
  EXPECT_NE(cap.flags & capture::kFlagIncomplete, 0);
}

TEST(FrameRecorder, AnUnwritablePathIsASetupError) {
  EXPECT_THROW(capture::FrameRecorder("/nonexistent-dir/x.mdecap"), std::runtime_error);
}

}  // namespace
}  // namespace mde
