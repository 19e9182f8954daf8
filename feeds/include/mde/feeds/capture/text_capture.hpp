// Text captures: one frame per line, for humans, diffs and hand-written test input.
//
// Line forms (read):
//   <receive_ns>\t<frame>    receive_ns: optional '-', 1 to 19 decimal digits, fits an int64
//   <frame>                  a bare frame (any line not starting with digits and a tab)
// A trailing CR is stripped (Windows line endings). Lines that are empty or only spaces, tabs
// and CRs are skipped, and so is a timestamped line whose frame part is empty. Frames are not
// interpreted here: a line that is not JSON is still a frame (the decoder will reject it).
//
// Bare frames get a synthetic receive time: the previous record's receive_ns plus
// TextReadOptions::bare_frame_step_ns (1 ms by default; the first record's "previous" is 0). This
// keeps receive times monotonic, so `--pace recorded` replays a hand-written file one frame per
// millisecond instead of all at once, and it never yields 0 (which events read as "absent").
//
// Text has no connection id: records read from text get TextReadOptions::connection.
//
// Write form: exactly `<receive_ns>\t<frame>\n`. Raw CR or LF bytes inside a frame are replaced
// by spaces: in valid JSON they can only be insignificant whitespace (inside strings they must be
// escaped), so the frame means the same and the one-line-per-frame form survives. The count of
// such frames is reported. For canonical input (timestamped lines, '\n' endings, no blank lines,
// no CR) text -> native -> text is byte-identical.
//
// Thread: tool side. Both classes allocate (line buffers) and use iostreams; not for hot paths.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "mde/feeds/capture/capture_format.hpp"

namespace mde::capture {

// ---- One line ----------------------------------------------------------------------------------

enum class LineKind : std::uint8_t {
  timestamped,    // "<receive_ns>\t<frame>"
  bare,           // "<frame>"
  blank,          // nothing to deliver
  bad_timestamp,  // digits and a tab, but the number does not fit an int64
};

struct ParsedLine {
  LineKind kind = LineKind::blank;
  std::int64_t receive_ns = 0;  // timestamped only
  std::string_view frame;       // timestamped and bare: a view into the line
};

// Classifies one line (without its '\n'; a trailing '\r' is stripped here). Never allocates.
[[nodiscard]] ParsedLine parse_text_line(std::string_view line) noexcept;

// Appends `<receive_ns>\t<frame>\n` to `out`; returns true when CR/LF bytes had to be replaced.
bool append_text_line(std::string& out, std::int64_t receive_ns, std::string_view frame);

// ---- Streams -----------------------------------------------------------------------------------

struct TextReadOptions {
  std::uint32_t connection = 0;
  std::int64_t bare_frame_step_ns = 1'000'000;
};

enum class TextReadError : std::uint8_t {
  none,
  bad_timestamp,  // a "<digits>\t" prefix that does not fit an int64
  line_too_long,  // a frame longer than kMaxPayloadBytes
  io_error,       // the stream failed other than at end of input
};

[[nodiscard]] constexpr std::string_view to_string(TextReadError e) noexcept {
  switch (e) {
    case TextReadError::none: return "none";
    case TextReadError::bad_timestamp: return "bad_timestamp";
    case TextReadError::line_too_long: return "line_too_long";
    case TextReadError::io_error: return "io_error";
  }
  return "?";
}

struct TextReadStats {
  std::uint64_t lines = 0;        // lines read, blank ones included
  std::uint64_t timestamped = 0;  // records from "<receive_ns>\t<frame>" lines
  std::uint64_t bare = 0;         // records from bare frames (synthetic receive time)
  std::uint64_t blank = 0;
  std::uint64_t crlf = 0;         // lines that ended in "\r\n"
};

// Reads records from a text capture. next() fills a CaptureRecord whose frame lives in an owned
// padded buffer (kFramePadding readable bytes after it), valid until the next call.
class TextCaptureReader {
 public:
  explicit TextCaptureReader(std::istream& in, const TextReadOptions& options = {});

  // False at end of input or at a bad line; error() and error_line() then say which.
  [[nodiscard]] bool next(CaptureRecord& out);

  [[nodiscard]] TextReadError error() const noexcept { return error_; }
  [[nodiscard]] std::uint64_t error_line() const noexcept { return error_line_; }  // 1-based
  [[nodiscard]] const TextReadStats& stats() const noexcept { return stats_; }

 private:
  std::istream& in_;
  TextReadOptions options_;
  std::string line_;
  std::vector<char> frame_;  // the current frame + kFramePadding
  std::int64_t last_ns_ = 0;
  TextReadStats stats_{};
  TextReadError error_ = TextReadError::none;
  std::uint64_t error_line_ = 0;
};

// Writes records as `<receive_ns>\t<frame>\n` lines, through an internal buffer.
class TextCaptureWriter {
 public:
  explicit TextCaptureWriter(std::ostream& out);
  ~TextCaptureWriter();  // flushes
  TextCaptureWriter(const TextCaptureWriter&) = delete;
  TextCaptureWriter& operator=(const TextCaptureWriter&) = delete;

  // False when the stream has failed.
  bool write(std::int64_t receive_ns, std::string_view frame);
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
