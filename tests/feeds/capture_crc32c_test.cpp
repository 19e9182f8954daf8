#include "mde/feeds/capture/crc32c.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

namespace mde::capture {
namespace {

TEST(Crc32c, MatchesPublishedCheckValue) {
  // The CRC-32C check value from the CRC catalogue (RFC 3720 uses the same polynomial).
  EXPECT_EQ(crc32c("123456789", 9), 0xE3069283u);
  EXPECT_EQ(crc32c_portable_extend(0, "123456789", 9), 0xE3069283u);
  EXPECT_EQ(crc32c("", 0), 0u);
}

TEST(Crc32c, MatchesRfc3720TestVectors) {
  const std::string zeros(32, '\0');
  const std::string ones(32, '\xFF');
  std::string ascending(32, '\0');
  for (int i = 0; i < 32; ++i) ascending[static_cast<std::size_t>(i)] = static_cast<char>(i);
  EXPECT_EQ(crc32c(zeros.data(), zeros.size()), 0x8A9136AAu);
  EXPECT_EQ(crc32c(ones.data(), ones.size()), 0x62A8AB43u);
  EXPECT_EQ(crc32c(ascending.data(), ascending.size()), 0x46DD794Eu);
}

TEST(Crc32c, HardwareAndPortablePathsAgreeOnEveryLengthAndAlignment) {
  std::mt19937_64 rng(7);
  std::string data(4096 + 16, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  for (std::size_t offset = 0; offset < 9; ++offset) {
    for (std::size_t n = 0; n < 300; ++n) {
      ASSERT_EQ(crc32c(data.data() + offset, n), crc32c_portable_extend(0, data.data() + offset, n))
          << "offset " << offset << " length " << n;
    }
  }
  EXPECT_EQ(crc32c(data.data(), 4096), crc32c_portable_extend(0, data.data(), 4096));
}

TEST(Crc32c, ExtendEqualsOnePass) {
  const std::string text = "{\"response_type\":\"PONG\"}";
  for (std::size_t split = 0; split <= text.size(); ++split) {
    const std::uint32_t first = crc32c(text.data(), split);
    EXPECT_EQ(crc32c_extend(first, text.data() + split, text.size() - split),
              crc32c(text.data(), text.size()));
  }
}

}  // namespace
}  // namespace mde::capture
