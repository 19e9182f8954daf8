// Tool-side capture I/O: one reader and one writer over both capture forms (native .mdecap and
// text), chosen by the input's magic and the output's extension. Used by `mde capture`, `mde gen`
// and `mde replay`; the libraries underneath never print, these helpers only return text for the
// tool to print.
//
// The input is opened once and its form recognised by peeking at its first bytes, which are then
// handed to the reader (never by seeking back), so pipes, FIFOs, `/dev/stdin` and `-` read in
// full. Outputs are written to a temporary file beside them and renamed into place by close();
// an output that is one of the inputs (any path or link to it) is refused.
//
// Thread: tool side; allocates freely.
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "mde/feeds/capture/capture_reader.hpp"
#include "mde/feeds/capture/capture_writer.hpp"
#include "mde/feeds/capture/text_capture.hpp"
#include "mde/sample/output_file.hpp"

namespace mde::sample {

enum class CaptureForm : std::uint8_t { native, text };

[[nodiscard]] std::string_view to_string(CaptureForm form) noexcept;

// By extension: ".mdecap" is native; ".jsonl", ".txt", ".ndjson" and ".log" are text; anything
// else is nullopt (the caller picks).
[[nodiscard]] std::optional<CaptureForm> form_from_extension(std::string_view path) noexcept;

// Reads records from a native or text capture; which one is decided by the input's first bytes.
class CaptureSource {
 public:
  // `path` may be "-" (standard input). False (with error() set) when the input cannot be
  // opened or read, or its native header is bad.
  [[nodiscard]] bool open(const std::string& path, const capture::TextReadOptions& text = {});
  [[nodiscard]] bool next(capture::CaptureRecord& out) {
    return form_ == CaptureForm::native ? native_.next(out) : text_.next(out);
  }

  [[nodiscard]] CaptureForm form() const noexcept { return form_; }
  [[nodiscard]] const std::string& error() const noexcept { return error_; }
  [[nodiscard]] const capture::CaptureReader& native() const noexcept { return native_; }
  [[nodiscard]] capture::CaptureReader& native() noexcept { return native_; }
  [[nodiscard]] const capture::TextCaptureStream& text() const noexcept { return text_; }
  [[nodiscard]] capture::TextCaptureStream& text() noexcept { return text_; }
  // The opened input's identity, for refusing to write over it.
  [[nodiscard]] const FileIdentity& identity() const noexcept { return identity_; }
  // Input bytes read so far and the input's size (0 when unknown: a pipe), for progress.
  [[nodiscard]] std::uint64_t bytes_consumed() const noexcept;
  [[nodiscard]] std::uint64_t input_size() const noexcept;
  // After next() returned false: true when the input ended cleanly (native: no damage; text: no
  // read error and no rejected line); otherwise a description of where and why.
  [[nodiscard]] bool clean_end() const noexcept;
  [[nodiscard]] std::string end_report() const;

 private:
  CaptureForm form_ = CaptureForm::native;
  capture::CaptureReader native_;
  capture::TextCaptureStream text_;
  FileIdentity identity_{};
  std::string path_;
  std::string error_;
};

// Writes records in either form, through a temporary file renamed into place by close().
class CaptureSink {
 public:
  // False (error() set) when `path`'s temporary cannot be created. Callers check first that
  // `path` is none of their inputs (refuse_same_file).
  [[nodiscard]] bool open(const std::string& path, CaptureForm form,
                          const capture::WriterOptions& options = {});
  [[nodiscard]] bool write(std::int64_t receive_ns, std::uint32_t connection,
                           std::string_view frame, Venue venue = Venue::unknown);
  // Finishes the file and renames it into place. Without close() (an error, an early return)
  // the temporary is removed and `path` is left as it was.
  [[nodiscard]] bool close();

  [[nodiscard]] const std::string& error() const noexcept { return error_; }
  [[nodiscard]] std::uint64_t records() const noexcept { return records_; }
  [[nodiscard]] std::uint64_t newlines_replaced() const noexcept;

 private:
  CaptureForm form_ = CaptureForm::native;
  capture::CaptureWriter native_;
  std::ofstream file_;
  std::unique_ptr<capture::TextCaptureWriter> text_;
  OutputFile output_;
  std::string path_;
  std::string error_;
  std::uint64_t records_ = 0;
};

// True (error set: "refusing to write X: it is the input Y") when `out_path` is that input.
[[nodiscard]] bool refuse_same_file(const std::string& out_path, const std::string& in_path,
                                    const FileIdentity& input, std::string& error);

}  // namespace mde::sample
