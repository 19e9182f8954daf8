// Text captures: one frame per line, for humans, diffs and hand-written test input.
//
// Line forms (read):
//   <receive_ns>\t<frame>                        receive_ns: optional '-', decimal digits, fits
//                                                an int64
//   <receive_ns>\t<venue>:<connection>\t<frame>  venue: a name from mde/core/venue.hpp
//                                                ("coinone", "btse", "deflow", "unknown");
//                                                connection: decimal, at most kMaxConnection
//   <frame>                                      a bare frame (any line not starting with
//                                                digits and a tab)
// A UTF-8 byte order mark at the very start of the input is skipped. A trailing CR is stripped
// (Windows line endings). Lines that are empty or only spaces, tabs and CRs are skipped, and so
// is a timestamped line whose frame part is empty. Frames are not interpreted here: a line that
// is not JSON is still a frame (the decoder will reject it). The venue form is recognised only
// when letters, ':', digits and a tab follow the time, which a JSON frame never starts with.
//
// Bad lines do not end the input: each is counted by reason (TextReadStats::bad) and reading
// goes on with the next line. A line longer than the frame limit is rejected after reading at
// most the limit plus kMaxLinePrefix bytes of it; the rest of it is skipped without buffering.
//
// Bare frames get a synthetic receive time: the previous record's receive_ns plus
// TextReadOptions::bare_frame_step_ns (1 ms by default; the first record's "previous" is 0). This
// keeps receive times monotonic, so `--pace recorded` replays a hand-written file one frame per
// millisecond instead of all at once, and it never yields 0 (which events read as "absent").
//
// Records read from lines without a venue form get TextReadOptions::connection and
// Venue::unknown.
//
// Write form: `<receive_ns>\t<frame>\n`, or `<receive_ns>\t<venue>:<connection>\t<frame>\n` for
// a record whose venue is known. Raw CR or LF bytes inside a frame are replaced by spaces: in
// valid JSON they can only be insignificant whitespace (inside strings they must be escaped), so
// the frame means the same and the one-line-per-frame form survives. The count of such frames is
// reported. For canonical input (timestamped lines, '\n' endings, no blank lines, no CR, no BOM)
// text -> native -> text is byte-identical.
//
// Thread: tool side or a replay reader thread. TextCaptureStream allocates its buffer at open()
// and never after: next() reads with read(2) as it goes and never allocates or throws.
// TextCaptureWriter uses iostreams and allocates.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

#include "mde/feeds/capture/capture_format.hpp"

namespace mde::capture {

// ---- One line ----------------------------------------------------------------------------------

enum class LineKind : std::uint8_t {
  timestamped,    // "<receive_ns>\t<frame>" or "<receive_ns>\t<venue>:<connection>\t<frame>"
  bare,           // "<frame>"
  blank,          // nothing to deliver
  bad_timestamp,  // digits and a tab, but the number does not fit an int64
  bad_source,     // "<venue>:<connection>\t" with an unknown venue or a connection id too large
};

struct ParsedLine {
  LineKind kind = LineKind::blank;
  std::int64_t receive_ns = 0;      // timestamped only
  bool has_source = false;          // timestamped with "<venue>:<connection>"
  Venue venue = Venue::unknown;     // has_source only
  std::uint32_t connection = 0;     // has_source only
  std::string_view frame;           // timestamped and bare: a view into the line
};

// Classifies one line (without its '\n'; a trailing '\r' is stripped here). The one parser for
// every reader of text captures. Never allocates.
[[nodiscard]] ParsedLine parse_text_line(std::string_view line) noexcept;

// Appends `<receive_ns>\t<frame>\n` (or, for a known venue, `<receive_ns>\t<venue>:<connection>\t
// <frame>\n`) to `out`; returns true when CR/LF bytes had to be replaced.
bool append_text_line(std::string& out, std::int64_t receive_ns, std::string_view frame,
                      Venue venue = Venue::unknown, std::uint32_t connection = 0);

// ---- Reading -----------------------------------------------------------------------------------

// Room a line may take beyond the frame limit for its prefix ("<receive_ns>\t<venue>:<conn>\t").
inline constexpr std::size_t kMaxLinePrefix = 64;

struct TextReadOptions {
  std::uint32_t connection = 0;
  std::int64_t bare_frame_step_ns = 1'000'000;
  std::uint32_t max_frame_bytes = kMaxPayloadBytes;  // longer lines are rejected (line_too_long)
};

// Why a line was rejected. Reading goes on with the next line.
enum class BadLine : std::uint8_t {
  bad_timestamp,  // a "<digits>\t" prefix that does not fit an int64
  bad_source,     // "<venue>:<connection>\t" naming no known venue, or a connection > 24 bits
  line_too_long,  // a frame longer than TextReadOptions::max_frame_bytes
  time_overflow,  // a bare frame whose synthetic time (previous + step) would pass INT64_MAX
};
inline constexpr std::size_t kBadLineReasons = 4;

[[nodiscard]] constexpr std::string_view to_string(BadLine e) noexcept {
  switch (e) {
    case BadLine::bad_timestamp: return "bad_timestamp";
    case BadLine::bad_source: return "bad_source";
    case BadLine::line_too_long: return "line_too_long";
    case BadLine::time_overflow: return "time_overflow";
  }
  return "?";
}

struct TextReadStats {
  std::uint64_t lines = 0;        // lines read, blank and bad ones included
  std::uint64_t timestamped = 0;  // records from "<receive_ns>\t..." lines
  std::uint64_t bare = 0;         // records from bare frames (synthetic receive time)
  std::uint64_t blank = 0;
  std::uint64_t crlf = 0;         // lines that ended in "\r\n"
  std::array<std::uint64_t, kBadLineReasons> bad{};  // rejected lines by reason
  std::uint64_t first_bad_line = 0;                  // 1-based; 0 = none

