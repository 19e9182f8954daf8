// Native captures read as a stream: pipes, files that change underneath, bounded memory, and the
// version 2 record source (venue and connection) beside version 1 files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "capture_test_util.hpp"
#include "mde/feeds/capture/capture_format.hpp"
#include "mde/feeds/capture/capture_reader.hpp"
#include "mde/feeds/capture/capture_writer.hpp"
#include "mde/feeds/capture/crc32c.hpp"

namespace mde::capture {
namespace {

using testing::read_file;
using testing::TempFile;

// `count` records of `payload_bytes` each, written to `path`.
void write_records(const std::string& path, std::size_t count, std::size_t payload_bytes) {
  CaptureWriter writer;
  ASSERT_EQ(writer.open(path), WriteStatus::ok);
  for (std::size_t i = 0; i < count; ++i) {
    const std::string payload(payload_bytes, static_cast<char>('a' + i % 26));
    ASSERT_EQ(writer.try_append(static_cast<std::int64_t>(i + 1), 1, payload), WriteStatus::ok);
  }
  ASSERT_EQ(writer.try_close(), WriteStatus::ok);
}

TEST(CaptureStream, VenueAndConnectionRoundTripInTheRecordSource) {
  TempFile file(".mdecap");
  CaptureWriter writer;
  ASSERT_EQ(writer.open(file.path), WriteStatus::ok);
  ASSERT_EQ(writer.try_append(1, 7, "a", Venue::btse), WriteStatus::ok);
  ASSERT_EQ(writer.try_append(2, kMaxConnection, "b", Venue::coinone), WriteStatus::ok);
  ASSERT_EQ(writer.try_append(3, 0, "c"), WriteStatus::ok);
  ASSERT_EQ(writer.try_close(), WriteStatus::ok);

  const std::string bytes = read_file(file.path);
  // Record 0's source: btse (2) << 24 | 7.
  EXPECT_EQ(load_le<std::uint32_t>(bytes.data() + kFileHeaderSize + 8), (2u << 24) | 7u);

  CaptureReader reader;
  ASSERT_EQ(reader.open(file.path), OpenError::ok);
  EXPECT_EQ(reader.header().version, 2);
  CaptureRecord r{};
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.venue, Venue::btse);
  EXPECT_EQ(r.connection, 7u);
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.venue, Venue::coinone);
  EXPECT_EQ(r.connection, kMaxConnection);
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.venue, Venue::unknown);
  EXPECT_EQ(r.connection, 0u);
}

TEST(CaptureStream, AConnectionIdBeyond24BitsIsRefused) {
  TempFile file(".mdecap");
  CaptureWriter writer;
  ASSERT_EQ(writer.open(file.path), WriteStatus::ok);
  EXPECT_EQ(writer.try_append(1, kMaxConnection + 1, "x"), WriteStatus::connection_too_large);
  EXPECT_EQ(writer.records(), 0u);
  ASSERT_EQ(writer.try_close(), WriteStatus::ok);
  EXPECT_EQ(read_file(file.path).size(), kFileHeaderSize);
}

TEST(CaptureStream, Version1FilesStillReadWithTheWholeFieldAsConnection) {
  // A version 1 file: the header says 1 and a record's u32 is the whole connection id.
  FileHeader h;
  h.version = 1;
  unsigned char head[kFileHeaderSize];
  encode_file_header(h, head);
  std::string bytes(reinterpret_cast<const char*>(head), sizeof head);
  char rec[kRecordOverhead + 2];
  store_le<std::int64_t>(rec, 99);
  store_le<std::uint32_t>(rec + 8, 0x0A0B0C0Du);  // above 24 bits: legal in version 1
  store_le<std::uint32_t>(rec + 12, 2);
  rec[16] = 'h';
  rec[17] = 'i';
  store_le<std::uint32_t>(rec + 18, crc32c(rec, 18));
  bytes.append(rec, sizeof rec);

  for (bool from_file : {false, true}) {
    TempFile file(".mdecap");
    testing::write_file(file.path, bytes);
    CaptureReader reader;
    ASSERT_EQ(from_file ? reader.open(file.path) : reader.open_bytes(bytes), OpenError::ok);
    EXPECT_EQ(reader.header().version, 1);
    CaptureRecord r{};
    ASSERT_TRUE(reader.next(r));
    EXPECT_EQ(r.receive_ns, 99);
    EXPECT_EQ(r.connection, 0x0A0B0C0Du);
    EXPECT_EQ(r.venue, Venue::unknown);
    EXPECT_EQ(r.frame.text(), "hi");
    EXPECT_FALSE(reader.next(r));
    EXPECT_TRUE(reader.stop().clean());
  }
}

TEST(CaptureStream, ReadsAWholeCaptureFromAPipe) {
  TempFile file(".mdecap");
  write_records(file.path, 3000, 1000);  // ~3 MB: several chunks, many short pipe reads
  const std::string bytes = read_file(file.path);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::thread feeder([&] {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(fds[1], bytes.data() + done, std::min<std::size_t>(4093, bytes.size() - done));
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    ::close(fds[1]);
  });
  // The caller probed the first 8 bytes (the magic) and hands them back.
  char magic[8];
  std::size_t got = 0;
  while (got < sizeof magic) {
    const ssize_t n = ::read(fds[0], magic + got, sizeof magic - got);
    ASSERT_GT(n, 0);
    got += static_cast<std::size_t>(n);
  }
  CaptureReader reader;
  ASSERT_EQ(reader.open_fd(fds[0], {magic, sizeof magic}), OpenError::ok);
  CaptureRecord r{};
  std::uint64_t n = 0;
  while (reader.next(r)) {
    ASSERT_EQ(r.frame.size, 1000u);
    ASSERT_EQ(r.frame.data[0], static_cast<char>('a' + n % 26));
    ++n;
  }
  feeder.join();
  EXPECT_EQ(n, 3000u);
  EXPECT_TRUE(reader.stop().clean());
  EXPECT_EQ(reader.file_size(), 0u);  // unknown for a pipe
}

