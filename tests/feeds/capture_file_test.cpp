// Native capture files: writer/reader round trip, torn tails, corruption, bad headers.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "capture_test_util.hpp"
#include "mde/feeds/capture/capture_format.hpp"
#include "mde/feeds/capture/capture_reader.hpp"
#include "mde/feeds/capture/capture_writer.hpp"
#include "mde/feeds/capture/crc32c.hpp"

// Counts heap allocations so that tests can prove a code path allocates nothing. Replacing the
// global operator new affects this whole test binary, which is fine: it only counts. Every
// non-aligned form is replaced so that allocation and release always pair (malloc/free); the
// aligned forms are left alone and pair with each other.
namespace {
std::atomic<std::uint64_t> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
// Not inlined: GCC would otherwise see free() meet a pointer from operator new at inlined call
// sites and warn (-Wmismatched-new-delete), although both are ours and match.
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace mde::capture {
namespace {

using testing::read_file;
using testing::TempFile;

struct Rec {
  std::int64_t receive_ns;
  std::uint32_t connection;
  std::string payload;
};

std::vector<Rec> sample_records() {
  return {
      {1761017305000000000, 1, R"({"response_type":"CONNECTED","data":{"session_id":"s"}})"},
      {1761017305000123456, 1, R"({"r":"DATA","c":"TRADE","d":{"qc":"KRW","tc":"XRP"}})"},
      {-5, kMaxConnection, ""},  // extremes: negative time, largest connection id, empty payload
      {0, 0, std::string("bin\0ary\n\r\t", 10)},
      {1761017305999999999, 2, std::string(5000, 'x')},
      {1761017306000000000, 7, R"({"response_type":"PONG"})"},
  };
}

// Writes `records` to a file and returns its bytes.
std::string write_capture(const std::vector<Rec>& records, const WriterOptions& options = {}) {
  TempFile file(".mdecap");
  CaptureWriter writer;
  EXPECT_EQ(writer.open(file.path, options), WriteStatus::ok);
  for (const Rec& r : records) {
    EXPECT_EQ(writer.try_append(r.receive_ns, r.connection, r.payload), WriteStatus::ok);
  }
  EXPECT_EQ(writer.records(), records.size());
  const std::uint64_t expected_bytes = writer.bytes();
  EXPECT_EQ(writer.try_close(), WriteStatus::ok);
  std::string bytes = read_file(file.path);
  EXPECT_EQ(bytes.size(), expected_bytes);
  return bytes;
}

std::vector<Rec> read_all(CaptureReader& reader) {
  std::vector<Rec> out;
  CaptureRecord r{};
  while (reader.next(r)) out.push_back({r.receive_ns, r.connection, std::string(r.frame.text())});
  return out;
}

// Offsets where each record starts (and, last, the end of the file).
std::vector<std::size_t> record_offsets(const std::vector<Rec>& records) {
  std::vector<std::size_t> offsets{kFileHeaderSize};
  for (const Rec& r : records) offsets.push_back(offsets.back() + kRecordOverhead + r.payload.size());
  return offsets;
}

void expect_same(const std::vector<Rec>& got, const std::vector<Rec>& want, std::size_t count) {
  ASSERT_EQ(got.size(), count);
  for (std::size_t i = 0; i < count; ++i) {
    EXPECT_EQ(got[i].receive_ns, want[i].receive_ns) << i;
    EXPECT_EQ(got[i].connection, want[i].connection) << i;
    EXPECT_EQ(got[i].payload, want[i].payload) << i;
  }
}

TEST(CaptureFile, RoundTripPreservesEveryField) {
  const auto records = sample_records();
  const std::string bytes = write_capture(records, {.flags = kFlagSynthetic, .created_ns = 42});
  CaptureReader reader;
  ASSERT_EQ(reader.open_bytes(bytes), OpenError::ok);
  EXPECT_EQ(reader.header().version, kFormatVersion);
  EXPECT_EQ(reader.header().flags, kFlagSynthetic);
  EXPECT_EQ(reader.header().created_ns, 42);
  expect_same(read_all(reader), records, records.size());
  EXPECT_TRUE(reader.stop().clean());
  EXPECT_EQ(reader.stop().offset, bytes.size());
  EXPECT_EQ(reader.stop().record_index, records.size());
}

TEST(CaptureFile, BothLoadModesReadTheSameRecordsFromDisk) {
  const auto records = sample_records();
  TempFile file(".mdecap");
  testing::write_file(file.path, write_capture(records));
  for (LoadMode mode : {LoadMode::stream, LoadMode::map, LoadMode::copy}) {
    CaptureReader reader;
    ASSERT_EQ(reader.open(file.path, {.load = mode}), OpenError::ok);
    expect_same(read_all(reader), records, records.size());
    EXPECT_TRUE(reader.stop().clean());
  }
}

TEST(CaptureFile, LayoutIsLittleEndianWithTheDocumentedOffsets) {
  const std::string bytes = write_capture({{0x0102030405060708, 0x000B0C0D, "hi"}},
                                          {.created_ns = 0x1122334455667788});
  ASSERT_EQ(bytes.size(), kFileHeaderSize + kRecordOverhead + 2);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89MDECAP\n"));
  EXPECT_EQ(bytes.substr(8, 2), std::string("\x02\x00", 2));                       // version
  EXPECT_EQ(bytes.substr(12, 4), std::string("\x20\x00\x00\x00", 4));              // header size
  EXPECT_EQ(bytes.substr(16, 8), std::string("\x88\x77\x66\x55\x44\x33\x22\x11"));  // created
  const std::string record = bytes.substr(kFileHeaderSize);
  EXPECT_EQ(record.substr(0, 8), std::string("\x08\x07\x06\x05\x04\x03\x02\x01"));
  EXPECT_EQ(record.substr(8, 4), std::string("\x0D\x0C\x0B\x00", 4));  // venue unknown (0)
  EXPECT_EQ(record.substr(12, 4), std::string("\x02\x00\x00\x00", 4));
  EXPECT_EQ(record.substr(16, 2), "hi");
  const std::uint32_t crc = crc32c(record.data(), 18);
  EXPECT_EQ(load_le<std::uint32_t>(record.data() + 18), crc);
}

TEST(CaptureFile, FramesPointIntoOneBufferWithReadablePadding) {
  const auto records = sample_records();
  const std::string bytes = write_capture(records);
  CaptureReader reader;
  ASSERT_EQ(reader.open_bytes(bytes), OpenError::ok);
  const char* begin = reader.bytes().data();
  CaptureRecord r{};
  while (reader.next(r)) {
    EXPECT_GE(r.frame.data, begin);
    EXPECT_LE(r.frame.data + r.frame.size + kFramePadding,
              begin + reader.file_size() + kFramePadding);
  }
  // The padding after the last byte is readable (zero here).
  for (std::size_t i = 0; i < kFramePadding; ++i) EXPECT_EQ(begin[reader.file_size() + i], 0);
}

TEST(CaptureFile, IterationDoesNotAllocate) {
  const std::string bytes = write_capture(sample_records());
  CaptureReader reader;
  ASSERT_EQ(reader.open_bytes(bytes), OpenError::ok);
  CaptureRecord r{};
  std::uint64_t n = 0;
  const std::uint64_t before = g_allocations.load();
  for (int pass = 0; pass < 3; ++pass) {
    reader.rewind();
    while (reader.next(r)) ++n;
  }
  EXPECT_EQ(g_allocations.load(), before);
  EXPECT_EQ(n, 3 * sample_records().size());
}

TEST(CaptureFile, HeaderOnlyFileHasNoRecordsAndStopsCleanly) {
  const std::string bytes = write_capture({});
  ASSERT_EQ(bytes.size(), kFileHeaderSize);
  CaptureReader reader;
  ASSERT_EQ(reader.open_bytes(bytes), OpenError::ok);
  CaptureRecord r{};
  EXPECT_FALSE(reader.next(r));
  EXPECT_EQ(reader.stop().reason, StopReason::end_of_file);
  EXPECT_EQ(reader.stop().offset, kFileHeaderSize);
  EXPECT_EQ(reader.stop().record_index, 0u);
}

TEST(CaptureFile, TornTailAtEveryByteOfTheLastRecordStopsAtTheLastGoodRecord) {
  const auto records = sample_records();
  const std::string bytes = write_capture(records);
  const auto offsets = record_offsets(records);
  const std::size_t last = records.size() - 1;
  const std::size_t last_start = offsets[last];
  ASSERT_EQ(offsets.back(), bytes.size());
  for (std::size_t cut = last_start; cut < bytes.size(); ++cut) {
    CaptureReader reader;
    ASSERT_EQ(reader.open_bytes(std::string_view(bytes).substr(0, cut)), OpenError::ok);
    const auto got = read_all(reader);
    expect_same(got, records, last);
    const std::size_t into = cut - last_start;
    const StopReason want = into == 0                    ? StopReason::end_of_file
                            : into < kRecordHeaderSize ? StopReason::truncated_header
                                                       : StopReason::truncated_record;
    EXPECT_EQ(reader.stop().reason, want) << "cut at " << cut;
    EXPECT_EQ(reader.stop().offset, last_start) << "cut at " << cut;
    EXPECT_EQ(reader.stop().record_index, last) << "cut at " << cut;
  }
}

TEST(CaptureFile, TornFileHeaderIsAnOpenError) {
  const std::string bytes = write_capture(sample_records());
  for (std::size_t cut = 0; cut < kFileHeaderSize; ++cut) {
    CaptureReader reader;
    EXPECT_EQ(reader.open_bytes(std::string_view(bytes).substr(0, cut)), OpenError::bad_header);
    EXPECT_EQ(reader.header_error(), HeaderError::too_short) << cut;
    EXPECT_FALSE(reader.is_open());
  }
}

TEST(CaptureFile, AnyFlippedByteInARecordIsDetectedAtThatRecord) {
  const auto records = sample_records();
  const std::string bytes = write_capture(records);
  const auto offsets = record_offsets(records);
  for (std::size_t victim : {std::size_t{1}, std::size_t{3}, records.size() - 1}) {
    for (std::size_t pos = offsets[victim]; pos < offsets[victim + 1]; ++pos) {
      for (int mask : {0x01, 0x80, 0xFF}) {
        std::string damaged = bytes;
        damaged[pos] = static_cast<char>(damaged[pos] ^ mask);
        CaptureReader reader;
        ASSERT_EQ(reader.open_bytes(damaged), OpenError::ok);
        expect_same(read_all(reader), records, victim);
        EXPECT_NE(reader.stop().reason, StopReason::end_of_file)
            << "record " << victim << " byte " << pos - offsets[victim];
        EXPECT_EQ(reader.stop().offset, offsets[victim]);
        EXPECT_EQ(reader.stop().record_index, victim);
      }
    }
  }
}

TEST(CaptureFile, FlippedPayloadOrChecksumByteIsABadChecksum) {
  const auto records = sample_records();
  const std::string bytes = write_capture(records);
  const auto offsets = record_offsets(records);
  const std::size_t payload = offsets[1] + kRecordHeaderSize + 3;
  const std::size_t checksum = offsets[2] - 1;
  for (std::size_t pos : {payload, checksum}) {
    std::string damaged = bytes;
    damaged[pos] = static_cast<char>(damaged[pos] ^ 0x20);
    CaptureReader reader;
    ASSERT_EQ(reader.open_bytes(damaged), OpenError::ok);
    EXPECT_EQ(read_all(reader).size(), 1u);
    EXPECT_EQ(reader.stop().reason, StopReason::bad_checksum);
  }
}

TEST(CaptureFile, ChecksumsCanBeSkippedOnlyOnRequest) {
  const auto records = sample_records();
  std::string damaged = write_capture(records);
  const auto offsets = record_offsets(records);
  damaged[offsets[1] + kRecordHeaderSize] ^= 0x01;
  CaptureReader reader;
  ASSERT_EQ(reader.open_bytes(damaged, {.verify_checksums = false}), OpenError::ok);
  EXPECT_EQ(read_all(reader).size(), records.size());
}

TEST(CaptureFile, AbsurdLengthIsRejectedWithoutAllocating) {
  const auto records = sample_records();
  const std::string bytes = write_capture(records);
  const auto offsets = record_offsets(records);
  for (std::uint32_t length : {kMaxPayloadBytes + 1, 0x7FFFFFFFu, 0xFFFFFFFFu}) {
    std::string damaged = bytes;
    store_le<std::uint32_t>(damaged.data() + offsets[2] + 12, length);
    CaptureReader reader;
    ASSERT_EQ(reader.open_bytes(damaged), OpenError::ok);
    CaptureRecord r{};
    const std::uint64_t before = g_allocations.load();
    int delivered = 0;
    while (reader.next(r)) ++delivered;
    EXPECT_EQ(g_allocations.load(), before);
    EXPECT_EQ(delivered, 2);
    EXPECT_EQ(reader.stop().reason, StopReason::length_too_large);
    EXPECT_EQ(reader.stop().offset, offsets[2]);
  }
}

TEST(CaptureFile, LengthPastTheEndOfTheFileIsATruncatedRecord) {
  const auto records = sample_records();
  std::string damaged = write_capture(records);
  const auto offsets = record_offsets(records);
  store_le<std::uint32_t>(damaged.data() + offsets[4] + 12, kMaxPayloadBytes);
  CaptureReader reader;
  ASSERT_EQ(reader.open_bytes(damaged), OpenError::ok);
  EXPECT_EQ(read_all(reader).size(), 4u);
  EXPECT_EQ(reader.stop().reason, StopReason::truncated_record);
}

TEST(CaptureFile, BadMagicIsAnOpenError) {
  std::string bytes = write_capture(sample_records());
  bytes[1] = 'X';
  CaptureReader reader;
  EXPECT_EQ(reader.open_bytes(bytes), OpenError::bad_header);
  EXPECT_EQ(reader.header_error(), HeaderError::bad_magic);
  EXPECT_EQ(reader.open_bytes("1761017305000000000\t{\"response_type\":\"PONG\"}\n"),
            OpenError::bad_header);
  EXPECT_EQ(reader.header_error(), HeaderError::bad_magic);
  EXPECT_EQ(reader.open_bytes("{}"), OpenError::bad_header);
  EXPECT_EQ(reader.header_error(), HeaderError::bad_magic);
}

TEST(CaptureFile, DamagedOrUnknownHeadersAreOpenErrors) {
  const std::string good = write_capture(sample_records());
  CaptureReader reader;
  std::string damaged = good;
  damaged[17] ^= 0x04;  // created_ns: only the header CRC can tell
  EXPECT_EQ(reader.open_bytes(damaged), OpenError::bad_header);
  EXPECT_EQ(reader.header_error(), HeaderError::bad_header_crc);

  auto with_header = [&](auto edit) {
    std::string b = good;
    edit(b);
    store_le<std::uint32_t>(b.data() + 28, crc32c(b.data(), 28));  // a consistent CRC
    return b;
  };
  EXPECT_EQ(reader.open_bytes(with_header([](std::string& b) { store_le<std::uint16_t>(b.data() + 8, 3); })),
            OpenError::bad_header);
  EXPECT_EQ(reader.header_error(), HeaderError::unsupported_version);
  EXPECT_EQ(reader.open_bytes(with_header([](std::string& b) { store_le<std::uint32_t>(b.data() + 12, 16); })),
            OpenError::bad_header);
  EXPECT_EQ(reader.header_error(), HeaderError::bad_header_size);
  EXPECT_EQ(reader.open_bytes(with_header([](std::string& b) { store_le<std::uint32_t>(b.data() + 12, 1u << 30); })),
            OpenError::bad_header);
  EXPECT_EQ(reader.header_error(), HeaderError::bad_header_size);
}

TEST(CaptureFile, MissingFileIsAnOpenErrorWithErrno) {
  CaptureReader reader;
  EXPECT_EQ(reader.open("/nonexistent/dir/x.mdecap"), OpenError::cannot_open);
  EXPECT_NE(reader.last_errno(), 0);
  CaptureWriter writer;
  EXPECT_EQ(writer.open("/nonexistent/dir/x.mdecap"), WriteStatus::cannot_open);
  EXPECT_EQ(writer.try_append(1, 1, "x"), WriteStatus::not_open);
}

TEST(CaptureFile, OversizedPayloadIsRefusedAndNothingIsWritten) {
  TempFile file(".mdecap");
  CaptureWriter writer;
  ASSERT_EQ(writer.open(file.path), WriteStatus::ok);
  const std::string huge(kMaxPayloadBytes + 1, 'x');
  EXPECT_EQ(writer.try_append(1, 1, huge), WriteStatus::payload_too_large);
  EXPECT_EQ(writer.records(), 0u);
  ASSERT_EQ(writer.try_close(), WriteStatus::ok);
  EXPECT_EQ(read_file(file.path).size(), kFileHeaderSize);
}

TEST(CaptureFile, PayloadsLargerThanTheWriteBufferRoundTrip) {
  std::vector<Rec> records = {{1, 1, std::string(10000, 'a')},
                              {2, 1, "small"},
                              {3, 2, std::string(kMaxPayloadBytes, 'z')}};
  const std::string bytes = write_capture(records, {.buffer_bytes = 4096});
  CaptureReader reader;
  ASSERT_EQ(reader.open_bytes(bytes), OpenError::ok);
  expect_same(read_all(reader), records, records.size());
  EXPECT_TRUE(reader.stop().clean());
}

TEST(CaptureFile, ReaderCanBeRewoundAndMoved) {
  const auto records = sample_records();
  CaptureReader reader;
  ASSERT_EQ(reader.open_bytes(write_capture(records)), OpenError::ok);
  EXPECT_EQ(read_all(reader).size(), records.size());
  reader.rewind();
  CaptureReader moved = std::move(reader);
  EXPECT_FALSE(reader.is_open());
  expect_same(read_all(moved), records, records.size());
}

}  // namespace
}  // namespace mde::capture
