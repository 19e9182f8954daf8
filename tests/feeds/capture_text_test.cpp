// Text captures: line forms, synthetic times, and text <-> native round trips.
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <thread>
#include <string>
#include <vector>

#include <unistd.h>

#include "capture_test_util.hpp"
#include "mde/feeds/capture/capture_reader.hpp"
#include "mde/feeds/capture/capture_summary.hpp"
#include "mde/feeds/capture/capture_writer.hpp"
#include "mde/feeds/capture/text_capture.hpp"

namespace mde::capture {
namespace {

using testing::read_file;
using testing::TempFile;

struct Rec {
  std::int64_t receive_ns;
  std::uint32_t connection;
  std::string frame;
};

std::vector<Rec> read_text(const std::string& text, TextReadOptions options = {},
                           std::uint64_t expect_bad = 0) {
  TextCaptureStream reader;
  EXPECT_TRUE(reader.open_fd(-1, text, options));
  std::vector<Rec> out;
  CaptureRecord r{};
  while (reader.next(r)) out.push_back({r.receive_ns, r.connection, std::string(r.frame.text())});
  EXPECT_FALSE(reader.failed());
  EXPECT_EQ(reader.stats().bad_total(), expect_bad);
  return out;
}

// text -> native file -> text, through the library calls `mde capture convert` uses.
std::string text_to_native_to_text(const std::string& text, std::string* native = nullptr) {
  TempFile file(".mdecap");
  {
    TextCaptureStream reader;
    EXPECT_TRUE(reader.open_fd(-1, text));
    CaptureWriter writer;
    EXPECT_EQ(writer.open(file.path, {.flags = kFlagFromText}), WriteStatus::ok);
    CaptureRecord r{};
    while (reader.next(r)) {
      EXPECT_EQ(writer.try_append(r.receive_ns, r.connection, r.frame.text(), r.venue),
                WriteStatus::ok);
    }
    EXPECT_TRUE(reader.clean());
    EXPECT_EQ(writer.try_close(), WriteStatus::ok);
  }
  if (native != nullptr) *native = read_file(file.path);
  CaptureReader reader;
  EXPECT_EQ(reader.open(file.path), OpenError::ok);
  std::ostringstream out;
  {
    TextCaptureWriter writer(out);
    CaptureRecord r{};
    while (reader.next(r)) {
      EXPECT_TRUE(writer.write(r.receive_ns, r.frame.text(), r.venue, r.connection));
    }
    EXPECT_TRUE(reader.stop().clean());
  }
  return out.str();
}

TEST(TextCapture, ParsesTimestampedAndBareLines) {
  ParsedLine p = parse_text_line("1761017305000000000\t{\"response_type\":\"PONG\"}");
  EXPECT_EQ(p.kind, LineKind::timestamped);
  EXPECT_EQ(p.receive_ns, 1761017305000000000);
  EXPECT_EQ(p.frame, "{\"response_type\":\"PONG\"}");

  p = parse_text_line("{\"response_type\":\"PONG\"}");
  EXPECT_EQ(p.kind, LineKind::bare);
  EXPECT_EQ(p.frame, "{\"response_type\":\"PONG\"}");

  p = parse_text_line("-12\tx");
  EXPECT_EQ(p.kind, LineKind::timestamped);
  EXPECT_EQ(p.receive_ns, -12);

  // A tab inside a frame does not make it timestamped unless only digits precede it.
  p = parse_text_line("{\"a\":\t1}");
  EXPECT_EQ(p.kind, LineKind::bare);
  p = parse_text_line("12a\t{}");
  EXPECT_EQ(p.kind, LineKind::bare);
  // Only the first tab separates: the frame keeps its own tabs.
  p = parse_text_line("5\t{\"a\":\t1}");
  EXPECT_EQ(p.kind, LineKind::timestamped);
  EXPECT_EQ(p.frame, "{\"a\":\t1}");
}

TEST(TextCapture, StripsWindowsLineEndings) {
  ParsedLine p = parse_text_line("7\t{}\r");
  EXPECT_EQ(p.kind, LineKind::timestamped);
  EXPECT_EQ(p.frame, "{}");
  p = parse_text_line("{}\r");
  EXPECT_EQ(p.kind, LineKind::bare);
  EXPECT_EQ(p.frame, "{}");
  const auto recs = read_text("1\t{\"a\":1}\r\n2\t{\"b\":2}\r\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].frame, "{\"a\":1}");
  EXPECT_EQ(recs[1].frame, "{\"b\":2}");
}

TEST(TextCapture, SkipsBlankLines) {
  EXPECT_EQ(parse_text_line("").kind, LineKind::blank);
  EXPECT_EQ(parse_text_line("  \t \r").kind, LineKind::blank);
  EXPECT_EQ(parse_text_line("123\t").kind, LineKind::blank);
  EXPECT_EQ(parse_text_line("123\t  \r").kind, LineKind::blank);
  TextCaptureStream reader;
  ASSERT_TRUE(reader.open_fd(-1, "\n\n1\t{}\n   \n\r\n2\t[]\n\n"));
  CaptureRecord r{};
  int n = 0;
  while (reader.next(r)) ++n;
  EXPECT_EQ(n, 2);
  EXPECT_EQ(reader.stats().blank, 5u);
  EXPECT_EQ(reader.stats().lines, 7u);
}

TEST(TextCapture, RejectsTimestampsThatDoNotFitAnInt64AndGoesOn) {
  EXPECT_EQ(parse_text_line("9223372036854775807\t{}").kind, LineKind::timestamped);
  EXPECT_EQ(parse_text_line("9223372036854775808\t{}").kind, LineKind::bad_timestamp);
  EXPECT_EQ(parse_text_line("123456789012345678901234\t{}").kind, LineKind::bad_timestamp);
  TextCaptureStream reader;
  ASSERT_TRUE(reader.open_fd(-1, "1\t{}\n99999999999999999999\t{}\n3\t{}\n"));
  CaptureRecord r{};
  EXPECT_TRUE(reader.next(r));
  EXPECT_TRUE(reader.next(r));  // the bad line is counted and skipped
  EXPECT_EQ(r.receive_ns, 3);
  EXPECT_FALSE(reader.next(r));
  EXPECT_EQ(reader.stats().bad[static_cast<std::size_t>(BadLine::bad_timestamp)], 1u);
  EXPECT_EQ(reader.stats().first_bad_line, 2u);
  EXPECT_FALSE(reader.clean());
  EXPECT_FALSE(reader.failed());
}

TEST(TextCapture, BareFramesGetMonotonicSyntheticTimes) {
  const auto recs = read_text("{\"a\":1}\n{\"a\":2}\n5000000000\t{\"a\":3}\n{\"a\":4}\n",
                              {.connection = 9, .bare_frame_step_ns = 1'000'000});
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[0].receive_ns, 1'000'000);
  EXPECT_EQ(recs[1].receive_ns, 2'000'000);
  EXPECT_EQ(recs[2].receive_ns, 5'000'000'000);
  EXPECT_EQ(recs[3].receive_ns, 5'001'000'000);
  for (const Rec& r : recs) EXPECT_EQ(r.connection, 9u);
}

TEST(TextCapture, FramesAreDeliveredWithReadablePadding) {
  // The last frame of the input, without a newline: its padding is the buffer's own tail.
  TextCaptureStream reader;
  ASSERT_TRUE(reader.open_fd(-1, "1\t{\"response_type\":\"PONG\"}"));
  CaptureRecord r{};
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.frame.text(), "{\"response_type\":\"PONG\"}");
  unsigned sum = 0;  // readable (AddressSanitizer would catch a read past the buffer)
  for (std::size_t i = 0; i < kFramePadding; ++i) sum += static_cast<unsigned char>(r.frame.data[r.frame.size + i]);
  EXPECT_GE(sum, 0u);
}

TEST(TextCapture, CanonicalTextSurvivesNativeRoundTripByteForByte) {
  const std::string canonical =
      "1761017305000000000\t{\"response_type\":\"CONNECTED\",\"data\":{\"session_id\":\"x\"}}\n"
      "1761017305000001000\t{\"r\":\"DATA\",\"c\":\"TRADE\",\"d\":{\"qc\":\"KRW\",\"tc\":\"XRP\","
      "\"i\":\"1693560563084003\",\"t\":1693560563084,\"p\":\"688.3\",\"q\":\"290.745\","
      "\"sm\":false}}\n"
      "0\t{\"response_type\":\"PONG\"}\n"
      "-1\t{\"a\":\t1}\n"
      "1761017305000001000\tnot json at all\n";
  std::string native;
  EXPECT_EQ(text_to_native_to_text(canonical, &native), canonical);
  EXPECT_TRUE(has_native_magic(native));
}

TEST(TextCapture, ShippedSampleFilesAreCanonicalAndRoundTrip) {
  for (const char* name : {"/samples/coinone_sample.jsonl"}) {
    const std::string text = read_file(std::string(MDE_TEST_DATA_DIR) + name);
    ASSERT_FALSE(text.empty()) << name;
    EXPECT_EQ(text_to_native_to_text(text), text) << name;
  }
}

TEST(TextCapture, NonCanonicalInputNormalises) {
  const std::string messy = "\n{\"a\":1}\r\n\n7000000\t{\"b\":2}\r\n";
  EXPECT_EQ(text_to_native_to_text(messy), "1000000\t{\"a\":1}\n7000000\t{\"b\":2}\n");
}

TEST(TextCapture, ExportReplacesRawNewlinesInsideFramesWithSpaces) {
  std::ostringstream out;
  {
    TextCaptureWriter writer(out);
    EXPECT_TRUE(writer.write(5, "{\"a\":\r\n1}"));
    EXPECT_TRUE(writer.write(6, "{}"));
    EXPECT_EQ(writer.newlines_replaced(), 1u);
    EXPECT_EQ(writer.records(), 2u);
  }
  EXPECT_EQ(out.str(), "5\t{\"a\":  1}\n6\t{}\n");
}

TEST(TextCapture, SummaryCountsRecordsSpanAndConnections) {
  CaptureSummary s;
  const char* frames[] = {"aa", "bbbb", "c", "dd"};
  const std::int64_t times[] = {100, 300, 200, 400};
  const std::uint32_t conns[] = {1, 2, 1, 1};
  for (int i = 0; i < 4; ++i) {
    s.add({times[i], conns[i], FrameView{frames[i], std::char_traits<char>::length(frames[i])}});
  }
  EXPECT_EQ(s.records, 4u);
  EXPECT_EQ(s.payload_bytes, 9u);
  EXPECT_EQ(s.largest_payload, 4u);
  EXPECT_EQ(s.first_ns, 100);
  EXPECT_EQ(s.last_ns, 400);
  EXPECT_EQ(s.span_ns(), 300);
  EXPECT_EQ(s.backwards, 1u);
  ASSERT_EQ(s.connections.size(), 2u);
  EXPECT_EQ(s.connections[0].connection, 1u);
  EXPECT_EQ(s.connections[0].records, 3u);
  EXPECT_EQ(s.connections[1].records, 1u);
}

// Writes `text` into a pipe from another thread; returns the read end.
struct PipeFeeder {
  int read_fd = -1;
  std::thread thread;
  explicit PipeFeeder(std::string text) {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    read_fd = fds[0];
    thread = std::thread([w = fds[1], t = std::move(text)] {
      std::size_t done = 0;
      while (done < t.size()) {
        const ssize_t n = ::write(w, t.data() + done, std::min<std::size_t>(1000, t.size() - done));
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
      }
      ::close(w);
    });
  }
  ~PipeFeeder() { thread.join(); }
};

TEST(TextCaptureStream, APipeIsReadInFullAfterTheFormatProbe) {
  std::string text;
  for (int i = 1; i <= 5000; ++i) text += std::to_string(i) + "\t{\"response_type\":\"PONG\"}\n";
  PipeFeeder feeder(text);
  // A caller probed the first bytes for the native magic; it hands them back instead of seeking.
  char probe[8];
  ASSERT_EQ(::read(feeder.read_fd, probe, sizeof probe), 8);
  TextCaptureStream reader;
  ASSERT_TRUE(reader.open_fd(feeder.read_fd, {probe, sizeof probe}));
  CaptureRecord r{};
  std::int64_t n = 0;
  while (reader.next(r)) {
    ++n;
    ASSERT_EQ(r.receive_ns, n);
  }
  EXPECT_EQ(n, 5000);
  EXPECT_TRUE(reader.clean());
  EXPECT_EQ(reader.bytes_consumed(), text.size());
}

TEST(TextCaptureStream, ALineLongerThanTheLimitIsCountedAndReadingGoesOn) {
  // 40 MB in one line through a pipe: far more than the stream's buffer, never held at once.
  std::string text = "1\t{\"a\":1}\n2\t\"" + std::string(40u << 20, 'x') + "\"\n3\t{\"b\":2}\n";
  PipeFeeder feeder(std::move(text));
  TextCaptureStream reader;
  ASSERT_TRUE(reader.open_fd(feeder.read_fd, {}, {.max_frame_bytes = 4096}));
  TextLine line;
  ASSERT_TRUE(reader.next_line(line));
  EXPECT_TRUE(line.ok);
  ASSERT_TRUE(reader.next_line(line));
  EXPECT_FALSE(line.ok);
  EXPECT_EQ(line.bad, BadLine::line_too_long);
  EXPECT_EQ(line.number, 2u);
  ASSERT_TRUE(reader.next_line(line));
  ASSERT_TRUE(line.ok);
  EXPECT_EQ(line.record.receive_ns, 3);
  EXPECT_EQ(line.record.frame.text(), "{\"b\":2}");
  EXPECT_FALSE(reader.next_line(line));
  EXPECT_EQ(reader.stats().bad[static_cast<std::size_t>(BadLine::line_too_long)], 1u);
  EXPECT_FALSE(reader.failed());
}

TEST(TextCaptureStream, AFrameJustOverTheLimitIsRejectedAndOneAtTheLimitIsNot) {
  const std::string at(100, 'a');
  const std::string over(101, 'b');
  const auto recs = read_text("1\t" + at + "\n2\t" + over + "\n" + over + "\n3\t" + at + "\n",
                              {.max_frame_bytes = 100}, 2);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].receive_ns, 3);
}

TEST(TextCaptureStream, TheVenueFormCarriesVenueAndConnection) {
  ParsedLine p = parse_text_line("5\tbtse:7\t{\"a\":1}");
  EXPECT_EQ(p.kind, LineKind::timestamped);
  EXPECT_TRUE(p.has_source);
  EXPECT_EQ(p.venue, Venue::btse);
  EXPECT_EQ(p.connection, 7u);
  EXPECT_EQ(p.frame, "{\"a\":1}");
  EXPECT_EQ(parse_text_line("5\tnowhere:7\t{}").kind, LineKind::bad_source);
  EXPECT_EQ(parse_text_line("5\tcoinone:16777216\t{}").kind, LineKind::bad_source);
  EXPECT_EQ(parse_text_line("5\tcoinone:99999999999999999999999\t{}").kind, LineKind::bad_source);
  p = parse_text_line("5\tcoinone:16777215\t{}");
  EXPECT_EQ(p.connection, kMaxConnection);
  // Not the form (no tab after the digits, or not letters first): the rest is the frame.
  EXPECT_EQ(parse_text_line("5\tbtse:7 {}").frame, "btse:7 {}");
  EXPECT_FALSE(parse_text_line("5\t{\"btse:7\t\"}").has_source);

  TextCaptureStream reader;
  ASSERT_TRUE(reader.open_fd(-1, "5\tdeflow:3\t{}\n6\t{}\n", {.connection = 9}));
  CaptureRecord r{};
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.venue, Venue::deflow);
  EXPECT_EQ(r.connection, 3u);
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.venue, Venue::unknown);
  EXPECT_EQ(r.connection, 9u);
}

