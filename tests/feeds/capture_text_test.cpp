// Text captures: line forms, synthetic times, and text <-> native round trips.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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
                           TextReadError expect_error = TextReadError::none) {
  std::istringstream in(text);
  TextCaptureReader reader(in, options);
  std::vector<Rec> out;
  CaptureRecord r{};
  while (reader.next(r)) out.push_back({r.receive_ns, r.connection, std::string(r.frame.text())});
  EXPECT_EQ(reader.error(), expect_error);
  return out;
}

// text -> native file -> text, through the library calls `mde capture convert` uses.
std::string text_to_native_to_text(const std::string& text, std::string* native = nullptr) {
  TempFile file(".mdecap");
  {
    std::istringstream in(text);
    TextCaptureReader reader(in);
    CaptureWriter writer;
    EXPECT_EQ(writer.open(file.path, {.flags = kFlagFromText}), WriteStatus::ok);
    CaptureRecord r{};
    while (reader.next(r)) {
      EXPECT_EQ(writer.try_append(r.receive_ns, r.connection, r.frame.text()), WriteStatus::ok);
    }
    EXPECT_EQ(reader.error(), TextReadError::none);
    EXPECT_EQ(writer.try_close(), WriteStatus::ok);
  }
  if (native != nullptr) *native = read_file(file.path);
  CaptureReader reader;
  EXPECT_EQ(reader.open(file.path), OpenError::ok);
  std::ostringstream out;
  {
    TextCaptureWriter writer(out);
    CaptureRecord r{};
    while (reader.next(r)) EXPECT_TRUE(writer.write(r.receive_ns, r.frame.text()));
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
  std::istringstream in("\n\n1\t{}\n   \n\r\n2\t[]\n\n");
  TextCaptureReader reader(in);
  CaptureRecord r{};
  int n = 0;
  while (reader.next(r)) ++n;
  EXPECT_EQ(n, 2);
  EXPECT_EQ(reader.stats().blank, 5u);
  EXPECT_EQ(reader.stats().lines, 7u);
}

TEST(TextCapture, RejectsTimestampsThatDoNotFitAnInt64) {
  EXPECT_EQ(parse_text_line("9223372036854775807\t{}").kind, LineKind::timestamped);
  EXPECT_EQ(parse_text_line("9223372036854775808\t{}").kind, LineKind::bad_timestamp);
  EXPECT_EQ(parse_text_line("123456789012345678901234\t{}").kind, LineKind::bad_timestamp);
  std::istringstream in("1\t{}\n99999999999999999999\t{}\n3\t{}\n");
  TextCaptureReader reader(in);
  CaptureRecord r{};
  EXPECT_TRUE(reader.next(r));
  EXPECT_FALSE(reader.next(r));
  EXPECT_EQ(reader.error(), TextReadError::bad_timestamp);
  EXPECT_EQ(reader.error_line(), 2u);
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

TEST(TextCapture, FramesAreDeliveredWithPadding) {
  std::istringstream in("1\t{\"response_type\":\"PONG\"}\n");
  TextCaptureReader reader(in);
  CaptureRecord r{};
  ASSERT_TRUE(reader.next(r));
  for (std::size_t i = 0; i < kFramePadding; ++i) EXPECT_EQ(r.frame.data[r.frame.size + i], 0);
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

}  // namespace
}  // namespace mde::capture
