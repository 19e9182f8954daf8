// SpscByteRing: variable-length records in order, wrap-around by pad records, full as a value.
#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "mde/core/spsc_byte_ring.hpp"

namespace mde {
namespace {

bool put(SpscByteRing& ring, std::string_view s) {
  unsigned char* out = ring.try_reserve(s.size());
  if (out == nullptr) return false;
  std::memcpy(out, s.data(), s.size());
  ring.commit();
  return true;
}

std::string take(SpscByteRing& ring) {
  const auto rec = ring.front();
  std::string s(reinterpret_cast<const char*>(rec.data()), rec.size());
  if (!rec.empty()) ring.pop();
  return s;
}

TEST(SpscByteRing, RefusesACapacityThatIsNotAPowerOfTwo) {
  EXPECT_THROW(SpscByteRing(5000), std::invalid_argument);
  EXPECT_THROW(SpscByteRing(1024), std::invalid_argument);
  EXPECT_NO_THROW(SpscByteRing(4096));
}

TEST(SpscByteRing, RecordsComeOutInOrderWithTheirExactBytes) {
  SpscByteRing ring(4096);
  EXPECT_TRUE(ring.front().empty());
  ASSERT_TRUE(put(ring, "a"));
  ASSERT_TRUE(put(ring, ""));
  ASSERT_TRUE(put(ring, "twelve bytes"));
  EXPECT_EQ(take(ring), "a");
  EXPECT_EQ(ring.front().size(), 0u);  // an empty record is still a record
  ring.pop();
  EXPECT_EQ(take(ring), "twelve bytes");
  EXPECT_TRUE(ring.front().empty());
}

TEST(SpscByteRing, AFullRingRefusesWithoutWaitingAndTakesAgainOnceDrained) {
  SpscByteRing ring(4096);
  const std::string frame(1000, 'x');  // 1008 ring bytes each: four fit, the fifth does not
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(put(ring, frame)) << i;
  EXPECT_FALSE(put(ring, frame));
  EXPECT_EQ(take(ring), frame);
  EXPECT_TRUE(put(ring, std::string(1000, 'y')));
}

TEST(SpscByteRing, APayloadAboveHalfTheCapacityIsRefused) {
  SpscByteRing ring(4096);
  EXPECT_EQ(ring.try_reserve(ring.max_payload() + 1), nullptr);
  EXPECT_NE(ring.try_reserve(ring.max_payload()), nullptr);
}

TEST(SpscByteRing, ARecordThatWouldCrossTheEndStartsAgainAtZeroIntact) {
  SpscByteRing ring(4096);
  const std::string a(2000, 'a'), b(1500, 'b');
  ASSERT_TRUE(put(ring, a));
  ASSERT_TRUE(put(ring, b));
  EXPECT_EQ(take(ring), a);
  EXPECT_EQ(take(ring), b);
  // 3520 bytes used; 576 left before the end: a 1000-byte record pads them and wraps.
  const std::string c(1000, 'c');
  ASSERT_TRUE(put(ring, c));
  EXPECT_EQ(take(ring), c);
  EXPECT_TRUE(ring.front().empty());
  // The pad was released with the wrap: the whole ring is free again.
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(put(ring, std::string(1000, 'd'))) << i;
}

TEST(SpscByteRing, TwoThreadsPassAMillionRecordsOfVaryingSizeInOrder) {
  SpscByteRing ring(1 << 16);
  constexpr std::uint32_t kRecords = 1'000'000;
  std::thread producer([&] {
    unsigned char pattern[300];
    for (std::uint32_t i = 0; i < kRecords;) {
      const std::size_t size = 4 + i % 297;
      unsigned char* out = ring.try_reserve(size);
      if (out == nullptr) {  // full: try again (a recorder would count a drop instead)
        std::this_thread::yield();
        continue;
      }
      std::memcpy(out, &i, 4);
      std::memset(pattern, static_cast<int>(i & 0xff), size - 4);
      std::memcpy(out + 4, pattern, size - 4);
      ring.commit();
      ++i;
    }
  });
  std::uint32_t bad = 0;
  for (std::uint32_t i = 0; i < kRecords;) {
    const auto rec = ring.front();
    if (rec.empty()) {
      std::this_thread::yield();
      continue;
    }
    std::uint32_t got = 0;
    std::memcpy(&got, rec.data(), 4);
    if (got != i || rec.size() != 4 + i % 297 ||
        (rec.size() > 4 && rec[rec.size() - 1] != static_cast<unsigned char>(i & 0xff))) {
      ++bad;
    }
    ring.pop();
    ++i;
  }
  producer.join();
  EXPECT_EQ(bad, 0u);
}

}  // namespace
}  // namespace mde