TEST(TextCaptureStream, TheVenueFormSurvivesNativeRoundTrip) {
  const std::string text = "5\tbtse:7\t{\"a\":1}\n6\tcoinone:16777215\t{}\n7\t[]\n";
  EXPECT_EQ(text_to_native_to_text(text), text);
}

TEST(TextCaptureStream, AByteOrderMarkAtTheStartIsSkipped) {
  const auto recs = read_text("\xEF\xBB\xBF" "12\t{}\n13\t[]\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].receive_ns, 12);
  EXPECT_EQ(recs[0].frame, "{}");
}

TEST(TextCaptureStream, BareTimesThatWouldWrapAreRejected) {
  const auto recs = read_text("9223372036854775000\t{}\n{\"a\":1}\n", {.bare_frame_step_ns = 1'000'000}, 1);
  ASSERT_EQ(recs.size(), 1u);
}

TEST(TextCaptureStream, ADirectoryIsAReadErrorNotAnEmptyCapture) {
  TextCaptureStream reader;
  ASSERT_TRUE(reader.open(::testing::TempDir()));
  CaptureRecord r{};
  EXPECT_FALSE(reader.next(r));
  EXPECT_TRUE(reader.failed());
  EXPECT_EQ(reader.read_errno(), EISDIR);
  EXPECT_FALSE(reader.clean());
}

TEST(TextCaptureStream, AMissingFileCannotBeOpened) {
  TextCaptureStream reader;
  EXPECT_FALSE(reader.open("/nonexistent/dir/x.jsonl"));
  EXPECT_EQ(reader.read_errno(), ENOENT);
}

TEST(TextCaptureStream, ALastLineWithoutANewlineIsDelivered) {
  const auto recs = read_text("1\t{}\n2\t[]");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].frame, "[]");
}

}  // namespace
}  // namespace mde::capture