  [[nodiscard]] std::uint64_t bad_total() const noexcept {
    std::uint64_t n = 0;
    for (std::uint64_t b : bad) n += b;
    return n;
  }
};

// "2 bad lines (bad_timestamp 1, line_too_long 1), first at line 7": for tools to print.
[[nodiscard]] std::string describe_bad_lines(const TextReadStats& stats);

// One non-blank line: a record, or a rejected line and why.
struct TextLine {
  std::uint64_t number = 0;  // 1-based line number
  bool ok = false;
  BadLine bad = BadLine::bad_timestamp;  // when !ok
  CaptureRecord record{};                // when ok
};

// TextCaptureStream: reads a text capture as it goes, from a file, a pipe, a FIFO or stdin.
//
// Design: one owned buffer of max_frame_bytes + kMaxLinePrefix + kTextChunk bytes (plus
// kFramePadding), allocated at open(), refilled with read(2) a chunk at a time; a record's frame
// is a view into it (kFramePadding readable bytes follow), valid until the next call. Memory is
// bounded by the frame limit, never by the file size, and nothing is copied to a temporary file.
// A read error ends the input (failed() and read_errno() say so): never a silent partial result.
class TextCaptureStream {
 public:
  static constexpr std::size_t kTextChunk = 1u << 20;

  TextCaptureStream() noexcept;
  ~TextCaptureStream();
  TextCaptureStream(const TextCaptureStream&) = delete;
  TextCaptureStream& operator=(const TextCaptureStream&) = delete;

  // Opens `path` ("-" is standard input, not closed at the end). False with read_errno() set
  // when it cannot be opened. Allocates the buffer (setup).
  [[nodiscard]] bool open(const std::string& path, const TextReadOptions& options = {});
  // Reads from `fd` (owned and closed unless it is 0, standard input; -1: no descriptor, the input
  // is `already_read` alone). `already_read` holds bytes a caller consumed from it while probing
  // the format; they are read first (at most kTextChunk).
  [[nodiscard]] bool open_fd(int fd, std::string_view already_read = {},
                             const TextReadOptions& options = {});
  void close() noexcept;

  // The next good record, skipping (and counting) bad lines. False at the end of the input or
  // after a read error (failed()). Never allocates.
  [[nodiscard]] bool next(CaptureRecord& out) noexcept;
  // The next non-blank line, good or bad (`mde decode` prints both). False as next().
  [[nodiscard]] bool next_line(TextLine& out) noexcept;

  [[nodiscard]] const TextReadStats& stats() const noexcept { return stats_; }
  [[nodiscard]] bool failed() const noexcept { return errno_ != 0; }
  [[nodiscard]] int read_errno() const noexcept { return errno_; }
  // True when the whole input was read and no line was rejected.
  [[nodiscard]] bool clean() const noexcept { return !failed() && stats_.bad_total() == 0; }
  // Input bytes consumed so far, and the file's size when known (0 for a pipe).
  [[nodiscard]] std::uint64_t bytes_consumed() const noexcept { return base_ + pos_; }
  [[nodiscard]] std::uint64_t file_size() const noexcept { return file_size_; }

 private:
  // Reads more input behind the unconsumed bytes (sliding them to the front first). False at the
  // end of the input or on a read error.
  bool refill() noexcept;
  // The next raw line (without '\n'), or false at the end. Sets too_long when the line was
  // longer than the limit (its rest is skipped).
  bool raw_line(std::string_view& line, bool& too_long) noexcept;

  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
  std::size_t size_ = 0;    // bytes valid in buffer_
  std::size_t pos_ = 0;     // start of the unconsumed bytes
  std::uint64_t base_ = 0;  // input offset of buffer_[0]
  std::uint64_t file_size_ = 0;
  int fd_ = -1;
  bool owns_fd_ = false;
  bool eof_ = true;
  bool started_ = false;  // the BOM check is done
  int errno_ = 0;
  TextReadOptions options_{};
  std::int64_t last_ns_ = 0;
  TextReadStats stats_{};
};

// ---- Writing -----------------------------------------------------------------------------------

// Writes records as text lines (see the top of this file), through an internal buffer.
class TextCaptureWriter {
 public:
  explicit TextCaptureWriter(std::ostream& out);
  ~TextCaptureWriter();  // flushes
  TextCaptureWriter(const TextCaptureWriter&) = delete;
  TextCaptureWriter& operator=(const TextCaptureWriter&) = delete;

  // False when the stream has failed. A known venue writes the "<venue>:<connection>" form.
  bool write(std::int64_t receive_ns, std::string_view frame, Venue venue = Venue::unknown,
             std::uint32_t connection = 0);
  bool flush();

  [[nodiscard]] std::uint64_t records() const noexcept { return records_; }
  // Frames whose raw CR/LF bytes were replaced by spaces.
  [[nodiscard]] std::uint64_t newlines_replaced() const noexcept { return newlines_replaced_; }

 private:
  std::ostream& out_;
  std::string buffer_;
  std::uint64_t records_ = 0;
  std::uint64_t newlines_replaced_ = 0;
};

}  // namespace mde::capture