TEST(CaptureStream, BuffersAtMostAChunkPlusARecordWhateverTheFileSize) {
  TempFile file(".mdecap");
  write_records(file.path, 5000, 1000);  // ~5 MB
  CaptureReader reader;
  ASSERT_EQ(reader.open(file.path), OpenError::ok);
  CaptureRecord r{};
  std::uint64_t n = 0;
  while (reader.next(r)) {
    ASSERT_LE(reader.bytes().size(), kStreamChunk + kRecordOverhead + 1000);
    ++n;
  }
  EXPECT_EQ(n, 5000u);
  EXPECT_TRUE(reader.stop().clean());
}

TEST(CaptureStream, RecordsLargerThanAChunkReadFromDisk) {
  TempFile file(".mdecap");
  {
    CaptureWriter writer;
    ASSERT_EQ(writer.open(file.path), WriteStatus::ok);
    ASSERT_EQ(writer.try_append(1, 1, std::string(kStreamChunk + 5, 'x')), WriteStatus::ok);
    ASSERT_EQ(writer.try_append(2, 1, "small"), WriteStatus::ok);
    ASSERT_EQ(writer.try_append(3, 1, std::string(kMaxPayloadBytes, 'z')), WriteStatus::ok);
    ASSERT_EQ(writer.try_close(), WriteStatus::ok);
  }
  CaptureReader reader;
  ASSERT_EQ(reader.open(file.path), OpenError::ok);
  CaptureRecord r{};
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.frame.size, kStreamChunk + 5);
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.frame.text(), "small");
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.frame.size, kMaxPayloadBytes);
  EXPECT_EQ(r.frame.data[kMaxPayloadBytes - 1], 'z');
  EXPECT_FALSE(reader.next(r));
  EXPECT_TRUE(reader.stop().clean());
}

// Writes `count` 1000-byte records to `path` and reads the first one (the reader's first chunk
// is then buffered; the rest of the file is read after the test changes it).
void open_after_one_record(const std::string& path, std::size_t count, CaptureReader& reader) {
  write_records(path, count, 1000);
  ASSERT_EQ(reader.open(path), OpenError::ok);
  CaptureRecord r{};
  ASSERT_TRUE(reader.next(r));
}

// A mapped reader dies with SIGBUS here; the default reader stops at the new end as a torn tail.
TEST(CaptureStream, AFileTruncatedWhileBeingReadStopsAsATornTail) {
  TempFile file(".mdecap");
  CaptureReader reader;
  open_after_one_record(file.path, 8000, reader);  // ~8 MB
  CaptureRecord r{};
  const std::uint64_t cut = kFileHeaderSize + 4000 * (kRecordOverhead + 1000) + 500;
  ASSERT_EQ(::truncate(file.path.c_str(), static_cast<off_t>(cut)), 0);
  std::uint64_t n = 1;
  while (reader.next(r)) ++n;
  EXPECT_EQ(n, 4000u);
  EXPECT_EQ(reader.stop().reason, StopReason::truncated_record);
  EXPECT_EQ(reader.stop().offset, cut - 500);
}

TEST(CaptureStream, AFileCutAtARecordBoundaryWhileBeingReadIsNotACleanEnd) {
  TempFile file(".mdecap");
  CaptureReader reader;
  open_after_one_record(file.path, 8000, reader);  // ~8 MB
  CaptureRecord r{};
  const std::uint64_t cut = kFileHeaderSize + 4000 * (kRecordOverhead + 1000);
  ASSERT_EQ(::truncate(file.path.c_str(), static_cast<off_t>(cut)), 0);
  std::uint64_t n = 1;
  while (reader.next(r)) ++n;
  EXPECT_EQ(n, 4000u);
  EXPECT_EQ(reader.stop().reason, StopReason::file_shrank);
  EXPECT_FALSE(reader.stop().clean());
  EXPECT_EQ(reader.stop().offset, cut);
}

TEST(CaptureStream, AFileRewrittenWhileBeingReadStopsAtTheDamage) {
  TempFile file(".mdecap");
  CaptureReader reader;
  open_after_one_record(file.path, 4000, reader);  // ~4 MB
  CaptureRecord r{};
  // Overwrite the payload bytes of the last records in place.
  {
    std::string bytes = read_file(file.path);
    for (std::size_t i = bytes.size() - 100 * (kRecordOverhead + 1000); i < bytes.size(); ++i) {
      if (bytes[i] >= 'a' && bytes[i] <= 'z') bytes[i] = '#';
    }
    testing::write_file(file.path, bytes);
  }
  std::uint64_t n = 1;
  while (reader.next(r)) ++n;
  EXPECT_EQ(n, 3900u);
  EXPECT_EQ(reader.stop().reason, StopReason::bad_checksum);
}

TEST(CaptureStream, RewindReadsAgainFromTheFirstRecord) {
  TempFile file(".mdecap");
  write_records(file.path, 3000, 1000);
  CaptureReader reader;
  ASSERT_EQ(reader.open(file.path), OpenError::ok);
  CaptureRecord r{};
  std::uint64_t n = 0;
  while (reader.next(r)) ++n;
  reader.rewind();
  while (reader.next(r)) ++n;
  EXPECT_EQ(n, 6000u);
  EXPECT_TRUE(reader.stop().clean());
}

}  // namespace
}  // namespace mde::capture
